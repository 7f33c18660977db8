/**
 * Tasks of type `wasm`: one per detected project (and per asconfig target), so builds run in the terminal
 * with problem matchers, appear in "Run Task", and can be pinned in tasks.json as
 * `{ "type": "wasm", "project": "rust-hello" }`. No tasks in untrusted workspaces: they run compilers.
 */
import { relative } from 'node:path';
import * as vscode from 'vscode';
import {
  createProbe,
  detectProjects,
  formatProblem,
  planBuild,
  type BuildOptions,
  type BuildPlan,
  type BuildProject,
  type PlanResult,
  type ToolOption,
} from '../../core/build';
import type { Log } from '../log';
import { config } from '../config';
import { errorMessage } from '../../core/errors';

export const taskType = 'wasm';

/** The task definition contributed in package.json (`contributes.taskDefinitions`). */
export interface WasmTaskDefinition extends vscode.TaskDefinition {
  type: typeof taskType;
  /** The project's folder relative to the workspace folder (`.` for the folder itself). */
  project: string;
  language?: string;
  target?: string;
}

/** A project with the workspace folder it was found in. */
export interface FolderProject {
  folder: vscode.WorkspaceFolder;
  project: BuildProject;
  /** The asconfig target when the project has several; undefined for the default. */
  target?: string;
}

export function detectWorkspaceProjects(): FolderProject[] {
  const found: FolderProject[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue; // compilers need local files
    for (const project of detectProjects(folder.uri.fsPath)) {
      if (project.targets.length > 1) for (const target of project.targets) found.push({ folder, project, target });
      else found.push({ folder, project });
    }
  }
  return found;
}

export function definitionFor(item: FolderProject): WasmTaskDefinition {
  return {
    type: taskType,
    project: relative(item.folder.uri.fsPath, item.project.dir).split('\\').join('/') || '.',
    language: item.project.language,
    ...(item.target ? { target: item.target } : {}),
  };
}

export function taskLabel(item: FolderProject): string {
  return item.target ? `${item.project.name} (${item.target})` : item.project.name;
}

export class WasmTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly extensionPath: string,
    private readonly log: Log,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const tasks: vscode.Task[] = [];
    const probes = new Map<string, ReturnType<typeof createProbe>>();
    for (const item of detectWorkspaceProjects()) {
      const options = config.build.options(item.folder.uri, this.extensionPath);
      const key = item.folder.uri.toString();
      const probe = probes.get(key) ?? createProbe(options);
      probes.set(key, probe);
      try {
        const result = await planBuild(item.project, options, { probe, ...(item.target ? { target: item.target } : {}) });
        tasks.push(this.taskFor(item, result, options, definitionFor(item)));
      } catch (error) {
        this.log.warn(`No task for ${item.project.name}: ${errorMessage(error)}`);
      }
    }
    return tasks;
  }

  /** A task from tasks.json: find its project and give it an execution. */
  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const definition = task.definition as WasmTaskDefinition;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder || typeof definition.project !== 'string') return undefined;
    const item = detectWorkspaceProjects().find(
      (p) =>
        p.folder === folder &&
        definitionFor(p).project === (definition.project.replace(/\/+$/, '') || '.') &&
        (!definition.language || p.project.language === definition.language),
    );
    if (!item) {
      this.log.warn(`tasks.json: no ${definition.language ?? ''} project in ${definition.project} of ${folder.name}`);
      return undefined;
    }
    const options = config.build.options(folder.uri, this.extensionPath);
    const target = definition.target ?? item.target;
    const result = await planBuild(item.project, options, target ? { target } : {});
    return this.taskFor({ ...item, ...(target ? { target } : {}) }, result, options, definition);
  }

  taskFor(item: FolderProject, result: PlanResult, options: BuildOptions, definition: WasmTaskDefinition): vscode.Task {
    const label = taskLabel(item);
    if (!result.ok) {
      // Listed all the same, so the user learns what is missing by running it, not by its absence.
      const text = `${formatProblem(result.problem)}\r\n(setting: wasmWorkbench.build.${result.problem.option})\r\n`;
      const task = new vscode.Task(
        definition,
        item.folder,
        label,
        taskType,
        new vscode.CustomExecution(async () => messageTerminal(text, 2)),
      );
      task.detail = `cannot build: ${result.problem.message}`;
      return task;
    }
    const { plan } = result;
    const task = new vscode.Task(
      definition,
      item.folder,
      label,
      taskType,
      this.execution(plan, options, item),
      plan.problemMatcher ? [`$wasm-${plan.problemMatcher}`] : [],
    );
    task.group = vscode.TaskGroup.Build;
    task.detail = `${plan.toolchain} → ${plan.outputs.map((o) => relative(item.folder.uri.fsPath, o)).join(', ')}`;
    task.presentationOptions = { clear: true, showReuseMessage: false };
    return task;
  }

  /**
   * The compiler itself when the plan is one command. A plan with an in-process step (making a component with
   * wasm-tools) runs through the bundled CLI instead, which does every step of the same plan.
   */
  private execution(plan: BuildPlan, options: BuildOptions, item: FolderProject): vscode.ProcessExecution {
    const [first] = plan.steps;
    if (plan.steps.length === 1 && first?.kind === 'process') {
      return new vscode.ProcessExecution(first.program, first.args, { cwd: first.cwd, env: first.env });
    }
    const flags: [ToolOption, string][] = [
      ['clangPath', '--clang'],
      ['wasiSysroot', '--wasi-sysroot'],
      ['cargoPath', '--cargo'],
      ['ascPath', '--asc'],
      ['goPath', '--go'],
      ['tinygoPath', '--tinygo'],
      ['componentizeJsPath', '--componentize-js'],
      ['wasiAdapterPath', '--wasi-adapter'],
    ];
    const args = [
      `${this.extensionPath}/dist/cli.js`,
      'build',
      item.project.dir,
      '--project',
      '.',
      ...flags.flatMap(([option, flag]) => (options[option] ? [flag, String(options[option])] : [])),
      ...(plan.project.language === 'rust' ? ['--rust-target', plan.target] : item.target ? ['--target', item.target] : []),
      ...(options.release === false ? ['--debug'] : []),
    ];
    // The extension host's executable is Node (code-server) or Electron, which acts as Node with this variable.
    return new vscode.ProcessExecution(process.execPath, args, { cwd: item.project.dir, env: { ELECTRON_RUN_AS_NODE: '1' } });
  }
}

/** A terminal that prints `text` and closes with `code` (for tasks that can only explain why they cannot run). */
function messageTerminal(text: string, code: number): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number>();
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      write.fire(text);
      close.fire(code);
    },
    close: () => undefined,
  };
}
