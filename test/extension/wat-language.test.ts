// WAT language features in a real VS Code, through the editor's own commands (the same the outline, hovers, F12,
// Shift+F12 and folding use): document symbols, go to definition and references for $names, hovers on
// instructions and names, folding. Screenshots: docs/images/wat-outline.png and wat-hover.png.
import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { clickOn, countOf, textOf } from './driver';
import { screenshot } from './screenshot';
import { workspaceDir } from './workspace';

const TEXT = `;; A counter with a helper: names, labels and a struct, for the outline and the hovers.
(module $counter
  (type $binop (func (param i32 i32) (result i32)))
  (type $point (struct (field $x i32) (field $y (mut i32))))
  (import "env" "log" (func $log (param i32)))
  (memory $mem (export "memory") 1)
  (global $count (mut i32) (i32.const 0))

  (func $add (type $binop) (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)

  (func $bump (export "bump") (param $by i32) (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $by)))
        (global.set $count (call $add (global.get $count) (i32.const 1)))
        (local.set $by (i32.sub (local.get $by) (i32.const 1)))
        (br $again)))
    (call $log (global.get $count))
    (global.get $count))

  (export "add" (func $add)))
`;

/** The position just inside the nth occurrence of `needle`. */
function positionOf(document: vscode.TextDocument, needle: string, nth = 0): vscode.Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = document.getText().indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} is not in the document`);
  return document.positionAt(index + 1);
}

describe('WAT language: outline, names, hovers, folding', function () {
  this.timeout(60_000);
  let document: vscode.TextDocument;
  let editor: vscode.TextEditor;

  before(async () => {
    const dir = join(workspaceDir(), 'wat-language');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'counter.wat');
    await writeFile(file, TEXT);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    document = await vscode.workspace.openTextDocument(file);
    editor = await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'wat');
  });

  it("the outline lists the module's functions, types, memory, globals, imports and exports with their $names", async function () {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    assert.equal(symbols?.length, 1);
    const module = symbols[0]!;
    assert.equal(module.name, '$counter');
    assert.equal(module.kind, vscode.SymbolKind.Module);
    assert.deepEqual(
      module.children.map((c) => `${vscode.SymbolKind[c.kind]} ${c.name}`),
      [
        'Interface $binop',
        'Interface $point',
        'Function $log',
        'Array $mem',
        'Key "memory"',
        'Variable $count',
        'Function $add',
        'Function $bump',
        'Key "bump"',
        'Key "add"',
      ],
    );
    const add = module.children.find((c) => c.name === '$add')!;
    assert.equal(add.detail, '(type $binop) (param i32 i32) (result i32)');
    assert.deepEqual(
      add.children.map((c) => c.name),
      ['$a', '$b'],
    );
    assert.equal(add.selectionRange.start.line, 8);
    // The Outline view, as a person sees it, with the folders' section collapsed to give it room.
    await vscode.commands.executeCommand('outline.focus');
    // The folders' section is titled by the workspace folder's name.
    const folders = (expanded: boolean) =>
      `.pane-header[aria-expanded="${expanded}"]:has-text("${vscode.workspace.workspaceFolders![0]!.name}")`;
    await clickOn(this, folders(true), 'workbench');
    try {
      await countOf(this, '.outline-pane .monaco-list-row', (n) => n >= 10, 'the outline rows', 'workbench');
      assert.match(await textOf(this, '.outline-pane', (t) => t.includes('$bump'), 'the outline', 'workbench'), /\$binop.*\$add.*\$bump/s);
      await screenshot('wat-outline', { docs: true });
    } finally {
      await clickOn(this, folders(false), 'workbench');
    }
  });

  it('go to definition on a call, a local, a global and a label', async () => {
    const definitionOf = async (needle: string, nth: number) => {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        document.uri,
        positionOf(document, needle, nth),
      );
      assert.equal(found?.length, 1, `one definition for ${needle} #${nth}`);
      const target = found[0]!;
      const where = 'targetRange' in target ? (target.targetSelectionRange ?? target.targetRange) : target.range;
      return document.getText(where) + '@' + where.start.line;
    };
    assert.equal(await definitionOf('$add', 1), '$add@8');
    assert.equal(await definitionOf('$by', 1), '$by@13');
    assert.equal(await definitionOf('$count', 1), '$count@6');
    assert.equal(await definitionOf('$done', 1), '$done@14');
    assert.equal(await definitionOf('$again', 1), '$again@15');
  });

  it('find references of a function: its definition, its calls and its export', async () => {
    const references = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      document.uri,
      positionOf(document, '$add', 0),
    );
    assert.deepEqual(
      references.map((r) => r.range.start.line).sort((a, b) => a - b),
      [8, 17, 23],
    );
  });

  it("hovers: an instruction's signature and meaning; a name's definition", async function () {
    const hoverText = async (position: vscode.Position) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const add = await hoverText(positionOf(document, 'i32.add'));
    assert.match(add, /```wat\ni32\.add\n```/);
    assert.match(add, /Stack: `\[i32 i32\] → \[i32\]`/);
    assert.match(add, /Adds, wrapping around on overflow\./);
    assert.match(await hoverText(positionOf(document, 'br_if')), /Branches to a label when the condition is non-zero\./);
    assert.match(await hoverText(positionOf(document, '$log', 1)), /\(func \$log \(param i32\)\)\n;; imported from "env" "log"/);
    assert.match(await hoverText(positionOf(document, '$a', 1)), /\(param \$a i32\)/);
    // The hover as a person sees it: the mouse's hover, shown on the instruction under the cursor.
    const at = positionOf(document, 'i32.add');
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at));
    await vscode.commands.executeCommand('editor.action.showHover');
    assert.match(
      await textOf(this, '.monaco-hover', (t) => t.includes('Adds, wrapping'), 'the hover widget', 'workbench'),
      /\[i32 i32\] → \[i32\]/,
    );
    await screenshot('wat-hover', { docs: true });
  });

  it('folds the module, functions and blocks', async () => {
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri);
    const spans = ranges.map((r) => `${r.start}-${r.end}`);
    for (const expected of ['1-23', '8-11', '13-21', '14-19', '15-19'])
      assert.ok(spans.includes(expected), `no fold ${expected} in ${spans.join(' ')}`);
  });
});
