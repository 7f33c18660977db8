// Integration tests of WAT support in a real VS Code extension host: diagnostics in Problems at the exact
// place, cleared when fixed; `Wasm: Compile WAT` writing the .wasm; any .wasm opened as WAT text.
import * as assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { wasm } from '../fixtures/wasm-api';
import { screenshot } from './screenshot';
import { workspaceDir } from './workspace';

/** Waits until the diagnostics of `uri` satisfy `done` (VS Code publishes them asynchronously). */
async function diagnosticsOf(
  uri: vscode.Uri,
  done: (d: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
): Promise<readonly vscode.Diagnostic[]> {
  const current = vscode.languages.getDiagnostics(uri);
  if (done(current)) return current;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          `diagnostics of ${uri.fsPath} did not settle: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`,
        ),
      );
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (done(diagnostics)) {
        clearTimeout(timer);
        listener.dispose();
        resolve(diagnostics);
      }
    });
  });
}

const BROKEN = `;; counter.wat: one instruction is misspelt
(module
  (func $inc (export "inc") (param $x i32) (result i32)
    local.get $x
    i32.const 1
    i32.ad))
`;

describe('WAT in the editor', function () {
  this.timeout(60_000);

  it('shows a parse error in Problems at the exact line and column, and clears it when fixed', async () => {
    const file = join(workspaceDir(), 'counter.wat');
    await writeFile(file, BROKEN);
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [error] = await diagnosticsOf(uri, (d) => d.length > 0);
    assert.equal(error!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(error!.range.start.line, 5);
    assert.equal(error!.range.start.character, 4);
    assert.equal(error!.range.end.character, 10, 'the span covers `i32.ad`');
    assert.equal(error!.message, 'unknown operator or unexpected token');
    assert.equal(error!.source, 'wasm-tools');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('wat-diagnostics', { docs: true, keepPanel: true });

    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(5, 4, 5, 10), 'i32.add');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await document.save();
    await diagnosticsOf(uri, (d) => d.length === 0);
  });

  it('shows a validation error from V8 at the instruction, mapped back from the byte offset', async () => {
    const file = join(workspaceDir(), 'mismatch.wat');
    await writeFile(file, '(module\n  (func (result i32)\n    (i32.add (i32.const 1)\n      (f32.const 2))))\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [error] = await diagnosticsOf(uri, (d) => d.length > 0);
    assert.equal(error!.source, 'V8');
    assert.deepEqual([error!.range.start.line, error!.range.start.character, error!.range.end.character], [3, 7, 16]);
    assert.match(error!.message, /i32\.add\[1\] expected type i32, found f32\.const of type f32/);
  });

  it('shows WIT errors in Problems at their token', async () => {
    const file = join(workspaceDir(), 'app.wit');
    await writeFile(file, 'package demo:app;\n\ninterface greet {\n  hello: func(name: strin) -> string;\n}\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [error] = await diagnosticsOf(uri, (d) => d.length > 0);
    assert.equal(error!.message, 'name `strin` does not exist');
    assert.deepEqual([error!.range.start.line, error!.range.start.character, error!.range.end.character], [3, 20, 25]);
  });

  it('Wasm: Compile WAT writes the .wasm beside the source', async () => {
    const file = join(workspaceDir(), 'answer.wat');
    const output = join(workspaceDir(), 'answer.wasm');
    await rm(output, { force: true });
    await writeFile(file, '(module (func (export "answer") (result i32) i32.const 42))\n');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('wasmWorkbench.compileWat', vscode.Uri.file(file));
    assert.equal(written?.fsPath, output);
    const bytes = await readFile(output);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    assert.equal((instance.exports.answer as () => number)(), 42);
  });

  it('opens a .wasm as read-only WAT text with the WAT language', async () => {
    const file = join(workspaceDir(), 'answer.wat');
    await writeFile(file, '(module $answers (func $answer (export "answer") (result i32) i32.const 42))\n');
    const wasm = await vscode.commands.executeCommand<vscode.Uri>('wasmWorkbench.compileWat', vscode.Uri.file(file));
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('wasmWorkbench.openAsWat', wasm);
    assert.ok(document, 'a document');
    assert.equal(document.uri.scheme, 'wasm-wat');
    assert.equal(document.languageId, 'wat');
    assert.match(document.getText(), /\(module \$answers/);
    assert.match(document.getText(), /\(func \$answer \(;0;\) \(type 0\) \(result i32\)/);
    assert.match(document.getText(), /i32\.const 42/);
  });
});
