// Real builds of the examples with the real toolchains (setup.sh installs them: Debian clang + wasi-libc,
// rustc/cargo + libstd-rust-dev-wasm32, and the assemblyscript devDependency), each checked by reading the
// output back: it must be a WASI preview1 command (or, for the component example, a WASI 0.2 command component).
// Go is optional: without Go 1.21+ or TinyGo the Go test is skipped and says why.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { join } from 'node:path';
import { detectProjects, formatStep, planBuild, runBuild, type BuildOptions, type BuildPlan } from '../../../src/core/build';
import { inspectFile } from '../../../src/core/inspect';
import { adapterPath } from '../../fixtures/tools';
import { copyExample, scratchDir, writeTree } from './helpers';

async function planExample(name: string, options: BuildOptions = {}): Promise<BuildPlan> {
  const dir = copyExample(name);
  const [project] = detectProjects(dir);
  assert.ok(project, `no project detected in a copy of examples/${name}`);
  const result = await planBuild(project, options);
  // A missing required toolchain fails with the same message a user would get.
  assert.ok(result.ok, !result.ok ? `${name}: ${result.problem.message} ${result.problem.hint}` : '');
  return result.plan;
}

async function build(plan: BuildPlan, t: TestContext): Promise<string> {
  let log = '';
  const result = await runBuild(plan, { onOutput: (text) => (log += text) });
  assert.equal(result.exitCode, 0, `${plan.steps.map((s) => formatStep(s)).join(' && ')} failed:\n${log}${result.error ?? ''}`);
  assert.deepEqual(result.missing, [], `the build did not write ${result.missing.join(', ')}:\n${log}`);
  t.diagnostic(`${plan.project.name}: ${plan.toolchain}, ${plan.target}, ${result.durationMs} ms`);
  return result.outputs[0]!;
}

describe('real builds of the examples', () => {
  it('C (examples/c-hello) with clang for wasm32-wasi', async (t) => {
    const plan = await planExample('c-hello');
    const report = await inspectFile(await build(plan, t), { wit: false });
    assert.equal(report.kind, 'module');
    assert.equal(report.host.kind, 'wasi-command');
    assert.equal(report.host.wasi, 'preview1');
  });

  it("Rust (examples/rust-hello): finds a toolchain with a WASI std even when PATH's first has none", async (t) => {
    const plan = await planExample('rust-hello');
    assert.match(plan.target, /^wasm32-wasip?1?$/);
    const report = await inspectFile(await build(plan, t), { wit: false });
    assert.equal(report.host.kind, 'wasi-command');
    assert.equal(report.host.wasi, 'preview1');
  });

  it('AssemblyScript (examples/assemblyscript-hello) with asc from node_modules', async (t) => {
    const plan = await planExample('assemblyscript-hello');
    assert.equal(plan.target, 'release');
    const report = await inspectFile(await build(plan, t), { wit: false });
    assert.equal(report.host.kind, 'wasi-command', `imports: ${JSON.stringify(report.imports)}`);
    assert.deepEqual(report.unrecognisedImports, []);
  });

  it('a Rust component (examples/component-hello): a WASI 0.2 command component', async (t) => {
    const adapters = join(await adapterPath('command'), '..');
    const plan = await planExample('component-hello', { adapterSearchPaths: [adapters] });
    const report = await inspectFile(await build(plan, t), { wit: false });
    assert.equal(report.kind, 'component');
    assert.equal(report.host.kind, 'wasi-component-command');
  });

  it("a compile error fails the build with the compiler's exit code and a diagnostic", async () => {
    const dir = writeTree(scratchDir('broken'), { 'broken.c': 'int main(void) { return undefined_name; }\n' });
    const result = await planBuild(detectProjects(dir)[0]!);
    assert.ok(result.ok, !result.ok ? result.problem.message : '');
    let log = '';
    const run = await runBuild(result.plan, { onOutput: (text) => (log += text) });
    assert.notEqual(run.exitCode, 0);
    assert.equal(run.ok, false);
    assert.deepEqual(run.outputs, []);
    // The clang problem matcher's shape: file:line:col: error: message, with the absolute path.
    assert.match(log, new RegExp(`^${join(dir, 'broken.c').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:25: error: .*undefined_name`, 'm'));
  });

  it('Go (optional) with Go 1.21+ or TinyGo', async (t) => {
    const dir = writeTree(scratchDir('go'), {
      'go.mod': 'module example.com/hello\n\ngo 1.21\n',
      'main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from Go") }\n',
    });
    const result = await planBuild(detectProjects(dir)[0]!);
    if (!result.ok) {
      t.skip(`no Go toolchain for WASI here: ${result.problem.message}`);
      return;
    }
    const report = await inspectFile(await build(result.plan, t), { wit: false });
    assert.equal(report.host.kind, 'wasi-command');
  });
});
