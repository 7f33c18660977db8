/** The CLI as users run it: a separate node process on dist/cli.js, real files, real exit codes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { promisify } from 'node:util';
import { runnerSupport } from '../../src/core/run';
import { fixturePath } from '../fixtures';
import { plainText } from '../../src/core/text/rich';

const run = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli.js');

async function wasmWorkbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('wasm-workbench CLI', () => {
  it("run --help says what a guest gets, from the runner's support table", async () => {
    const { code, stdout } = await wasmWorkbench('run', '--help');
    assert.equal(code, 0);
    const section = stdout.slice(stdout.indexOf('What a guest gets:'));
    for (const [id, support] of Object.entries(runnerSupport)) {
      const heading = {
        always: 'always:',
        'on-grant': 'when granted:',
        off: 'linked, but every use fails:',
        unsupported: 'refused before the run (exit 2):',
      }[support.level];
      const block = section.slice(section.indexOf(heading)).split('\n').slice(1).join('\n');
      assert.match(block.split(/\n {2}\S/)[0]!, new RegExp(`\\b${id}\\b`), `${id} is not listed under "${heading}"`);
    }
  });

  let scratch = '';
  before(async () => {
    scratch = join(process.cwd(), '.test-output', 'cli');
    await mkdir(scratch, { recursive: true });
  });

  it('inspect --json gives the documented report fields', async () => {
    const file = await fixturePath('preview1-everything');
    const { code, stdout } = await wasmWorkbench('inspect', file, '--json', '--function-sizes');
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.kind, 'module');
    assert.ok(report.sizeBytes > 0);
    for (const s of report.sections) assert.deepEqual(Object.keys(s).sort(), ['id', 'name', 'offset', 'size']);
    assert.ok(
      report.imports.some(
        (i: Record<string, string>) =>
          i.module === 'wasi_snapshot_preview1' && i.name === 'path_open' && i.kind === 'func' && i.type.startsWith('(func (param'),
      ),
    );
    assert.ok(report.exports.some((e: Record<string, string>) => e.name === '_start' && e.kind === 'func'));
    assert.ok(report.customSections.some((s: Record<string, string>) => s.name === '.debug_info'));
    assert.ok(report.producers.language.length > 0);
    assert.ok(report.functions.bodies.length === report.functions.defined);
    assert.equal(report.host.kind, 'wasi-command');
    const filesystem = report.capabilities.find((c: Record<string, unknown>) => c.id === 'filesystem');
    assert.ok(filesystem.description && filesystem.risk === 'high' && filesystem.imports.length && plainText(filesystem.grant.wasmtime));
  });

  it('inspect of a component includes its WIT world', async () => {
    const { code, stdout } = await wasmWorkbench('inspect', await fixturePath('component-command'), '--json');
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.kind, 'component');
    assert.match(report.wit, /world \S+ \{/);
    assert.match(report.wit, /export wasi:cli\/run@0\.2\.\d+;/);
    assert.ok(report.coreModules.length >= 2);
  });

  it('inspect prints a readable report', async () => {
    const { code, stdout } = await wasmWorkbench('inspect', await fixturePath('preview1-command'));
    assert.equal(code, 0);
    assert.match(stdout, /^# Wasm report: preview1-command\.wasm$/m);
    assert.match(stdout, /^\*\*Host:\*\* WASI preview1 command$/m);
    assert.match(stdout, /^### Standard input and output — `stdio` \(low risk\)$/m);
    assert.match(stdout, /\| `wasi_snapshot_preview1` \| `fd_write` \| func \| `\(func \(param i32 i32 i32 i32\) \(result i32\)\)` \|/);
  });

  it('caps --deny exits 3 when a denied capability is needed and 0 when not', async () => {
    const file = await fixturePath('preview1-everything');
    const denied = await wasmWorkbench('caps', file, '--deny', 'sockets,filesystem');
    assert.equal(denied.code, 3);
    assert.match(denied.stderr, /policy violation: needs denied capability filesystem \(.*wasi_snapshot_preview1\.path_open\)/);
    const allowed = await wasmWorkbench('caps', file, '--deny', 'sockets,http-outgoing', '--json');
    assert.equal(allowed.code, 0);
    const json = JSON.parse(allowed.stdout);
    assert.deepEqual(json.violations, []);
    assert.ok(json.capabilities.some((c: Record<string, string>) => c.id === 'environment'));
  });

  it('bad input exits 2 with the offset and what is wrong', async () => {
    const broken = join(scratch, 'broken.wasm');
    await writeFile(broken, Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x64, 0x00));
    const { code, stderr, stdout } = await wasmWorkbench('inspect', broken);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /broken\.wasm: malformed Wasm binary at byte 0x8 \(8\): type section declares 100 bytes but only 1 remain in the file/,
    );
  });

  it('a missing file, an unknown capability id and an unknown command exit 2', async () => {
    assert.match((await wasmWorkbench('caps', join(scratch, 'nope.wasm'))).stderr, /nope\.wasm: no such file/);
    const unknownId = await wasmWorkbench('caps', await fixturePath('no-imports'), '--deny', 'filesytem');
    assert.equal(unknownId.code, 2);
    assert.match(unknownId.stderr, /unknown capability "filesytem"/);
    const unknownCommand = await wasmWorkbench('frobnicate');
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /unknown command 'frobnicate'/);
    const noFile = await wasmWorkbench('inspect');
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /expected one FILE/);
  });

  it('--help works for the tool and each command', async () => {
    const top = await wasmWorkbench('--help');
    assert.equal(top.code, 0);
    assert.match(top.stdout, /inspect .*\n.*caps /);
    for (const command of ['inspect', 'caps']) {
      const help = await wasmWorkbench(command, '--help');
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^usage: wasm-workbench ${command} FILE`));
      assert.match(help.stdout, /Exit codes:/);
    }
  });

  it('run passes arguments and exits with the guest exit code; --deny refuses with 3; a malformed file gives 2', async () => {
    const hello = await fixturePath('preview1-command');
    const ok = await wasmWorkbench('run', hello, '--', 'CLI');
    assert.deepEqual([ok.code, ok.stdout], [0, 'hello, CLI\n']);
    const denied = await wasmWorkbench('run', hello, '--deny', 'stdio');
    assert.equal(denied.code, 3);
    assert.match(
      denied.stderr,
      /^wasm-workbench: .*preview1-command\.wasm: policy violation: needs denied capability stdio \(wasi_snapshot_preview1\./m,
    );
    // One event, one wording: caps --deny says the same line.
    const caps = await wasmWorkbench('caps', hello, '--deny', 'stdio');
    assert.equal(caps.code, 3);
    assert.equal(caps.stderr, denied.stderr);
    const broken = join(scratch, 'broken-run.wasm');
    await writeFile(broken, Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x64, 0x00));
    const bad = await wasmWorkbench('run', broken);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /malformed Wasm binary at byte 0x8/);
    const badFlag = await wasmWorkbench('run', hello, '--dir', 'a::b::c');
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /bad directory grant "a::b::c"/);
  });

  it('run --invoke calls a reactor export and prints its result', async () => {
    const { code, stdout } = await wasmWorkbench('run', await fixturePath('preview1-reactor'), '--invoke', 'add', '--', '20', '22');
    assert.deepEqual([code, stdout], [0, '42\n']);
  });

  it('compile writes a binary, and reports errors as file:line:col with exit 1', async () => {
    const good = join(scratch, 'ok.wat');
    await writeFile(good, '(module (func (export "f")))');
    const compiled = await wasmWorkbench('compile', good, '-o', join(scratch, 'ok.wasm'));
    assert.equal(compiled.code, 0);
    assert.match(compiled.stdout, /wrote .*ok\.wasm \(\d+ bytes, module\)/);
    const bad = join(scratch, 'bad.wat');
    await writeFile(bad, '(module\n  (func (result i32)\n    i32.const 1\n    f32.const 2\n    i32.add))');
    const failed = await wasmWorkbench('compile', bad);
    assert.equal(failed.code, 1);
    assert.match(
      failed.stdout,
      /bad\.wat:4:5: error: i32\.add\[1\] expected type i32, found f32\.const of type f32 \(in function 0\) \[V8\]/,
    );
  });

  it('print writes WAT that compiles back, to standard output or a file', async () => {
    const source = join(scratch, 'answer.wat');
    await writeFile(source, '(module $m (func $answer (export "answer") (result i32) i32.const 42))');
    assert.equal((await wasmWorkbench('compile', source)).code, 0);
    const printed = await wasmWorkbench('print', join(scratch, 'answer.wasm'));
    assert.equal(printed.code, 0);
    assert.match(printed.stdout, /^\(module \$m\n {2}\(type \(;0;\) \(func \(result i32\)\)\)\n {2}\(export "answer" \(func \$answer\)\)/);
    const written = await wasmWorkbench('print', join(scratch, 'answer.wasm'), '-o', join(scratch, 'again.wat'), '--full');
    assert.match(written.stdout, /wrote .*again\.wat \(\d+ bytes\)/);
    assert.equal((await wasmWorkbench('compile', join(scratch, 'again.wat'))).code, 0);
    const broken = await wasmWorkbench('print', source);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /not a WebAssembly binary/);
  });
});
