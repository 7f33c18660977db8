import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memorySource, readBinary } from '../../../src/core/binary';
import { analyzeCapabilities, capabilityCatalog, type CapabilityReport } from '../../../src/core/capabilities';
import { fixtureBytes, type FixtureName } from '../../fixtures';
import { wabtWat2Wasm } from '../../fixtures/tools';
import { markdown } from '../../../src/core/text/markdown';
import { plainText } from '../../../src/core/text/rich';

async function analyzeFixture(name: FixtureName): Promise<CapabilityReport> {
  return analyzeCapabilities(await readBinary(memorySource(await fixtureBytes(name))));
}

async function analyzeWat(wat: string): Promise<CapabilityReport> {
  return analyzeCapabilities(await readBinary(memorySource(await wabtWat2Wasm('test.wat', wat, { threads: true }))));
}

const ids = (report: CapabilityReport) => report.capabilities.map((c) => c.id);
const importsOf = (report: CapabilityReport, id: string) => report.capabilities.find((c) => c.id === id)?.imports ?? [];

describe('capability analysis of real binaries', () => {
  it('C hello world (prints argv[1]): a preview1 command that needs stdio, args and exit, nothing else', async () => {
    const report = await analyzeFixture('preview1-command');
    assert.equal(report.host.kind, 'wasi-command');
    assert.equal(report.host.title, 'WASI preview1 command');
    assert.equal(report.host.wasi, 'preview1');
    assert.equal(report.host.entryPoint, '_start');
    assert.equal(report.host.runnableByWasiRuntime, true);
    assert.deepEqual(ids(report), ['stdio', 'args', 'exit']);
    assert.ok(importsOf(report, 'stdio').includes('wasi_snapshot_preview1.fd_write'));
  });

  it('C program using env, args, files, time, entropy and sleep: each capability with the imports behind it', async () => {
    const report = await analyzeFixture('preview1-everything');
    for (const id of ['stdio', 'args', 'environment', 'filesystem', 'clocks', 'random', 'exit', 'poll']) {
      assert.ok(ids(report).includes(id as never), `${id} in ${ids(report).join()}`);
    }
    assert.ok(importsOf(report, 'environment').includes('wasi_snapshot_preview1.environ_get'));
    assert.ok(importsOf(report, 'filesystem').includes('wasi_snapshot_preview1.path_open'));
    assert.ok(importsOf(report, 'random').includes('wasi_snapshot_preview1.random_get'));
    assert.ok(importsOf(report, 'poll').includes('wasi_snapshot_preview1.poll_oneoff'));
    assert.equal(report.capabilities.find((c) => c.id === 'filesystem')!.risk, 'high');
  });

  it('reactor: no _start, entry point _initialize', async () => {
    const report = await analyzeFixture('preview1-reactor');
    assert.equal(report.host.kind, 'wasi-reactor');
    assert.equal(report.host.entryPoint, '_initialize');
  });

  it('wasi_unstable (preview0) is recognised as an older WASI', async () => {
    const report = await analyzeFixture('preview0');
    assert.equal(report.host.kind, 'wasi-command');
    assert.equal(report.host.wasi, 'preview0');
    assert.ok(ids(report).includes('stdio'));
  });

  it('wasi-threads: thread-spawn and shared memory mean threads', async () => {
    const report = await analyzeFixture('wasi-threads');
    assert.ok(ids(report).includes('threads'));
    assert.ok(importsOf(report, 'threads').includes('wasi.thread-spawn'));
    assert.ok(importsOf(report, 'threads').some((i) => /shared memory/.test(i)));
    assert.ok(report.host.notes.some((n) => /wasi-threads/.test(markdown(n))));
  });

  it('component command: WASI 0.2 command world, capabilities from interface imports', async () => {
    const report = await analyzeFixture('component-command');
    assert.equal(report.host.kind, 'wasi-component-command');
    assert.equal(report.host.wasi, '0.2');
    assert.equal(report.host.entryPoint, 'wasi:cli/run');
    assert.ok(ids(report).includes('stdio'), ids(report).join());
    assert.ok(importsOf(report, 'stdio').some((i) => /^wasi:cli\/std(out|err)@0\.2/.test(i)));
  });

  it('HTTP component: proxy world, serving HTTP comes from its export', async () => {
    const report = await analyzeFixture('component-http');
    assert.equal(report.host.kind, 'wasi-http-proxy');
    assert.ok(importsOf(report, 'http-incoming').some((i) => i.startsWith('export wasi:http/incoming-handler@0.2')));
  });

  it('Emscripten module: named as needing its JavaScript glue, not runnable by WASI runtimes', async () => {
    const report = await analyzeFixture('emscripten-style');
    assert.equal(report.host.kind, 'emscripten');
    assert.equal(report.host.runnableByWasiRuntime, false);
    assert.match(markdown(report.host.summary), /JavaScript/);
  });

  it('wasm-bindgen module: JS glue', async () => {
    const report = await analyzeFixture('wasm-bindgen-style');
    assert.equal(report.host.kind, 'js-glue');
    assert.equal(report.host.runnableByWasiRuntime, false);
  });

  it('no imports: runnable anywhere, needs nothing', async () => {
    const report = await analyzeFixture('no-imports');
    assert.equal(report.host.kind, 'no-imports');
    assert.deepEqual(report.capabilities, []);
  });

  it('unknown import modules are named', async () => {
    const report = await analyzeFixture('unknown-imports');
    assert.equal(report.host.kind, 'unknown-imports');
    assert.deepEqual([...report.host.unknownModules].sort(), ['acme:logger', 'host']);
    assert.match(markdown(report.host.summary), /`acme:logger`/);
  });
});

