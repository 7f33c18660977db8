/**
 * C and C++ with clang for wasm32-wasi: one folder, one program. Checks what a link needs before building,
 * because clang's own errors for a missing libc or wasm-ld ("cannot find -lc", "unable to execute command")
 * do not say what to install.
 */
import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join } from 'node:path';
import { clangHints, platformHint } from '../hints';
import type { BuildOptions, BuildProject, PlanResult, ToolchainProblem } from '../model';
import { describeTool, findExecutable, firstLine, lookedFor, sibling, type Probe } from '../tools';

const target = 'wasm32-wasi';

export async function planC(project: BuildProject, options: BuildOptions, probe: Probe): Promise<PlanResult> {
  const tools = probe.tools;
  const cxx = project.sources.some((s) => extname(s).toLowerCase() !== '.c');
  const requested = options.clangPath || 'clang';
  const fail = (problem: Omit<ToolchainProblem, 'tool' | 'option'> & { option?: ToolchainProblem['option'] }): PlanResult => ({
    ok: false,
    project,
    problem: { tool: 'clang', option: 'clangPath', ...problem },
  });
  const hint = platformHint(clangHints, tools.platform);

  const clang = findExecutable(requested, tools, project.dir);
  if (!clang) {
    return fail({ kind: 'missing-toolchain', message: `clang was not found (${lookedFor(requested)}).`, hint });
  }
  // C++ needs the clang++ driver (it links libc++); it sits next to clang in every distribution.
  const compiler = cxx
    ? (sibling(
        clang,
        basename(clang)
          .replace(/^clang(?=[-.\d]|$)/, 'clang++')
          .replace(/\.exe$/i, ''),
        tools,
      ) ?? clang)
    : clang;
  const version = await probe.run(compiler, ['--version']);
  if (!version.ok)
    return fail({
      kind: 'missing-toolchain',
      message: `${compiler} --version failed: ${version.error ?? firstLine(version.stderr)}`,
      hint,
    });

  const sysroot = options.wasiSysroot ? [`--sysroot=${options.wasiSysroot}`] : [];
  if (options.wasiSysroot && !existsSync(options.wasiSysroot)) {
    return fail({
      kind: 'missing-target',
      option: 'wasiSysroot',
      message: `The WASI sysroot ${options.wasiSysroot} does not exist.`,
      hint,
    });
  }
  const ask = async (flag: string) => (await probe.run(compiler, [`--target=${target}`, ...sysroot, flag])).stdout.trim();
  // clang answers with a bare name when it cannot find the file: only an existing absolute path counts.
  const found = (answer: string) => isAbsolute(answer) && existsSync(answer);
  const linker = await ask('-print-prog-name=wasm-ld');
  if (!found(linker)) {
    return fail({
      kind: 'missing-toolchain',
      message: `clang (${compiler}) has no WebAssembly linker: wasm-ld was not found (lld).`,
      hint,
    });
  }
  const libc = await ask('-print-file-name=libc.a');
  if (!found(libc)) {
    const where = options.wasiSysroot
      ? `in the WASI sysroot ${options.wasiSysroot}`
      : "in clang's default locations (no WASI sysroot is set)";
    return fail({ kind: 'missing-target', option: 'wasiSysroot', message: `The WASI libc for ${target} was not found ${where}.`, hint });
  }
  const builtins = await ask('-print-libgcc-file-name');
  if (!found(builtins)) {
    return fail({
      kind: 'missing-target',
      message: `clang's runtime library for wasm32 (libclang_rt.builtins-wasm32.a) is not installed (looked for ${builtins}).`,
      hint,
    });
  }

  const release = options.release ?? true;
  const output = join(project.dir, `${outputStem(project)}.wasm`);
  // Absolute source paths make clang print absolute paths in diagnostics, which the editor's problem
  // matcher resolves whatever the task's working folder (VS Code resolves relative ones against the workspace).
  const args = [
    `--target=${target}`,
    ...sysroot,
    ...(release ? ['-O2'] : ['-O0', '-g']),
    ...(cxx ? ['-fno-exceptions'] : []),
    ...(options.cflags ?? []),
    '-o',
    output,
    ...project.sources,
  ];
  return {
    ok: true,
    project,
    plan: {
      project,
      target,
      toolchain: describeTool(basename(compiler).replace(/\.exe$/i, ''), firstLine(version.stdout), compiler),
      steps: [{ kind: 'process', program: compiler, args, cwd: project.dir, env: {} }],
      outputs: [output],
      problemMatcher: 'clang',
    },
  };
}

/** `hello.c` alone builds `hello.wasm`; several sources build `<folder>.wasm`. */
function outputStem(project: BuildProject): string {
  if (project.sources.length === 1) return basename(project.sources[0]!).replace(/\.[^.]+$/, '');
  return basename(project.dir);
}
