/**
 * The one typed face of the extension's settings (`wasmWorkbench.*`): every setting is read here, with its
 * default and its check, and written here. Nothing else calls `getConfiguration`.
 */
import * as vscode from 'vscode';
import { installedAdapterFolders, type BuildOptions, type ToolOption } from '../core/build';
import type { CapabilityId } from '../core/capabilities';
import type { WatFeatures } from '../core/compile';

const sections = {
  inspect: 'wasmWorkbench.inspect',
  compile: 'wasmWorkbench.compile',
  run: 'wasmWorkbench.run',
  wat: 'wasmWorkbench.wat',
  build: 'wasmWorkbench.build',
  clusters: 'wasmWorkbench.clusters',
  deploy: 'wasmWorkbench.deploy',
} as const;

function section(name: keyof typeof sections, scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(sections[name], scope);
}

export interface ClustersSettings {
  /** kubeconfig file(s) that override `KUBECONFIG` for the explorer; empty: `KUBECONFIG` or `~/.kube/config`. */
  kubeconfig: string;
  /** Limit for each request to a cluster. */
  requestTimeoutMs: number;
  /** Keep RuntimeClasses, Deployments and SpinApps current with watches. */
  watch: boolean;
}

export interface DeploySettings {
  defaultRegistry: string;
  namespace: string;
  rolloutTimeoutSeconds: number;
  insecureRegistries: string[];
  deny: CapabilityId[];
}

/** The build settings that name a tool or a file (each has its own "Open Setting" button in errors). */
const toolOptions = [
  'clangPath',
  'wasiSysroot',
  'cargoPath',
  'ascPath',
  'goPath',
  'tinygoPath',
  'componentizeJsPath',
  'wasiAdapterPath',
] as const satisfies readonly ToolOption[];

export const config = {
  inspect: {
    openPreview: () => section('inspect').get<boolean>('openPreview', true),
    showWit: () => section('inspect').get<boolean>('showWit', true),
  },
  compile: {
    onSave: (scope?: vscode.Uri) => section('compile', scope).get<boolean>('onSave', false),
    features: (scope?: vscode.Uri) => section('compile', scope).get<WatFeatures>('features', {}),
  },
  run: {
    timeoutSeconds: () => section('run').get<number>('timeoutSeconds', 30),
    maxMemoryMB: () => section('run').get<number>('maxMemoryMB', 1024),
    /** Capabilities a binary must not need to be run (a local policy, like `caps --deny`). */
    deny: () => section('run').get<CapabilityId[]>('deny', []),
    sandbox: () => oneOf(section('run').get<string>('sandbox'), ['auto', 'bubblewrap', 'none'] as const, 'auto'),
    engine: () => oneOf(section('run').get<string>('engine'), ['builtin', 'wasmtime'] as const, 'builtin'),
    /** Empty: wasmtime on PATH. */
    wasmtimePath: () => section('run').get<string>('wasmtimePath', '').trim(),
    /** One terminal per binary, cleared for each run; off: a new terminal for every run. */
    reuseTerminal: () => section('run').get<boolean>('reuseTerminal', true),
  },
  wat: {
    maxCodeBytes: () => section('wat').get<number>('maxCodeBytes', 1024 * 1024),
  },
  build: {
    /** The build settings of one workspace folder, as core's BuildOptions. */
    options(scope: vscode.Uri | undefined, extensionPath: string): BuildOptions {
      const c = section('build', scope);
      const options: BuildOptions = {
        cflags: c.get<string[]>('cflags', []),
        rustTarget: c.get<string>('rustTarget', 'auto') || 'auto',
        release: c.get<boolean>('release', true),
        adapterSearchPaths: installedAdapterFolders(extensionPath),
      };
      for (const key of toolOptions) {
        const value = c.get<string>(key, '').trim();
        if (value) options[key] = value;
      }
      return options;
    },
    /** The setting that fixes a toolchain problem, for the error message's "Open Setting" button. */
    settingFor: (option: ToolOption) => `${sections.build}.${option}`,
  },
  clusters: {
    read(): ClustersSettings {
      const c = section('clusters');
      const seconds = c.get<number>('requestTimeoutSeconds', 10);
      return {
        kubeconfig: c.get<string>('kubeconfig', '').trim(),
        requestTimeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 10) * 1000,
        watch: c.get<boolean>('watch', true),
      };
    },
    /** Uses this kubeconfig file for the explorer and deploys, in the user's settings. */
    setKubeconfig: (path: string) => section('clusters').update('kubeconfig', path, vscode.ConfigurationTarget.Global),
    changedIn: (e: vscode.ConfigurationChangeEvent) => e.affectsConfiguration(sections.clusters),
  },
  deploy: {
    read(): DeploySettings {
      const s = section('deploy');
      return {
        defaultRegistry: s.get<string>('defaultRegistry', '').trim().replace(/\/+$/, ''),
        namespace: s.get<string>('namespace', '').trim(),
        rolloutTimeoutSeconds: Math.max(1, s.get<number>('rolloutTimeoutSeconds', 120)),
        insecureRegistries: s.get<string[]>('insecureRegistries', []),
        deny: s.get<CapabilityId[]>('deny', []),
      };
    },
  },
};

/** A setting's value when it is one of `values` (settings files can hold anything), else the default. */
function oneOf<T extends string>(value: string | undefined, values: readonly T[], fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}
