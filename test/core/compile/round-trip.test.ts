/**
 * Printing always round-trips: Wasm → WAT (printWat, everything printed) → Wasm (compileWat) gives a module
 * that prints to the same text, for the WASI testsuite's programs and large real programs (SQLite built by
 * Debian's clang: 10.5 MiB released, 23.6 MiB with DWARF and its sources embedded; the Rust-built wasm-tools and js-component-bindgen that jco ships). The
 * spec testsuite's modules get the same check in spec-testsuite.test.ts. Large ones are also printed with the
 * default budget, whose text must compile too.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { compileWat, printWat } from '../../../src/core/compile';
import { testToolPath } from '../../support/test-tools';
import { roundTripProblem } from './spec/round-trip';
import { unpackConformance } from './spec/suite';

/** A program built by scripts/test-tools/sqlite-wasm/build.sh (scripts/setup-tests.sh runs it). */
const sqliteBuild = (file: string): string => testToolPath('sqlite-wasm', file);

function wasmFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    return entry.isDirectory() ? wasmFilesUnder(path) : entry.name.endsWith('.wasm') ? [path] : [];
  });
}

describe('print round trip', () => {
  it('every WASI testsuite program', async () => {
    const programs = wasmFilesUnder(unpackConformance('wasi-testsuite-p1'));
    assert.ok(programs.length >= 72, `found ${programs.length} programs`);
    const failures: string[] = [];
    for (const program of programs) {
      const problem = await roundTripProblem(new Uint8Array(readFileSync(program)));
      if (problem) failures.push(`${basename(dirname(dirname(program)))}/${basename(program)}: ${problem}`);
    }
    console.log(`print round trip, WASI testsuite: ${programs.length - failures.length} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
  });

  // The package exports no package.json; its wasm-tools entry sits in dist/.
  const jco = dirname(dirname(require.resolve('@bytecodealliance/jco-transpile/wasm-tools')));
  const large: [string, () => string][] = [
    ['SQLite, -O2 (test-tools sqlite-wasm)', () => sqliteBuild('sqlite.wasm')],
    ['SQLite, -O0 -gdwarf-5 -gembed-source with its source as data (test-tools sqlite-wasm)', () => sqliteBuild('sqlite-debug.wasm')],
    ['wasm-tools as jco ships it (Rust)', () => join(jco, 'vendor', 'wasm-tools.core.wasm')],
    ['js-component-bindgen as jco ships it (Rust)', () => join(jco, 'vendor', 'js-component-bindgen-component.core.wasm')],
  ];
  for (const [name, path] of large) {
    it(`${name}: in full, and with the default budget`, async () => {
      const bytes = new Uint8Array(readFileSync(path()));
      const full = await printWat(bytes, { full: true });
      assert.equal(await roundTripProblem(bytes, full.text), undefined);
      const budgeted = await printWat(bytes);
      const compiled = await compileWat(budgeted.text);
      assert.ok(compiled.ok, `the budgeted text does not compile: ${JSON.stringify(!compiled.ok && compiled.diagnostics[0])}`);
      if (bytes.length > 4 * 1024 * 1024) assert.match(budgeted.text.split('\n', 1)[0]!, /^;; Wasm Workbench elided parts of this module/);
    });
  }
});
