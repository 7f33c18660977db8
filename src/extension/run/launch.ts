/**
 * The `wasm` launch configuration type. F5 on a `.wasm` runs it (a keybinding starts a `wasm` launch of the active
 * binary when no launch configuration is selected; VS Code's own F5 without launch.json asks this provider with an
 * empty configuration, which becomes the active binary); "Run and Debug" offers a run of each open binary; a new
 * launch.json starts with the active binary; and a launch.json entry runs with exactly the grants written in it,
 * read with core's grant syntax (the CLI's `HOST[::GUEST]` and `KEY=VALUE`). Running needs no debug session:
 * resolving ends the launch, and the run goes on in its terminal.
 */
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { noGrants, parseDirectoryGrant, parseEnvGrant, type RunGrants } from '../../core/run';
import { activeBinary, resolveBinary } from '../binary-target';
import type { RunRequest } from './run-command';
import { errorMessage } from '../../core/errors';

/** A launch configuration of type `wasm` (see package.json `contributes.debuggers`). */
interface WasmLaunchConfiguration extends vscode.DebugConfiguration {
  program?: unknown;
  args?: unknown;
  env?: unknown;
  dirs?: unknown;
  roDirs?: unknown;
  invoke?: unknown;
  timeoutSeconds?: unknown;
  maxMemoryMB?: unknown;
}

/** The command the F5 keybinding runs on a `.wasm` (package.json `keybindings`). */
export const RUN_ACTIVE_COMMAND = 'wasmWorkbench.runActiveBinary';

export function registerLaunch(context: vscode.ExtensionContext, run: (binary: vscode.Uri, request: RunRequest) => unknown): void {
  const launchOf = (binary: vscode.Uri): vscode.DebugConfiguration => ({
    type: 'wasm',
    request: 'launch',
    name: `Run ${binary.path.split('/').pop()}`,
    program: binary.fsPath,
  });
  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_ACTIVE_COMMAND, async () => {
      const binary = activeBinary();
      if (!binary) return;
      await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(binary), launchOf(binary));
    }),
    vscode.debug.registerDebugConfigurationProvider('wasm', {
      // A new launch.json: a configuration for the active binary (its own path, not a placeholder).
      provideDebugConfigurations(folder) {
        const binary = activeBinary();
        const program = binary ? workspacePath(binary, folder) : '${file}';
        return [
          {
            type: 'wasm',
            request: 'launch',
            name: binary ? `Run ${binary.path.split('/').pop()}` : 'Run the active .wasm',
            program,
            args: [],
            env: {},
            dirs: [],
            roDirs: [],
          },
        ];
      },
      async resolveDebugConfiguration(_folder, configuration: WasmLaunchConfiguration) {
        // F5 without a launch.json: run the active .wasm (or one the user picks).
        if (!configuration.type && !configuration.request && !configuration.name) {
          const binary = await resolveBinary(undefined, 'Run');
          return binary ? launchOf(binary) : undefined;
        }
        return configuration;
      },
      resolveDebugConfigurationWithSubstitutedVariables(folder, configuration: WasmLaunchConfiguration) {
        const request = readLaunch(configuration, folder?.uri.fsPath);
        if (typeof request === 'string') {
          void vscode.window.showErrorMessage(`The launch configuration "${configuration.name}": ${request}`);
          return undefined;
        }
        void run(request.binary, request.request);
        return undefined;
      },
    }),
    // "Run and Debug" → "Wasm Workbench: Run...": each binary open in an editor.
    vscode.debug.registerDebugConfigurationProvider(
      'wasm',
      {
        provideDebugConfigurations() {
          const open = new Map<string, vscode.Uri>();
          for (const group of vscode.window.tabGroups.all) {
            for (const tab of group.tabs) {
              const input = tab.input as { uri?: unknown } | undefined;
              if (input?.uri instanceof vscode.Uri && input.uri.scheme === 'file' && input.uri.path.endsWith('.wasm'))
                open.set(input.uri.toString(), input.uri);
            }
          }
          return [...open.values()].map(launchOf);
        },
      },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
  );
}

function workspacePath(binary: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): string {
  const base = folder?.uri.fsPath;
  return base && binary.fsPath.startsWith(base + '/') ? `\${workspaceFolder}${binary.fsPath.slice(base.length)}` : binary.fsPath;
}

/** The run a launch configuration asks for, or what is wrong with it. */
export function readLaunch(
  configuration: WasmLaunchConfiguration,
  base: string | undefined,
): { binary: vscode.Uri; request: RunRequest } | string {
  const folder = base ?? process.cwd();
  const strings = (value: unknown, field: string): string[] | string => {
    if (value === undefined) return [];
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : `"${field}" must be a list of strings`;
  };
  if (typeof configuration.program !== 'string' || !configuration.program) return '"program" must be the path of a .wasm file';
  const args = strings(configuration.args, 'args');
  const dirs = strings(configuration.dirs, 'dirs');
  const roDirs = strings(configuration.roDirs, 'roDirs');
  for (const list of [args, dirs, roDirs]) if (typeof list === 'string') return list;
  const grants: RunGrants = { ...noGrants(), args: configuration.invoke ? [] : (args as string[]) };
  try {
    for (const d of dirs as string[]) grants.dirs.push(parseDirectoryGrant(d, false, folder));
    for (const d of roDirs as string[]) grants.dirs.push(parseDirectoryGrant(d, true, folder));
    const env = configuration.env;
    if (Array.isArray(env)) {
      // The CLI's form: ["KEY=VALUE", ...].
      for (const pair of env) {
        if (typeof pair !== 'string') return '"env" must be an object of strings or a list of "KEY=VALUE"';
        const [key, value] = parseEnvGrant(pair);
        grants.env[key] = value;
      }
    } else if (env !== undefined) {
      if (typeof env !== 'object' || env === null || !Object.values(env).every((v) => typeof v === 'string'))
        return '"env" must be an object of strings or a list of "KEY=VALUE"';
      Object.assign(grants.env, env);
    }
  } catch (error) {
    return errorMessage(error);
  }
  if (configuration.invoke !== undefined && typeof configuration.invoke !== 'string')
    return '"invoke" must be the name of an exported function';
  for (const field of ['timeoutSeconds', 'maxMemoryMB'] as const) {
    const value = configuration[field];
    if (value !== undefined && (typeof value !== 'number' || !(value > 0))) return `"${field}" must be a positive number`;
  }
  const program = isAbsolute(configuration.program) ? configuration.program : join(folder, configuration.program);
  return {
    binary: vscode.Uri.file(program),
    request: {
      grants,
      ...(typeof configuration.invoke === 'string' ? { invoke: { name: configuration.invoke, args: args as string[] } } : {}),
      limits: {
        timeoutSeconds: configuration.timeoutSeconds as number | undefined,
        maxMemoryMB: configuration.maxMemoryMB as number | undefined,
      },
    },
  };
}
