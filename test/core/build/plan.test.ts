// Command lines and toolchain checks, with stand-in toolchains (shell scripts) where the real one is not the
// point, and nonexistent paths for the "missing toolchain" answers a user would get.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectProjects, formatStep, planBuild, type BuildOptions, type BuildProject, type PlanResult } from '../../../src/core/build';
import { fakeTool, scratchDir, writeTree } from './helpers';

/** Options that see no real toolchain: an empty PATH and a home folder without ~/.cargo. */
function isolated(dir: string, extra: BuildOptions = {}): BuildOptions {
  return { env: { PATH: join(dir, 'no-tools') }, homeDir: join(dir, 'home'), platform: 'linux', ...extra };
}

function onlyProject(root: string): BuildProject {
  const [project, ...rest] = detectProjects(root);
  assert.ok(project && rest.length === 0, `expected one project under ${root}`);
  return project;
}

function problemOf(result: PlanResult) {
  assert.equal(result.ok, false, `expected a toolchain problem, got a plan: ${JSON.stringify(result)}`);
  return (result as Extract<PlanResult, { ok: false }>).problem;
}

function planOf(result: PlanResult) {
  assert.ok(result.ok, `expected a plan, got: ${JSON.stringify(!result.ok && result.problem)}`);
  return result.plan;
}

/** A fake Rust toolchain: cargo, rustc answering --version / --print, a sysroot with the given std targets. */
function fakeRust(
  dir: string,
  { version, known, installed, rustup = false }: { version: string; known: string[]; installed: string[]; rustup?: boolean },
): string {
  const sysroot = join(dir, 'sysroot');
  for (const target of installed) {
    mkdirSync(join(sysroot, 'lib', 'rustlib', target, 'lib'), { recursive: true });
    writeFileSync(join(sysroot, 'lib', 'rustlib', target, 'lib', 'libstd-0123.rlib'), '');
  }
  const bin = join(dir, 'bin');
  fakeTool(
    bin,
    'rustc',
    `case "$1 $2" in
  "--version ") echo "rustc ${version} (fake 2024-01-01)";;
  "--print target-list") printf '%s\\n' ${known.join(' ')} x86_64-unknown-linux-gnu;;
  "--print sysroot") echo "${sysroot}";;
esac`,
  );
  if (rustup) fakeTool(bin, 'rustup', 'exit 0');
  return fakeTool(bin, 'cargo', 'echo "cargo $*"');
}

const rustCrate = { 'Cargo.toml': '[package]\nname = "hello-rs"\nversion = "0.1.0"\n', 'src/main.rs': 'fn main() {}\n' };

