/**
 * AssemblyScript with asc and the project's asconfig.json: one build per asconfig target. asc comes from
 * the project's node_modules (as `npx asc` would find it), never from a download.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJson } from '../detect';
import { BuildInputError } from '../errors';
import { npmHint } from '../hints';
import type { BuildOptions, BuildProject, PlanResult } from '../model';
import { describeTool, findExecutable, findNodeModulesBin, firstLine, lookedFor, type Probe } from '../tools';

interface AsConfig {
  entries?: unknown;
  options?: { outFile?: unknown };
  targets?: Record<string, { outFile?: unknown } | undefined>;
}

export async function planAssemblyScript(project: BuildProject, options: BuildOptions, probe: Probe, target?: string): Promise<PlanResult> {
  const tools = probe.tools;
  const asc = options.ascPath
    ? findExecutable(options.ascPath, tools, project.dir)
    : (findNodeModulesBin('asc', project.dir, tools) ?? findExecutable('asc', tools));
  const fail = (message: string): PlanResult => ({
    ok: false,
    project,
    problem: { kind: 'missing-toolchain', tool: 'asc', option: 'ascPath', message, hint: npmHint('assemblyscript') },
  });
  if (!asc) {
    const where = options.ascPath
      ? lookedFor(options.ascPath)
      : `looked in node_modules/.bin of ${project.dir} and its parents, and on PATH`;
    return fail(`The AssemblyScript compiler asc was not found (${where}).`);
  }
  const version = await probe.run(asc, ['--version']);
  if (!version.ok) return fail(`${asc} --version failed: ${version.error ?? firstLine(version.stderr)}`);

  const config = (readJson(project.manifest) ?? {}) as AsConfig;
  const chosen = chooseTarget(project, options, target);
  const outFile = (chosen ? config.targets?.[chosen]?.outFile : undefined) ?? config.options?.outFile;
  if (typeof outFile !== 'string') {
    throw new BuildInputError(
      `${project.manifest}: ${chosen ? `target "${chosen}"` : 'the options'} set no outFile, so asc would write no .wasm file`,
    );
  }
  // asc colours its messages when it thinks the terminal can show them (CI=true is enough); the problem
  // matcher reads plain text.
  const args = ['--config', 'asconfig.json', ...(chosen ? ['--target', chosen] : []), '--noColors'];
  if (!Array.isArray(config.entries) || config.entries.length === 0) {
    // asinit's layout, which its generated npm scripts name on the command line.
    if (!existsSync(join(project.dir, 'assembly', 'index.ts'))) {
      throw new BuildInputError(`${project.manifest} lists no "entries" and there is no assembly/index.ts to compile`);
    }
    args.unshift('assembly/index.ts');
  }
  return {
    ok: true,
    project,
    plan: {
      project,
      target: chosen ?? 'default',
      toolchain: describeTool('asc', firstLine(version.stdout), asc),
      steps: [{ kind: 'process', program: asc, args, cwd: project.dir, env: {} }],
      outputs: [resolve(project.dir, outFile)],
      problemMatcher: 'asc',
    },
  };
}

function chooseTarget(project: BuildProject, options: BuildOptions, target: string | undefined): string | undefined {
  if (target) {
    if (!project.targets.includes(target)) {
      throw new BuildInputError(`${project.manifest} has no target "${target}" (it has: ${project.targets.join(', ') || 'none'})`);
    }
    return target;
  }
  if ((options.release ?? true) === false && project.targets.includes('debug')) return 'debug';
  return project.targets[0];
}
