/** Command lines and problems as people read them (the CLI prints these; the editor shows them). */
import { isAbsolute, relative } from 'node:path';
import type { BuildStep, ToolchainProblem } from './model';

/** POSIX-shell quoting: only what needs it. */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `GOOS=wasip1 GOARCH=wasm go build -o x.wasm .` — for display; the runner never goes through a shell. */
export function formatStep(step: BuildStep, base?: string): string {
  if (step.kind === 'component') {
    // Relative to the project when inside it, else absolute: `../../..` helps nobody.
    const show = (p: string) => {
      const rel = base ? relative(base, p) : '';
      return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
    };
    return `wasm-tools component new ${quoteArg(show(step.module))} --adapt wasi_snapshot_preview1=${quoteArg(show(step.adapter))} -o ${quoteArg(show(step.output))}`;
  }
  const env = Object.entries(step.env).map(([k, v]) => `${k}=${quoteArg(v)}`);
  return [...env, quoteArg(step.program), ...step.args.map(quoteArg)].join(' ');
}

export function formatProblem(problem: ToolchainProblem): string {
  return `${problem.message} ${problem.hint}`;
}