describe('build plans: Rust', () => {
  it('builds for wasm32-wasip1 with the toolchain that has it, passing that rustc to cargo', async () => {
    const dir = scratchDir('rust-plan');
    const root = writeTree(join(dir, 'crate'), rustCrate);
    const cargo = fakeRust(join(dir, 'toolchain'), {
      version: '1.80.0',
      known: ['wasm32-wasi', 'wasm32-wasip1', 'wasm32-wasip2'],
      installed: ['wasm32-wasip1'],
    });
    const plan = planOf(await planBuild(onlyProject(root), isolated(dir, { cargoPath: cargo })));
    assert.equal(plan.target, 'wasm32-wasip1');
    assert.deepEqual(plan.steps, [
      {
        kind: 'process',
        program: cargo,
        args: ['build', '--target', 'wasm32-wasip1', '--release'],
        cwd: root,
        env: { RUSTC: join(dir, 'toolchain', 'bin', 'rustc') },
      },
    ]);
    assert.deepEqual(plan.outputs, [join(root, 'target', 'wasm32-wasip1', 'release', 'hello-rs.wasm')]);
    assert.equal(plan.toolchain, `rustc 1.80.0 (${join(dir, 'toolchain', 'bin', 'rustc')})`);
    assert.equal(plan.problemMatcher, 'rustc');
    assert.equal(
      formatStep(plan.steps[0]!),
      `RUSTC=${join(dir, 'toolchain', 'bin', 'rustc')} ${cargo} build --target wasm32-wasip1 --release`,
    );
  });

  it('uses wasm32-wasi on older toolchains, and a debug build without --release', async () => {
    const dir = scratchDir('rust-old');
    const root = writeTree(join(dir, 'crate'), rustCrate);
    const cargo = fakeRust(join(dir, 'toolchain'), { version: '1.63.0', known: ['wasm32-wasi'], installed: ['wasm32-wasi'] });
    const plan = planOf(await planBuild(onlyProject(root), isolated(dir, { cargoPath: cargo, release: false })));
    assert.deepEqual((plan.steps[0] as { args: string[] }).args, ['build', '--target', 'wasm32-wasi']);
    assert.deepEqual(plan.outputs, [join(root, 'target', 'wasm32-wasi', 'debug', 'hello-rs.wasm')]);
  });

  it('says which target to add when the toolchain knows it but has no std for it (rustup)', async () => {
    const dir = scratchDir('rust-missing');
    const root = writeTree(join(dir, 'crate'), rustCrate);
    const cargo = fakeRust(join(dir, 'toolchain'), {
      version: '1.95.0',
      known: ['wasm32-wasip1', 'wasm32-wasip2'],
      installed: [],
      rustup: true,
    });
    const problem = problemOf(await planBuild(onlyProject(root), isolated(dir, { cargoPath: cargo })));
    assert.equal(problem.kind, 'missing-target');
    assert.match(problem.message, /The Rust target wasm32-wasip1 is not installed for rustc 1\.95\.0/);
    assert.match(problem.hint, /rustup target add wasm32-wasip1/);
    assert.match(problem.hint, /apt install libstd-rust-dev-wasm32/);
    assert.equal(problem.option, 'cargoPath');
  });

  it('reports a configured cargo that does not exist, with install hints per platform', async () => {
    const dir = scratchDir('rust-none');
    const root = writeTree(join(dir, 'crate'), rustCrate);
    const project = onlyProject(root);
    const linux = problemOf(await planBuild(project, isolated(dir, { cargoPath: join(dir, 'nowhere', 'cargo') })));
    assert.equal(linux.kind, 'missing-toolchain');
    assert.match(linux.message, /No Rust toolchain was found \(cargo: no executable at .*nowhere\/cargo\)/);
    assert.match(linux.hint, /sudo apt install rustc cargo libstd-rust-dev-wasm32/);
    const mac = problemOf(await planBuild(project, isolated(dir, { cargoPath: join(dir, 'nowhere', 'cargo'), platform: 'darwin' })));
    assert.match(mac.hint, /brew install rustup/);
    const windows = problemOf(await planBuild(project, isolated(dir, { cargoPath: join(dir, 'nowhere', 'cargo'), platform: 'win32' })));
    assert.match(windows.hint, /winget install Rustlang\.Rustup/);
  });

  it('an explicit target must be installed', async () => {
    const dir = scratchDir('rust-explicit');
    const root = writeTree(join(dir, 'crate'), rustCrate);
    const cargo = fakeRust(join(dir, 'toolchain'), {
      version: '1.80.0',
      known: ['wasm32-wasip1', 'wasm32-wasip2'],
      installed: ['wasm32-wasip1'],
    });
    const problem = problemOf(await planBuild(onlyProject(root), isolated(dir, { cargoPath: cargo, rustTarget: 'wasm32-wasip2' })));
    assert.match(problem.message, /wasm32-wasip2 is not installed/);
    assert.equal(problem.option, 'rustTarget');
  });

  it("names every binary and a cdylib, in a workspace's target folder", async () => {
    const dir = scratchDir('rust-bins');
    writeTree(dir, {
      'ws/Cargo.toml': '[workspace]\nmembers = ["app"]\n',
      'ws/app/Cargo.toml':
        '[package]\nname = "my-app"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[[bin]]\nname = "explicit"\npath = "src/explicit.rs"\n',
      'ws/app/src/main.rs': 'fn main() {}\n',
      'ws/app/src/lib.rs': '',
      'ws/app/src/bin/extra.rs': 'fn main() {}\n',
    });
    const cargo = fakeRust(join(dir, 'toolchain'), { version: '1.80.0', known: ['wasm32-wasip1'], installed: ['wasm32-wasip1'] });
    const project = detectProjects(join(dir, 'ws'))[0]!;
    const plan = planOf(await planBuild(project, isolated(dir, { cargoPath: cargo })));
    const out = join(dir, 'ws', 'target', 'wasm32-wasip1', 'release');
    assert.deepEqual(plan.outputs.sort(), ['explicit', 'extra', 'my-app', 'my_app'].map((n) => join(out, `${n}.wasm`)).sort());
  });

  it('a component crate: wasip2 directly when installed, else the preview1 module plus the adapter', async () => {
    const dir = scratchDir('rust-component');
    const root = writeTree(join(dir, 'crate'), {
      ...rustCrate,
      'Cargo.toml': rustCrate['Cargo.toml'] + '\n[package.metadata.component]\npackage = "x:y"\n',
    });
    const project = onlyProject(root);
    const p2 = fakeRust(join(dir, 'p2'), {
      version: '1.85.0',
      known: ['wasm32-wasip1', 'wasm32-wasip2'],
      installed: ['wasm32-wasip1', 'wasm32-wasip2'],
    });
    const direct = planOf(await planBuild(project, isolated(dir, { cargoPath: p2 })));
    assert.equal(direct.target, 'wasm32-wasip2');
    assert.equal(direct.steps.length, 1);

    const p1 = fakeRust(join(dir, 'p1'), { version: '1.80.0', known: ['wasm32-wasip1'], installed: ['wasm32-wasip1'] });
    const noAdapter = problemOf(await planBuild(project, isolated(dir, { cargoPath: p1, adapterSearchPaths: [join(dir, 'adapters')] })));
    assert.equal(noAdapter.option, 'wasiAdapterPath');
    assert.match(noAdapter.message, /no wasi_snapshot_preview1\.command\.wasm in .*adapters/);

    const adapter = join(dir, 'adapters', 'wasi_snapshot_preview1.command.wasm');
    writeTree(dir, { 'adapters/wasi_snapshot_preview1.command.wasm': 'stand-in' });
    const adapted = planOf(await planBuild(project, isolated(dir, { cargoPath: p1, adapterSearchPaths: [join(dir, 'adapters')] })));
    const module = join(root, 'target', 'wasm32-wasip1', 'release', 'hello-rs.wasm');
    assert.deepEqual(adapted.steps[1], { kind: 'component', module, adapter, output: module.replace(/\.wasm$/, '.component.wasm') });
    assert.deepEqual(adapted.outputs, [module.replace(/\.wasm$/, '.component.wasm')]);
  });
});

