/**
 * Where a WAT text folds: every list that spans lines (modules, functions, blocks, folded instructions), flat
 * `block`/`loop`/`if`/`try_table` … `end` runs, block comments, runs of line comments, and `;; region` …
 * `;; endregion` markers (the language configuration's own, which a folding provider replaces).
 */
import { parseWat, type Node, type WatSyntax } from './syntax';

export interface WatFold {
  /** Offset where the fold starts (its first line stays visible). */
  start: number;
  /** Offset of its last character (its line is the fold's last). */
  end: number;
  kind?: 'comment' | 'region';
}

const FLAT_BLOCKS = new Set(['block', 'loop', 'if', 'try_table', 'try']);

export function watFolding(text: string, syntax: WatSyntax = parseWat(text)): WatFold[] {
  const folds: WatFold[] = [];
  const lineOf = lineIndex(text);
  const visit = (nodes: Node[]) => {
    let open: number[] | undefined; // flat blocks, rare: made when one starts
    for (const node of nodes) {
      if (node.kind === 'list') {
        // Only what spans lines folds; most lists of a function body sit on one line.
        if (text.indexOf('\n', node.start) < node.end - 1 && text.indexOf('\n', node.start) >= 0)
          folds.push({ start: node.start, end: node.end - 1 });
        if (node.children.length > 1) visit(node.children);
      } else if (node.kind === 'atom' && FLAT_BLOCKS.has(node.text)) (open ??= []).push(node.start);
      else if (node.kind === 'atom' && node.text === 'end' && open?.length) folds.push({ start: open.pop()!, end: node.start });
    }
  };
  visit(syntax.nodes);
  // Comments: block comments, and runs of line comments on consecutive lines.
  let run: { start: number; end: number } | undefined;
  for (const comment of syntax.comments) {
    if (comment.block) {
      folds.push({ start: comment.start, end: Math.max(comment.start, comment.end - 1), kind: 'comment' });
      continue;
    }
    if (run && lineOf(comment.start) === lineOf(run.end) + 1 && isAloneOnLine(text, comment.start)) run.end = comment.end;
    else {
      if (run) folds.push({ ...run, kind: 'comment' });
      run = isAloneOnLine(text, comment.start) ? { start: comment.start, end: comment.end } : undefined;
    }
  }
  if (run) folds.push({ ...run, kind: 'comment' });
  for (let i = folds.length - 1; i >= 0; i--)
    if (folds[i]!.kind === 'comment' && lineOf(folds[i]!.start) === lineOf(folds[i]!.end)) folds.splice(i, 1);
  // Regions.
  const regions: number[] = [];
  for (const match of text.matchAll(/^[ \t]*;;[ \t]*#?(end)?region\b.*$/gm)) {
    if (!match[1]) regions.push(match.index);
    else if (regions.length) folds.push({ start: regions.pop()!, end: match.index, kind: 'region' });
  }
  return folds;
}

function isAloneOnLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/** Line number of an offset, by binary search over the line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
