/**
 * `Wasm: Build`: pick a detected project, run its `wasm` task, and on success show the built .wasm in the
 * Explorer with an offer to inspect it. A missing toolchain is an error message with the install hint and a
 * button to the setting; builds are refused in untrusted workspaces.
 */
import { existsSync } from 'node:fs';
import { basename, relative } from 'node:path';
import * as vscode from 'vscode';
import { BuildInputError, formatProblem, languageNames, planBuild } from '../../core/build';
import type { Log } from '../log';
import { config } from '../config';
import { definitionFor, detectWorkspaceProjects, taskLabel, taskType, WasmTaskProvider, type FolderProject } from './tasks';
import { showFailure } from '../errors';

/** What the command resolves to (for tests and other commands); undefined when nothing was built. */
export interface BuildCommandResult {
  project: string;
  exitCode: number | undefined;
  outputs: vscode.Uri[];
}

export function registerBuild(context: vscode.ExtensionContext, log: Log): void {
  const provider = new WasmTaskProvider(context.extensionPath, log);
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(taskType, provider),
    vscode.commands.registerCommand('wasmWorkbench.build', (target?: vscode.Uri) =>
      buildCommand(target, provider, context.extensionPath, log),
    ),
  );
}

async function buildCommand(
  target: vscode.Uri | undefined,
  provider: WasmTaskProvider,
  extensionPath: string,
  log: Log,
): Promise<BuildCommandResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    void vscode.window
      .showErrorMessage('Wasm: Build runs compilers and build scripts from this workspace, so it needs a trusted workspace.', manage)
      .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  const item = await pickProject(target instanceof vscode.Uri ? target : undefined);
  if (!item) return undefined;

  const options = config.build.options(item.folder.uri, extensionPath);
  let task: vscode.Task;
  let expected: string[];
  try {
    const result = await planBuild(item.project, options, item.target ? { target: item.target } : {});
    if (!result.ok) {
      const { problem } = result;
      log.error(`${item.project.name}: ${formatProblem(problem)}`);
      const open = 'Open Setting';
      void vscode.window
        .showErrorMessage(`Cannot build ${item.project.name}: ${formatProblem(problem)}`, open)
        .then(
          (choice) =>
            choice === open && vscode.commands.executeCommand('workbench.action.openSettings', config.build.settingFor(problem.option)),
        );
      return { project: item.project.name, exitCode: undefined, outputs: [] };
    }
    task = provider.taskFor(item, result, options, definitionFor(item));
    expected = result.plan.outputs;
    log.info(`Building ${item.project.name} with ${result.plan.toolchain}`);
  } catch (error) {
    if (error instanceof BuildInputError) {
      log.error(error.message);
      void vscode.window.showErrorMessage(error.message);
    } else void showFailure(log, `Could not plan the build of ${item.project.name}`, error);
    return undefined;
  }

  const exitCode = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building ${taskLabel(item)}`, cancellable: true },
    (_progress, token) => runTask(task, token),
  );
  const built = expected.filter((file) => existsSync(file)).map((file) => vscode.Uri.file(file));
  if (exitCode !== 0) {
    const how = exitCode === undefined ? 'was stopped' : `failed with exit code ${exitCode}`;
    log.error(`Building ${item.project.name} ${how}`);
    void vscode.window.showErrorMessage(`Building ${taskLabel(item)} ${how}: see the terminal and the Problems panel.`);
    return { project: item.project.name, exitCode, outputs: [] };
  }
  log.info(`Built ${built.map((u) => relative(item.folder.uri.fsPath, u.fsPath)).join(', ')}`);
  const first = built[0];
  if (first) {
    await vscode.commands
      .executeCommand('revealInExplorer', first)
      .then(undefined, (e: unknown) => log.warn(`revealInExplorer: ${String(e)}`));
    const inspect = 'Inspect';
    void vscode.window
      .showInformationMessage(`Built ${built.map((u) => basename(u.fsPath)).join(', ')}`, inspect)
      .then((choice) => choice === inspect && vscode.commands.executeCommand('wasmWorkbench.inspect', first));
  }
  return { project: item.project.name, exitCode, outputs: built };
}

/** Runs the task and resolves with its process's exit code (undefined if it ended without one or was cancelled). */
async function runTask(task: vscode.Task, token: vscode.CancellationToken): Promise<number | undefined> {
  const disposables: vscode.Disposable[] = [];
  try {
    const ended = new Promise<number | undefined>((resolve) => {
      let execution: vscode.TaskExecution | undefined;
      // By name and source: the event's execution object need not be the one executeTask returned.
      const mine = (e: { execution: vscode.TaskExecution }) =>
        e.execution.task.name === task.name && e.execution.task.source === task.source;
      disposables.push(
        vscode.tasks.onDidEndTaskProcess((e) => mine(e) && resolve(e.exitCode)),
        // Custom executions (and processes that never started) end without a process event.
        vscode.tasks.onDidEndTask((e) => mine(e) && setTimeout(() => resolve(undefined), 500)),
        token.onCancellationRequested(() => execution?.terminate()),
      );
      void vscode.tasks.executeTask(task).then((e) => (execution = e));
    });
    return await ended;
  } finally {
    for (const d of disposables) d.dispose();
  }
}

/** The project for a target Uri (the deepest project folder containing it), the only one, or the user's pick. */
async function pickProject(target: vscode.Uri | undefined): Promise<FolderProject | undefined> {
  const all = detectWorkspaceProjects();
  const projects = target ? deepestContaining(all, target.fsPath) : all;
  if (!projects.length) {
    void vscode.window.showInformationMessage(
      target
        ? `No buildable project contains ${vscode.workspace.asRelativePath(target)}.`
        : 'No buildable project in this workspace: Wasm: Build looks for Cargo.toml, asconfig.json, go.mod, package.json with a wit/ folder, and folders of C/C++ sources.',
    );
    return undefined;
  }
  // One project, or one with several asconfig targets built by default with its first (release).
  if (projects.length === 1 || new Set(projects.map((p) => p.project)).size === 1) return projects[0];
  const picked = await vscode.window.showQuickPick(
    projects.map((item) => ({
      label: taskLabel(item),
      description: languageNames[item.project.language],
      detail: vscode.workspace.asRelativePath(item.project.manifest),
      item,
    })),
    { title: 'Build which project?', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.item;
}

function deepestContaining(all: FolderProject[], path: string): FolderProject[] {
  const containing = all.filter(
    (p) => path === p.project.dir || path.startsWith(p.project.dir + '/') || path.startsWith(p.project.dir + '\\'),
  );
  const depth = Math.max(-1, ...containing.map((p) => p.project.dir.length));
  return containing.filter((p) => p.project.dir.length === depth);
}