describe('build plans: C, AssemblyScript, JavaScript, Go', () => {
  it('C: a missing clang names the path looked at and what to install', async () => {
    const dir = scratchDir('c-missing');
    const root = writeTree(join(dir, 'app'), { 'main.c': 'int main(void){return 0;}\n' });
    const problem = problemOf(await planBuild(onlyProject(root), isolated(dir, { clangPath: join(dir, 'nowhere', 'clang') })));
    assert.equal(problem.kind, 'missing-toolchain');
    assert.equal(problem.option, 'clangPath');
    assert.match(problem.message, /clang was not found \(no executable at .*nowhere\/clang\)/);
    assert.match(problem.hint, /sudo apt install clang lld wasi-libc libclang-rt-dev-wasm32/);
    const mac = problemOf(await planBuild(onlyProject(root), isolated(dir, { clangPath: 'no-such-clang', platform: 'darwin' })));
    assert.match(mac.message, /looked for `no-such-clang` on PATH/);
    assert.match(mac.hint, /brew install llvm lld wasi-libc/);
  });

  it('C: a clang without a WASI libc or wasm-ld is caught before building', async () => {
    const dir = scratchDir('c-nolibc');
    const root = writeTree(join(dir, 'app'), { 'main.c': 'int main(void){return 0;}\n' });
    const ld = fakeTool(join(dir, 'bin'), 'wasm-ld', 'exit 0');
    // Answers like a clang that has a linker but whose sysroot lacks libc.a: the bare name comes back.
    const clang = fakeTool(
      join(dir, 'bin'),
      'clang',
      `case "$*" in
  --version) echo "clang version 18.1.0";;
  *-print-prog-name=wasm-ld) echo "${ld}";;
  *-print-file-name=libc.a) echo "libc.a";;
esac`,
    );
    const problem = problemOf(await planBuild(onlyProject(root), isolated(dir, { clangPath: clang })));
    assert.equal(problem.kind, 'missing-target');
    assert.equal(problem.option, 'wasiSysroot');
    assert.match(problem.message, /The WASI libc for wasm32-wasi was not found/);
    const sysroot = problemOf(
      await planBuild(onlyProject(root), isolated(dir, { clangPath: clang, wasiSysroot: join(dir, 'no-sysroot') })),
    );
    assert.match(sysroot.message, /The WASI sysroot .*no-sysroot does not exist/);
  });

  it('C: the command line, with the sysroot, extra flags and C++ handled', async () => {
    const dir = scratchDir('c-args');
    const sysroot = writeTree(join(dir, 'sysroot'), { 'lib/wasm32-wasi/libc.a': '' });
    const builtins = writeTree(join(dir, 'rt'), { 'libclang_rt.builtins-wasm32.a': '' });
    const ld = fakeTool(join(dir, 'bin'), 'wasm-ld', 'exit 0');
    const answers = `case "$*" in
  --version) echo "clang version 18.1.8";;
  *-print-prog-name=wasm-ld) echo "${ld}";;
  *-print-file-name=libc.a) echo "${sysroot}/lib/wasm32-wasi/libc.a";;
  *-print-libgcc-file-name) echo "${builtins}/libclang_rt.builtins-wasm32.a";;
esac`;
    const clang = fakeTool(join(dir, 'bin'), 'clang', answers);
    const clangxx = fakeTool(join(dir, 'bin'), 'clang++', answers);
    const c = writeTree(join(dir, 'c'), { 'a.c': '', 'b.c': '' });
    const plan = planOf(await planBuild(onlyProject(c), isolated(dir, { clangPath: clang, wasiSysroot: sysroot, cflags: ['-Wall'] })));
    assert.deepEqual(plan.steps[0], {
      kind: 'process',
      program: clang,
      args: ['--target=wasm32-wasi', `--sysroot=${sysroot}`, '-O2', '-Wall', '-o', join(c, 'c.wasm'), join(c, 'a.c'), join(c, 'b.c')],
      cwd: c,
      env: {},
    });
    assert.equal(plan.toolchain, `clang 18.1.8 (${clang})`);
    const cpp = writeTree(join(dir, 'cpp'), { 'main.cpp': '' });
    const cppPlan = planOf(await planBuild(onlyProject(cpp), isolated(dir, { clangPath: clang, release: false })));
    assert.equal((cppPlan.steps[0] as { program: string }).program, clangxx);
    assert.deepEqual((cppPlan.steps[0] as { args: string[] }).args, [
      '--target=wasm32-wasi',
      '-O0',
      '-g',
      '-fno-exceptions',
      '-o',
      join(cpp, 'main.wasm'),
      join(cpp, 'main.cpp'),
    ]);
  });

  it('AssemblyScript: asc from node_modules/.bin, one plan per asconfig target; a missing asc says npm install', async () => {
    const dir = scratchDir('as-plan');
    const root = writeTree(join(dir, 'app'), {
      'asconfig.json': JSON.stringify({ targets: { debug: { outFile: 'build/debug.wasm' }, release: { outFile: 'build/release.wasm' } } }),
      'assembly/index.ts': '',
    });
    const asc = fakeTool(join(dir, 'node_modules', '.bin'), 'asc', 'echo "Version 0.28.20"');
    const project = onlyProject(root);
    const release = planOf(await planBuild(project, isolated(dir)));
    assert.deepEqual(release.steps[0], {
      kind: 'process',
      program: asc,
      args: ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'release', '--noColors'],
      cwd: root,
      env: {},
    });
    assert.deepEqual(release.outputs, [join(root, 'build', 'release.wasm')]);
    assert.equal(release.toolchain, `asc 0.28.20 (${asc})`);
    const debug = planOf(await planBuild(project, isolated(dir), { target: 'debug' }));
    assert.deepEqual(debug.outputs, [join(root, 'build', 'debug.wasm')]);
    await assert.rejects(planBuild(project, isolated(dir), { target: 'nope' }), /has no target "nope" \(it has: release, debug\)/);

    const problem = problemOf(await planBuild(project, isolated(dir, { ascPath: join(dir, 'nowhere', 'asc') })));
    assert.equal(problem.option, 'ascPath');
    assert.match(problem.hint, /npm install --save-dev assemblyscript/);
  });

  it('JavaScript: componentize-js with the wit folder; missing, it says which package to install', async () => {
    const dir = scratchDir('js-plan');
    const root = writeTree(join(dir, 'app'), {
      'package.json': '{"name":"@scope/hello-js"}',
      'src/index.js': '',
      'wit/world.wit': 'package a:b;\nworld w {}\n',
    });
    const tool = fakeTool(join(dir, 'node_modules', '.bin'), 'componentize-js', 'echo 0.23.0');
    const plan = planOf(await planBuild(onlyProject(root), isolated(dir)));
    assert.deepEqual(plan.steps[0], {
      kind: 'process',
      program: tool,
      args: ['src/index.js', '--wit', 'wit', '-o', 'hello-js.wasm'],
      cwd: root,
      env: {},
    });
    assert.deepEqual(plan.outputs, [join(root, 'hello-js.wasm')]);
    const problem = problemOf(await planBuild(onlyProject(root), isolated(dir, { componentizeJsPath: join(dir, 'none') })));
    assert.match(problem.hint, /npm install --save-dev @bytecodealliance\/componentize-js/);
  });

  it('Go: GOOS=wasip1 from Go 1.21; older Go falls back to TinyGo; neither is a clear problem', async () => {
    const dir = scratchDir('go-plan');
    const root = writeTree(join(dir, 'app'), {
      'go.mod': 'module example.com/cmd/hello-go\n',
      'main.go': 'package main\nfunc main() {}\n',
    });
    const project = onlyProject(root);
    const newGo = fakeTool(join(dir, 'go122'), 'go', 'echo "go version go1.22.5 linux/amd64"');
    const plan = planOf(await planBuild(project, isolated(dir, { goPath: newGo })));
    assert.deepEqual(plan.steps[0], {
      kind: 'process',
      program: newGo,
      args: ['build', '-o', join(root, 'hello-go.wasm'), '.'],
      cwd: root,
      env: { GOOS: 'wasip1', GOARCH: 'wasm' },
    });
    assert.equal(formatStep(plan.steps[0]!), `GOOS=wasip1 GOARCH=wasm ${newGo} build -o ${join(root, 'hello-go.wasm')} .`);

    const oldGo = fakeTool(join(dir, 'go119'), 'go', 'echo "go version go1.19.8 linux/amd64"');
    const tinygo = fakeTool(
      join(dir, 'tinygo'),
      'tinygo',
      'echo "tinygo version 0.29.0 linux/amd64 (using go version go1.19.8 and LLVM version 15.0.0)"',
    );
    const viaTiny = planOf(await planBuild(project, isolated(dir, { goPath: oldGo, tinygoPath: tinygo })));
    assert.deepEqual((viaTiny.steps[0] as { args: string[] }).args, ['build', '-target=wasi', '-o', join(root, 'hello-go.wasm'), '.']);

    const problem = problemOf(await planBuild(project, isolated(dir, { goPath: oldGo })));
    assert.equal(problem.kind, 'unsupported-version');
    assert.match(problem.message, /Go 1\.19\.8 at .* is too old for WASI \(GOOS=wasip1 needs Go 1\.21 or newer\); TinyGo was not found/);
    assert.match(problem.hint, /bookworm-backports/);
  });
});
