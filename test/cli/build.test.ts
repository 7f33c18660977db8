/** `wasm-workbench build` as users run it: a node process on dist/cli.js, real folders, real exit codes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { copyExample, scratchDir, writeTree } from '../core/build/helpers';

const run = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli.js');

async function wasmWorkbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('wasm-workbench build', () => {
  it('--list names each project, its language and whether its toolchain is ready', async () => {
    const dir = copyExample();
    const { code, stdout } = await wasmWorkbench('build', dir, '--list');
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^c-hello\tC\/C\+\+\tc-hello\/hello\.c\tready: clang [\d.]+ \(.*\), wasm32-wasi → c-hello\/hello\.wasm$/m);
    assert.match(stdout, /^rust-hello\tRust\trust-hello\/Cargo\.toml\tready: rustc /m);
    assert.match(
      stdout,
      /^assemblyscript-hello\tAssemblyScript\t.*\(targets: release, debug\) → assemblyscript-hello\/build\/release\.wasm$/m,
    );
  });

  it('builds one project, prints the command and the output, exit 0', async () => {
    const dir = copyExample();
    const { code, stdout, stderr } = await wasmWorkbench('build', dir, '--project', 'c-hello');
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /^\[c-hello\] \$ cd c-hello && \S*clang --target=wasm32-wasi -O2 -o /m);
    assert.match(stdout, /^\[c-hello\] built c-hello\/hello\.wasm \(\d+ bytes\) in [\d.]+ s$/m);
    const wasm = readFileSync(join(dir, 'c-hello', 'hello.wasm'));
    assert.deepEqual([...wasm.subarray(0, 8)], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    assert.equal(existsSync(join(dir, 'rust-hello', 'target')), false, 'only the chosen project is built');
  });

  it('a missing toolchain: exit 2 with the install hint and the flag to set', async () => {
    const dir = copyExample('c-hello');
    const { code, stdout, stderr } = await wasmWorkbench('build', dir, '--clang', '/nonexistent/bin/clang');
    assert.equal(code, 2, stdout + stderr);
    assert.match(stdout, /cannot build: clang was not found \(no executable at \/nonexistent\/bin\/clang\)\./);
    assert.match(stdout, /apt install clang lld wasi-libc libclang-rt-dev-wasm32.*\(option: --clang\)/);
    assert.match(stderr, /^wasm-workbench: missing toolchain for c-hello/m);
  });

  it("a compile error: exit 1, with the compiler's diagnostics in the output", async () => {
    const dir = writeTree(scratchDir('cli-broken'), { 'bad/main.c': 'int main(void) { return nope; }\n' });
    const { code, stdout, stderr } = await wasmWorkbench('build', dir);
    assert.equal(code, 1, stdout + stderr);
    assert.match(stdout, /main\.c:1:25: error: use of undeclared identifier 'nope'/);
    assert.match(stdout, /^\[bad\] failed with exit code 1 after/m);
    assert.match(stderr, /^wasm-workbench: build failed: bad$/m);
  });

  it('bad input: exit 2 for an unknown project, a folder with nothing to build, or no folder', async () => {
    const dir = copyExample('c-hello');
    const unknown = await wasmWorkbench('build', dir, '--project', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no project named nope under .*; there are: c-hello/);
    const empty = await wasmWorkbench('build', scratchDir('cli-empty'));
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no project to build under .*: looked for Cargo\.toml, asconfig\.json, go\.mod/);
    const missing = await wasmWorkbench('build', join(dir, 'no-such-folder'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-folder: no such folder/);
  });
});
