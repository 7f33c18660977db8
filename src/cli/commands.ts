/** The CLI commands: each parses its options and calls core; nothing here decides anything about Wasm. */
import type { Command } from './options';

/**
 * Each command is loaded when it is used: a CLI call pays for its own command only (deploy's Kubernetes and
 * registry clients stay unloaded during `inspect`, which is what keeps start-up at Node's own).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- build.mjs makes each './x-command' a bundle of its own, loaded on use */
export const commands: Record<string, () => Command> = {
  inspect: () => (require('./inspect-command') as typeof import('./inspect-command')).inspect,
  caps: () => (require('./inspect-command') as typeof import('./inspect-command')).caps,
  compile: () => (require('./compile-command') as typeof import('./compile-command')).compile,
  print: () => (require('./print-command') as typeof import('./print-command')).print,
  run: () => (require('./run-command') as typeof import('./run-command')).run,
  build: () => (require('./build-command') as typeof import('./build-command')).build,
  push: () => (require('./push-command') as typeof import('./push-command')).push,
  deploy: () => (require('./deploy-command') as typeof import('./deploy-command')).deploy,
  undeploy: () => (require('./deploy-command') as typeof import('./deploy-command')).undeploy,
};
/* eslint-enable @typescript-eslint/no-require-imports */
