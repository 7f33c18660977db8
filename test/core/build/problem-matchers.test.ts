// The problem matchers contributed in package.json, applied the way VS Code applies them (each pattern of a
// multi-line matcher to consecutive lines) to the real output of clang, cargo/rustc and asc on broken sources.
// Go is not installable here: its matcher is checked on the format `go build` prints (`./file.go:line:col: msg`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectProjects, planBuild, runBuild } from '../../../src/core/build';
import { scratchDir, writeTree } from './helpers';

interface Pattern {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  code?: number;
  message?: number;
}
interface Matcher {
  name: string;
  severity?: string;
  pattern: Pattern | Pattern[];
}
interface Problem {
  file?: string;
  line?: string;
  column?: string;
  severity?: string;
  code?: string;
  message?: string;
}

const matchers: Matcher[] = JSON.parse(readFileSync('package.json', 'utf8')).contributes.problemMatchers;

function matcher(name: string): Matcher {
  const found = matchers.find((m) => m.name === name);
  assert.ok(found, `package.json contributes no problem matcher ${name}`);
  return found;
}

/** VS Code's reading: a match starts where the first pattern matches and needs each next pattern on the next line. */
function problems(name: string, output: string): Problem[] {
  const m = matcher(name);
  const patterns = Array.isArray(m.pattern) ? m.pattern : [m.pattern];
  const lines = output.split(/\r?\n/);
  const found: Problem[] = [];
  for (let i = 0; i + patterns.length <= lines.length; i++) {
    const problem: Problem = {};
    const ok = patterns.every((p, k) => {
      const match = new RegExp(p.regexp).exec(lines[i + k]!);
      if (!match) return false;
      for (const field of ['file', 'line', 'column', 'severity', 'code', 'message'] as const) {
        const group = p[field];
        if (group !== undefined && match[group] !== undefined) problem[field] = match[group];
      }
      return true;
    });
    if (ok) found.push({ severity: m.severity, ...problem });
  }
  return found;
}

async function buildOutput(files: Record<string, string>, prefix: string): Promise<{ dir: string; output: string }> {
  const dir = writeTree(scratchDir(prefix), files);
  const result = await planBuild(detectProjects(dir)[0]!);
  assert.ok(result.ok, !result.ok ? `${result.problem.message} ${result.problem.hint}` : '');
  let output = '';
  const run = await runBuild(result.plan, { onOutput: (text) => (output += text) });
  assert.notEqual(run.exitCode, 0, `the broken ${prefix} source built:\n${output}`);
  return { dir, output };
}

describe('problem matchers on real compiler output', () => {
  it('clang: file:line:col: error: message, with absolute paths', async () => {
    const { dir, output } = await buildOutput({ 'main.c': 'int main(void) {\n  int x = 0;\n  return missing + x;\n}\n' }, 'pm-clang');
    const found = problems('wasm-clang', output);
    assert.deepEqual(
      found.map((p) => [p.file, p.line, p.column, p.severity]),
      [[join(dir, 'main.c'), '3', '10', 'error']],
      output,
    );
    assert.match(found.at(-1)!.message!, /use of undeclared identifier 'missing'/);
  });

  it('rustc/cargo: error[E...]: message followed by --> file:line:col', async () => {
    const { output } = await buildOutput(
      {
        'Cargo.toml': '[package]\nname = "broken"\nversion = "0.1.0"\nedition = "2021"\n',
        'src/main.rs': 'fn main() {\n    let _y = 1;\n    let x: i32 = "text";\n}\n',
      },
      'pm-rust',
    );
    const found = problems('wasm-rustc', output);
    const error = found.find((p) => p.severity === 'error');
    assert.ok(error, `no error matched in:\n${output}`);
    assert.deepEqual([error.code, error.file, error.line, error.column], ['E0308', 'src/main.rs', '3', '18']);
    assert.equal(error.message, 'mismatched types');
    // "error: could not compile ..." has no location line after it and is no problem of its own.
    assert.equal(found.filter((p) => p.severity === 'error').length, 1);
  });

  it('asc: ERROR TS....: message, then the source excerpt, then └─ in file(line,col)', async () => {
    const { output } = await buildOutput(
      {
        'asconfig.json': JSON.stringify({ targets: { release: { outFile: 'build/release.wasm' } } }),
        'assembly/index.ts': 'export function f(): i32 {\n  let s: i32 = "text";\n  return missing;\n}\n',
      },
      'pm-asc',
    );
    const found = problems('wasm-asc', output);
    assert.deepEqual(
      found.map((p) => [p.severity, p.code, p.file, p.line, p.column]),
      [
        ['ERROR', 'TS2322', 'assembly/index.ts', '2', '16'],
        ['ERROR', 'TS2304', 'assembly/index.ts', '3', '10'],
      ],
      output,
    );
    assert.match(found[0]!.message!, /Type '~lib\/string\/String' is not assignable to type 'i32'/);
  });

  it('go: ./file.go:line:col: message (the format go build and tinygo print)', () => {
    const output =
      '# example.com/hello\n./main.go:5:2: undefined: missing\n./util/util.go:12: syntax error: unexpected }\nnote: module requires Go 1.22\n';
    assert.deepEqual(
      problems('wasm-go', output).map((p) => [p.file, p.line, p.column, p.message, p.severity]),
      [
        ['./main.go', '5', '2', 'undefined: missing', 'error'],
        ['./util/util.go', '12', undefined, 'syntax error: unexpected }', 'error'],
      ],
    );
  });
});
