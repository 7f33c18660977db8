/**
 * How the editor tells of a failure: the one place that turns an error's kind (src/core/errors.ts) into what the
 * user sees and what the log keeps. Work the user cancelled says nothing; an error with no kind is not one core
 * meant to throw (a bug, or a system failure), so the log keeps its stack.
 */
import * as vscode from 'vscode';
import { WasmFormatError } from '../core/binary';
import { errorMessage, failureKind } from '../core/errors';
import type { Log } from './log';

/** "Could not compile a.wat: …": what was being done, then what went wrong. */
export function failureText(doing: string, error: unknown): string {
  return `${doing}: ${errorMessage(error)}`;
}

/** Logs the failure and shows it as an error notification with `actions`; resolves with the action chosen. */
export function showFailure(log: Log, doing: string, error: unknown, ...actions: string[]): Thenable<string | undefined> {
  const kind = failureKind(error);
  const text = failureText(doing, error);
  if (kind === 'cancelled') {
    log.info(text);
    return Promise.resolve(undefined);
  }
  log.error(kind || !(error instanceof Error) ? text : `${text}\n${error.stack ?? ''}`);
  return vscode.window.showErrorMessage(text, ...actions);
}

/** Why a binary could not be read or inspected, in the words the inspector, the report and Run use alike. */
export function inspectFailureText(name: string, error: unknown): string {
  if (error instanceof WasmFormatError) return `${name} is not a valid Wasm binary: ${errorMessage(error)}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || (error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) return `${name} was not found.`;
  return failureText(`Could not inspect ${name}`, error);
}
