/**
 * WAT in the editor: the outline (document symbols), go to definition and find references for `$names`, hovers on
 * instructions and names, and folding. Adapters on core's reading of the text (src/core/wat), done once per
 * document version and shared by the providers. They serve every `wat` document: files, and binaries opened as WAT.
 */
import * as vscode from 'vscode';
import {
  instructionInfo,
  occurrenceAt,
  parseWat,
  referencesTo,
  tokenAt,
  watFolding,
  watSymbols,
  type WatDefinition,
  type WatOutlineItem,
  type WatSymbols,
  type WatSyntax,
} from '../../core/wat';

const selector: vscode.DocumentSelector = { language: 'wat' };

interface Reading {
  version: number;
  syntax: WatSyntax;
  symbols?: WatSymbols;
}

const readings = new WeakMap<vscode.TextDocument, Reading>();

/** The document's syntax, read once per version. */
function readingOf(document: vscode.TextDocument): Reading {
  const cached = readings.get(document);
  if (cached?.version === document.version) return cached;
  const reading: Reading = { version: document.version, syntax: parseWat(document.getText()) };
  readings.set(document, reading);
  return reading;
}

function symbolsOf(document: vscode.TextDocument): WatSymbols {
  const reading = readingOf(document);
  reading.symbols ??= watSymbols(document.getText(), reading.syntax);
  return reading.symbols;
}

const range = (document: vscode.TextDocument, start: number, end: number) =>
  new vscode.Range(document.positionAt(start), document.positionAt(end));

const symbolKinds: Record<WatOutlineItem['kind'], vscode.SymbolKind> = {
  module: vscode.SymbolKind.Module,
  func: vscode.SymbolKind.Function,
  table: vscode.SymbolKind.Array,
  memory: vscode.SymbolKind.Array,
  global: vscode.SymbolKind.Variable,
  tag: vscode.SymbolKind.Event,
  type: vscode.SymbolKind.Interface,
  elem: vscode.SymbolKind.Array,
  data: vscode.SymbolKind.String,
  local: vscode.SymbolKind.Variable,
  label: vscode.SymbolKind.Key,
  field: vscode.SymbolKind.Field,
  export: vscode.SymbolKind.Key,
  start: vscode.SymbolKind.Event,
};

function documentSymbol(document: vscode.TextDocument, item: WatOutlineItem): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(
    item.label,
    item.detail,
    symbolKinds[item.kind],
    range(document, item.start, item.end),
    range(document, item.selectionStart, item.selectionEnd),
  );
  symbol.children = item.children.map((child) => documentSymbol(document, child));
  return symbol;
}

/** How a definition reads in a hover: `(func $add (param i32 i32) (result i32))`, `(param $a i32)`, `block $l`. */
function definitionText(definition: WatDefinition): string {
  const name = definition.name ?? String(definition.index);
  if (definition.space === 'label') return `${definition.detail} ${name}`;
  if (definition.space === 'local') return `(${definition.detail.replace(/^(param|local)/, `$1 ${name}`)})`;
  if (definition.space === 'field') return `(field ${name} ${definition.detail})`;
  const [signature, ...rest] = definition.detail.split(' — ');
  return `(${definition.space} ${name}${signature ? ` ${signature}` : ''})${rest.length ? `\n;; ${rest.join(' ')}` : ''}`;
}

export function registerWatLanguage(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerDocumentSymbolProvider(
      selector,
      {
        provideDocumentSymbols: (document) => symbolsOf(document).outline.map((item) => documentSymbol(document, item)),
      },
      { label: 'WebAssembly text' },
    ),

    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition(document, position) {
        const definition = occurrenceAt(symbolsOf(document), document.offsetAt(position))?.definition;
        return definition ? new vscode.Location(document.uri, range(document, definition.nameStart, definition.nameEnd)) : undefined;
      },
    }),

    vscode.languages.registerReferenceProvider(selector, {
      provideReferences(document, position, { includeDeclaration }) {
        const symbols = symbolsOf(document);
        const definition = occurrenceAt(symbols, document.offsetAt(position))?.definition;
        if (!definition) return undefined;
        return referencesTo(symbols, definition)
          .filter((o) => includeDeclaration || !o.isDefinition)
          .map((o) => new vscode.Location(document.uri, range(document, o.start, o.end)));
      },
    }),

    vscode.languages.registerDocumentHighlightProvider(selector, {
      provideDocumentHighlights(document, position) {
        const symbols = symbolsOf(document);
        const definition = occurrenceAt(symbols, document.offsetAt(position))?.definition;
        if (!definition) return undefined;
        return referencesTo(symbols, definition).map(
          (o) =>
            new vscode.DocumentHighlight(
              range(document, o.start, o.end),
              o.isDefinition ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read,
            ),
        );
      },
    }),

    vscode.languages.registerHoverProvider(selector, {
      provideHover(document, position) {
        const offset = document.offsetAt(position);
        const token = tokenAt(readingOf(document).syntax, offset);
        if (token?.kind !== 'atom') return undefined;
        const where = range(document, token.start, token.end);
        const occurrence = occurrenceAt(symbolsOf(document), offset);
        if (occurrence) {
          const markdown = new vscode.MarkdownString();
          if (occurrence.definition) markdown.appendCodeblock(definitionText(occurrence.definition), 'wat');
          else markdown.appendText(`Nothing in scope is named ${occurrence.name}.`);
          return new vscode.Hover(markdown, where);
        }
        const info = instructionInfo(token.text);
        if (!info) return undefined;
        const markdown = new vscode.MarkdownString();
        markdown.appendCodeblock(`${token.text}${info.immediates ? ` ${info.immediates}` : ''}`, 'wat');
        if (info.signature) markdown.appendMarkdown(`Stack: \`${info.signature}\`\n\n`);
        // The catalogue's own words (Markdown with code spans), not text from the document.
        markdown.appendMarkdown(info.meaning);
        return new vscode.Hover(markdown, where);
      },
    }),

    vscode.languages.registerFoldingRangeProvider(selector, {
      provideFoldingRanges(document) {
        const text = document.getText();
        const kinds = { comment: vscode.FoldingRangeKind.Comment, region: vscode.FoldingRangeKind.Region } as const;
        const ranges: vscode.FoldingRange[] = [];
        for (const fold of watFolding(text, readingOf(document).syntax)) {
          const start = document.positionAt(fold.start).line;
          const last = document.positionAt(fold.end);
          // A closing parenthesis or `end` alone at the start of its line stays visible, as braces do in other languages.
          const closing = document.lineAt(last.line).text.slice(0, last.character).trim() === '' && !fold.kind;
          const end = closing ? last.line - 1 : last.line;
          if (end > start) ranges.push(new vscode.FoldingRange(start, end, fold.kind ? kinds[fold.kind] : undefined));
        }
        return ranges;
      },
    }),
  );
}