describe('capability analysis of specific imports', () => {
  it('preview1 sockets, and an unknown preview1 function reported as unrecognised', async () => {
    const report = await analyzeWat(`(module
      (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "not_a_wasi_call" (func))
      (func (export "_start")))`);
    assert.deepEqual(ids(report), ['sockets']);
    assert.deepEqual(
      report.unrecognised.map((u) => u.import),
      ['wasi_snapshot_preview1.not_a_wasi_call'],
    );
  });

  it('wit-bindgen core module importing WASI 0.2 interfaces: arguments vs environment by function', async () => {
    const report = await analyzeWat(`(module
      (import "wasi:cli/environment@0.2.0" "get-arguments" (func (param i32)))
      (import "wasi:cli/environment@0.2.0" "get-environment" (func (param i32)))
      (import "wasi:sockets/tcp@0.2.0" "[method]tcp-socket.connect" (func (param i32)))
      (import "wasi:io/streams@0.2.0" "[resource-drop]output-stream" (func (param i32))))`);
    assert.equal(report.host.kind, 'wit-core-module');
    assert.deepEqual(ids(report), ['args', 'environment', 'sockets']);
  });

  it('AssemblyScript runtime imports are JS glue', async () => {
    const report = await analyzeWat(`(module (import "env" "abort" (func (param i32 i32 i32 i32))) (func (export "add")))`);
    assert.equal(report.host.kind, 'js-glue');
    assert.match(report.host.title, /AssemblyScript/);
  });

  it('an imported env.memory alone does not make a module host-specific', async () => {
    const report = await analyzeWat(`(module (import "env" "memory" (memory 1 1 shared))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))) (func (export "_start")))`);
    assert.equal(report.host.kind, 'wasi-command');
    assert.ok(report.host.notes.some((n) => /env\.memory/.test(markdown(n))));
  });
});

describe('capability catalogue', () => {
  it('covers the ids the product promises, each with words, a risk and grant hints for every host', () => {
    for (const id of [
      'stdio',
      'filesystem',
      'environment',
      'args',
      'clocks',
      'random',
      'exit',
      'sockets',
      'http-outgoing',
      'http-incoming',
      'poll',
      'threads',
      'wasi-nn',
      'keyvalue',
      'config',
    ]) {
      assert.ok(capabilityCatalog.has(id as never), id);
    }
    for (const c of capabilityCatalog.values()) {
      assert.ok(c.title && c.description.endsWith('.'), c.id);
      assert.ok(['low', 'medium', 'high'].includes(c.risk));
      assert.ok(plainText(c.grant.runner) && plainText(c.grant.wasmtime) && plainText(c.grant.spin), c.id);
    }
  });
});
