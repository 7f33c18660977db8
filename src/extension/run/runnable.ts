/**
 * Whether Run and Deploy can do anything for a binary, and why not. Core decides (the runner's `runRefusal`, the
 * deployer's `binaryRefusal`); this keeps the answer for every binary the editor has inspected, for the
 * inspector's buttons and, as context keys, for the Explorer and editor title menus
 * (`resourcePath not in wasmWorkbench.cannotRun`). Keyed by path: the workbench may see a file under another
 * scheme than this extension host does (`vscode-remote:` in a browser), and `resourcePath` is the file's path either way.
 */
import * as vscode from 'vscode';
import { binaryRefusal, profileOf } from '../../core/deploy/compatibility';
import type { InspectReport } from '../../core/inspect';
import { runRefusal } from '../../core/run';
import { config } from '../config';

export interface ActionState {
  enabled: boolean;
  /** Why not, in a sentence (shown beside the disabled button). */
  reason?: string;
}

const cannotRunKey = 'wasmWorkbench.cannotRun';
const cannotDeployKey = 'wasmWorkbench.cannotDeploy';
/** Enough for any session; the oldest answers are dropped first. */
const MAX_KEPT = 500;

const cannotRun = new Map<string, true>();
const cannotDeploy = new Map<string, true>();

/** Run: possible when the binary runs as a program, or as a library by calling one of its exports. */
export function runState(report: InspectReport): ActionState {
  const deny = config.run.deny();
  const refusal = runRefusal(report, { deny });
  if (!refusal || !runRefusal(report, { deny, invoke: true })) return { enabled: true };
  return { enabled: false, reason: `It cannot run here: ${sentence(refusal.message)}` };
}

export function deployState(report: InspectReport): ActionState {
  const refusal = binaryRefusal(profileOf(report));
  return refusal ? { enabled: false, reason: `It cannot be deployed: ${sentence(refusal)}` } : { enabled: true };
}

/** Records what the inspector found for a binary (a report, or the reason it is not a Wasm binary). */
export function noteInspected(
  binary: vscode.Uri,
  result: { report: InspectReport } | { problem: string },
): { run: ActionState; deploy: ActionState } {
  const states =
    'report' in result
      ? { run: runState(result.report), deploy: deployState(result.report) }
      : { run: { enabled: false, reason: result.problem }, deploy: { enabled: false, reason: result.problem } };
  const key = binary.fsPath;
  update(cannotRun, key, !states.run.enabled);
  update(cannotDeploy, key, !states.deploy.enabled);
  void vscode.commands.executeCommand('setContext', cannotRunKey, Object.fromEntries(cannotRun));
  void vscode.commands.executeCommand('setContext', cannotDeployKey, Object.fromEntries(cannotDeploy));
  return states;
}

function update(map: Map<string, true>, key: string, value: boolean): void {
  map.delete(key);
  if (!value) return;
  map.set(key, true);
  if (map.size > MAX_KEPT) map.delete(map.keys().next().value!);
}

/** Ends a reason with one full stop. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
