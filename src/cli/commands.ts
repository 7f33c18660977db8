/** The CLI commands: each parses its options and calls core; nothing here decides anything about Wasm. */
import type { describeFailure } from './errors';
import type { Command } from './options';

/** A command, and the failure description of its own bundle: `instanceof` only knows the classes of one bundle. */
export interface LoadedCommand {
  command: Command;
  describeFailure: typeof describeFailure;
}

interface CommandModule {
  describeFailure: typeof describeFailure;
}

const loaded = <M extends CommandModule>(module: M, name: keyof M): LoadedCommand => ({
  command: module[name] as Command,
  describeFailure: module.describeFailure,
});

/**
 * Each command is loaded when it is used: a CLI call pays for its own command only (deploy's Kubernetes and
 * registry clients stay unloaded during `inspect`, which is what keeps start-up at Node's own).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- build.mjs makes each './x-command' a bundle of its own, loaded on use */
export const commands: Record<string, () => LoadedCommand> = {
  inspect: () => loaded(require('./inspect-command') as typeof import('./inspect-command'), 'inspect'),
  caps: () => loaded(require('./inspect-command') as typeof import('./inspect-command'), 'caps'),
  compile: () => loaded(require('./compile-command') as typeof import('./compile-command'), 'compile'),
  print: () => loaded(require('./print-command') as typeof import('./print-command'), 'print'),
  run: () => loaded(require('./run-command') as typeof import('./run-command'), 'run'),
  build: () => loaded(require('./build-command') as typeof import('./build-command'), 'build'),
  push: () => loaded(require('./push-command') as typeof import('./push-command'), 'push'),
  deploy: () => loaded(require('./deploy-command') as typeof import('./deploy-command'), 'deploy'),
  undeploy: () => loaded(require('./deploy-command') as typeof import('./deploy-command'), 'undeploy'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
