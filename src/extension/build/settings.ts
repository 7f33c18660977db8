/** The `wasmWorkbench.build.*` settings, read for one workspace folder, as core's BuildOptions. */
import * as vscode from 'vscode';
import { installedAdapterFolders, type BuildOptions, type ToolOption } from '../../core/build';

export const buildSection = 'wasmWorkbench.build';

/** The setting that fixes a toolchain problem, for the error message's "Open Setting" button. */
export function settingFor(option: ToolOption): string {
  return `${buildSection}.${option}`;
}

export function buildOptions(scope: vscode.Uri | undefined, extensionPath: string): BuildOptions {
  const c = vscode.workspace.getConfiguration(buildSection, scope);
  const path = (key: ToolOption) => c.get<string>(key, '').trim() || undefined;
  const options: BuildOptions = {
    cflags: c.get<string[]>('cflags', []),
    rustTarget: c.get<string>('rustTarget', 'auto') || 'auto',
    release: c.get<boolean>('release', true),
    adapterSearchPaths: installedAdapterFolders(extensionPath),
  };
  for (const key of [
    'clangPath',
    'wasiSysroot',
    'cargoPath',
    'ascPath',
    'goPath',
    'tinygoPath',
    'componentizeJsPath',
    'wasiAdapterPath',
  ] as const) {
    const value = path(key);
    if (value) options[key] = value;
  }
  return options;
}
