/** JavaScript components with componentize-js: the package's entry module and its `wit/` world. */
import { basename, join, relative } from 'node:path';
import { readJson } from '../detect';
import { npmHint } from '../hints';
import type { BuildOptions, BuildProject, PlanResult } from '../model';
import { describeTool, findExecutable, findNodeModulesBin, firstLine, lookedFor, type Probe } from '../tools';

export async function planJavaScript(project: BuildProject, options: BuildOptions, probe: Probe): Promise<PlanResult> {
  const tools = probe.tools;
  const tool = options.componentizeJsPath
    ? findExecutable(options.componentizeJsPath, tools, project.dir)
    : (findNodeModulesBin('componentize-js', project.dir, tools) ?? findExecutable('componentize-js', tools));
  const fail = (message: string): PlanResult => ({
    ok: false,
    project,
    problem: {
      kind: 'missing-toolchain',
      tool: 'componentize-js',
      option: 'componentizeJsPath',
      message,
      hint: npmHint('@bytecodealliance/componentize-js'),
    },
  });
  if (!tool) {
    const where = options.componentizeJsPath
      ? lookedFor(options.componentizeJsPath)
      : `looked in node_modules/.bin of ${project.dir} and its parents, and on PATH`;
    return fail(`componentize-js was not found (${where}).`);
  }
  const version = await probe.run(tool, ['--version']);
  if (!version.ok) return fail(`${tool} --version failed: ${version.error ?? firstLine(version.stderr)}`);

  const pkg = readJson(project.manifest) as { name?: unknown } | undefined;
  const name = typeof pkg?.name === 'string' && pkg.name ? pkg.name.split('/').pop()! : basename(project.dir);
  const output = join(project.dir, `${name}.wasm`);
  const entry = relative(project.dir, project.sources[0]!);
  return {
    ok: true,
    project,
    plan: {
      project,
      target: 'component',
      toolchain: describeTool('componentize-js', firstLine(version.stdout), tool),
      steps: [{ kind: 'process', program: tool, args: [entry, '--wit', 'wit', '-o', `${name}.wasm`], cwd: project.dir, env: {} }],
      outputs: [output],
    },
  };
}
