// Emscripten builds as they come: minified ones (everything imported from module `a`), and builds recognised by
// the JavaScript glue beside them. The real binaries are Emscripten builds that npm packages this project
// installs ship: playwright-core's WebP codec (minified) and re2-wasm (with its glue, re2.js).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memorySource, readBinary } from '../../../src/core/binary';
import { analyzeCapabilities, recogniseGlue, type CapabilityReport } from '../../../src/core/capabilities';
import { inspectFile } from '../../../src/core/inspect';
import { formatReportMarkdown } from '../../../src/core/inspect/markdown';
import { fixtureBytes } from '../../fixtures';
import { repoRoot, wabtWat2Wasm } from '../../fixtures/tools';
import { markdown } from '../../../src/core/text/markdown';

const MINIFIED = join(repoRoot(), 'node_modules/playwright-core/lib/webp_codec.wasm');
const RE2 = join(repoRoot(), 'node_modules/re2-wasm/build/wasm');

async function analyzeWat(wat: string): Promise<CapabilityReport> {
  return analyzeCapabilities(await readBinary(memorySource(await wabtWat2Wasm('test.wat', wat))));
}

describe('Emscripten builds', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasm-workbench-emscripten-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a minified build (imports a.a…a.e, exports f, g…) is an Emscripten module whose needs cannot be read', async () => {
    const report = await inspectFile(MINIFIED, { wit: false });
    assert.ok(
      report.imports.every((i) => i.module === 'a'),
      'the real build imports only from `a`',
    );
    assert.equal(report.host.kind, 'emscripten');
    assert.equal(report.host.title, 'Emscripten module, minified (needs its JavaScript glue)');
    assert.equal(report.host.runnableByWasiRuntime, false);
    assert.equal(report.host.importsRenamed, true);
    assert.deepEqual(report.host.unknownModules, ['a']);
    assert.deepEqual(report.capabilities, []);
    // The sentence beside the "needs a special host" card does not say it needs nothing.
    assert.equal(
      markdown(report.capabilitySummary),
      'What it needs cannot be read from its imports: they were renamed (module `a`), and its Emscripten JavaScript glue provides them all.',
    );
    assert.doesNotMatch(formatReportMarkdown(report, 'webp_codec.wasm'), /needs no WASI capabilities/);
  });

  it('a module that imports from `a` but exports readable names is not taken for a minified build', async () => {
    const report = await analyzeWat(`(module (import "a" "b" (func)) (memory (export "memory") 1) (func (export "run")))`);
    assert.equal(report.host.kind, 'unknown-imports');
    assert.equal(
      markdown(report.summary),
      'It needs no WASI capabilities, but imports from `a`, which only a host that defines them provides.',
    );
  });

  it('the glue beside a build is recognised (re2-wasm: re2.js loads re2.wasm) and named in a note', async () => {
    const script = { name: 're2.js', text: await readFile(join(RE2, 're2.js'), 'utf8') };
    assert.deepEqual(recogniseGlue(script, 're2.wasm'), { name: 're2.js', toolchain: 'emscripten' });
    // Glue that loads another binary is not this binary's glue.
    assert.equal(recogniseGlue(script, 'other.wasm'), undefined);
    const report = await inspectFile(join(RE2, 're2.wasm'), { wit: false });
    assert.equal(report.host.kind, 'emscripten');
    assert.ok(
      report.host.notes.map(markdown).includes('Its JavaScript glue is `re2.js`, beside it.'),
      report.host.notes.map(markdown).join(' | '),
    );
    assert.match(
      markdown(report.capabilitySummary),
      /^Everything it imports comes from its Emscripten JavaScript glue: `env`, and the WASI functions behind the \d+ capabilities below\.$/,
    );
  });

  it('with glue beside it, a module with unknown imports is Emscripten; a WASI-only one stays runnable', async () => {
    const glue = await readFile(join(RE2, 're2.js'), 'utf8');
    // Host-specific imports and the glue: what the glue provides.
    await writeFile(
      join(dir, 're2.wasm'),
      await wabtWat2Wasm('x.wat', `(module (import "env" "compute" (func)) (memory (export "memory") 1) (func (export "main")))`),
    );
    await writeFile(join(dir, 're2.js'), glue);
    const withGlue = await inspectFile(join(dir, 're2.wasm'), { wit: false });
    assert.equal(withGlue.host.kind, 'emscripten');
    assert.equal(
      markdown(withGlue.capabilitySummary),
      'Everything it imports (`env`) comes from its Emscripten JavaScript glue; it uses no WASI capabilities.',
    );
    // A STANDALONE_WASM build with a loader: a WASI command all the same.
    await writeFile(join(dir, 'standalone.js'), glue.replaceAll('re2.wasm', 'standalone.wasm'));
    await writeFile(join(dir, 'standalone.wasm'), await fixtureBytes('preview1-command'));
    const standalone = await inspectFile(join(dir, 'standalone.wasm'), { wit: false });
    assert.equal(standalone.host.kind, 'wasi-command');
    assert.equal(standalone.host.runnableByWasiRuntime, true);
    assert.ok(
      standalone.host.notes.some((n) => /a WASI runtime can run it on its own/.test(markdown(n))),
      standalone.host.notes.map(markdown).join(' | '),
    );
    // Without the glue, the same unknown import is only host-specific.
    await rm(join(dir, 're2.js'));
    assert.equal((await inspectFile(join(dir, 're2.wasm'), { wit: false })).host.kind, 'unknown-imports');
  });
});

describe('the capability sentence agrees with the host', () => {
  it('WASI only: the count, or none', async () => {
    assert.equal(markdown((await analyzeWat(`(module (func (export "_start")))`)).summary), 'It needs no WASI capabilities.');
    const one = await analyzeWat(`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (func (export "_start")))`);
    assert.equal(markdown(one.summary), 'It needs 1 capability from its host.');
  });

  it('WASI capabilities and a host-specific module: both are said', async () => {
    const report = await analyzeWat(
      `(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (import "host" "log" (func)) (func (export "_start")))`,
    );
    assert.equal(
      markdown(report.summary),
      'It needs 1 capability from its host (below), and imports from `host`, which only a host that defines them provides.',
    );
  });
});

describe('feature rows say what they mean', () => {
  it('the report labels structural features and target features apart', async () => {
    const report = await inspectFile(MINIFIED, { wit: false });
    const text = formatReportMarkdown(
      { ...report, features: ['bulk-memory'], targetFeatures: [{ prefix: '+', name: 'simd128' }] },
      'x.wasm',
    );
    assert.match(
      text,
      /\*\*Uses \(seen in its structure\):\*\* bulk-memory \(from its types, memories, tables and globals; instructions in code are not read\)/,
    );
    assert.match(
      text,
      /\*\*Compiled for \(target features\):\*\* `\+simd128` \(what the compiler was allowed to use, per its target_features section; not necessarily used\)/,
    );
  });
});
