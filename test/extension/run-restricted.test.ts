// Restricted Mode, in a real VS Code whose workspace trust is on and the folder untrusted (the driver runs the
// tests tagged @restricted in a session of their own): Run stays where users look for it and says why it does
// nothing, with a button to manage trust; the inspector shows Run and Deploy disabled with that reason.
import * as assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixturePath } from '../fixtures';
import { act, countOf, notificationText, textOf, until } from './driver';
import { screenshot } from './screenshot';
import { workspaceDir } from './workspace';

const activeTabLabel = () => vscode.window.tabGroups.activeTabGroup.activeTab?.label;

describe('Restricted Mode @restricted', function () {
  this.timeout(90_000);
  let probe: string;

  before(async () => {
    assert.equal(
      vscode.workspace.isTrusted,
      false,
      'these tests need a workspace in Restricted Mode (the driver runs them with workspace trust on)',
    );
    const dir = join(workspaceDir(), 'build-restricted');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitignore'), '*\n');
    probe = join(dir, 'probe-restricted.wasm');
    await copyFile(await fixturePath('probe'), probe);
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Run says why it does nothing, and its button opens Manage Workspace Trust', async function () {
    const result = vscode.commands.executeCommand('wasmWorkbench.run', vscode.Uri.file(probe));
    const { text, selector: notification } = await notificationText(this, 'needs a trusted workspace');
    assert.match(text, /Running a binary needs a trusted workspace: this folder is open in Restricted Mode/);
    assert.equal(vscode.window.terminals.filter((t) => t.name.startsWith('Wasm: ')).length, 0, 'something ran');
    await act(this, 'click', `${notification} .monaco-button:has-text("Manage Workspace Trust")`, 'workbench');
    await until('the Workspace Trust editor', () => activeTabLabel() === 'Workspace Trust');
    assert.equal(await result, undefined);
  });

  it('the inspector shows Run and Deploy disabled with the reason, and a button to manage trust', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(probe));
    await textOf(this, '#title', (t) => t === 'probe-restricted.wasm', 'the inspector title');
    await countOf(this, 'button[data-action=run][disabled]', (n) => n === 1, 'the disabled Run button');
    assert.match(
      await textOf(this, '.action-reason', (t) => t.length > 0, 'the reason'),
      /^Restricted Mode: running and deploying need a trusted workspace/,
    );
    if ((await vscode.commands.getCommands(true)).includes('wasmWorkbench.deploy'))
      await countOf(this, 'button[data-action=deploy][disabled]', (n) => n === 1, 'the disabled Deploy button');
    await screenshot('inspector-restricted');
    await act(this, 'click', 'button[data-action=manageTrust]');
    await until('the Workspace Trust editor', () => activeTabLabel() === 'Workspace Trust');
  });
});
