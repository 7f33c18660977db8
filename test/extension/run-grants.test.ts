// Integration tests of the run grants editor in a real VS Code, driven through its page, the command palette's
// commands, the inspector, the run's terminal and the notifications: arguments as a list, variables as pairs,
// directories read-only or read-write under a guest path, remembered per binary in the workspace; an answer that
// grants nothing is not remembered; refusals say how to grant in VS Code and in the CLI.
import * as assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixturePath } from '../fixtures';
import { act, countOf, notificationText, textOf, until } from './driver';
import { nextRunOf, type RunResult } from './run-api';
import { screenshot } from './screenshot';
import { workspaceDir } from './workspace';

const GRANTS_VIEW = 'wasmWorkbench.runGrants';

/** The open grants editor tab of `file`, if any. */
function grantsTab(file: string): vscode.Tab | undefined {
  const name = file.split('/').pop();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(GRANTS_VIEW) && tab.label === `Run Grants: ${name}`)
        return tab;
    }
  }
  return undefined;
}

async function closeGrantsEditors(): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(GRANTS_VIEW)) await vscode.window.tabGroups.close(tab);
  }
}

describe('Run grants', function () {
  this.timeout(120_000);
  let dir: string;
  let probe: string;
  let data: string;

  before(async () => {
    dir = join(workspaceDir(), 'build-grants');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitignore'), '*\n');
    probe = join(dir, 'probe-grants.wasm');
    await copyFile(await fixturePath('probe'), probe);
    data = join(dir, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'note.txt'), 'read through the grant\n');
    // The terminal's text in the page (the DOM renderer), for clicking its links.
    await vscode.workspace.getConfiguration('terminal.integrated').update('gpuAcceleration', 'off', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('terminal.integrated').update('gpuAcceleration', undefined, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('a first run asks in the grants editor, and an answer that grants nothing is asked again next time', async function () {
    await vscode.commands.executeCommand('wasmWorkbench.resetGrants', vscode.Uri.file(probe));
    const first = vscode.commands.executeCommand<RunResult | undefined>('wasmWorkbench.run', vscode.Uri.file(probe));
    await until('the grants editor', () => grantsTab(probe));
    assert.match(await textOf(this, '#title', (t) => t.startsWith('Run '), 'the editor title'), /^Run probe-grants\.wasm$/);
    // The sections come from the runner's support table: arguments, then what is granted on request.
    assert.match(await textOf(this, '#section-filesystem h2', (t) => t.length > 0, 'the directories section'), /it uses this/);
    await countOf(this, '#section-environment', (n) => n === 1, 'the environment section');
    await act(this, 'click', 'button[data-focus=run]');
    const ran = await first;
    assert.ok(ran, 'the run went on after Run');
    assert.match(ran.transcript, /Files and directories: not granted/);
    await until('the editor to close', () => !grantsTab(probe));

    const second = vscode.commands.executeCommand<RunResult | undefined>('wasmWorkbench.run', vscode.Uri.file(probe));
    await until('the grants editor, asking again', () => grantsTab(probe));
    await act(this, 'click', 'button[data-focus=cancel]');
    assert.equal(await second, undefined, 'Cancel ran it anyway');
  });

  it('arguments as a list, variables as pairs, directories with access and guest path: saved per binary, used by its runs', async function () {
    await vscode.commands.executeCommand('wasmWorkbench.resetGrants', vscode.Uri.file(probe));
    await vscode.commands.executeCommand('wasmWorkbench.editGrants', vscode.Uri.file(probe));
    await until('the grants editor', () => grantsTab(probe));
    await textOf(this, '#title', (t) => t.startsWith('Run grants'), 'the editor title');
    for (const [i, arg] of ['args', 'two words', "it's"].entries()) {
      await act(this, 'click', 'button[data-focus=add-arg]');
      await act(this, 'fill', `input[aria-label="Argument ${i + 1}"]`, 'webview', { value: arg });
    }
    await act(this, 'click', 'button[data-focus=add-env]');
    await act(this, 'fill', 'input[aria-label="Name of variable 1"]', 'webview', { value: 'GREETING' });
    await act(this, 'fill', 'input[aria-label="Value of variable 1"]', 'webview', { value: 'hello there' });
    await act(this, 'click', 'button[data-focus=add-dir]');
    await act(this, 'fill', 'input[aria-label="Host folder of directory 1"]', 'webview', { value: data });
    await act(this, 'fill', 'input[aria-label="Guest path of directory 1"]', 'webview', { value: '/data' });
    await act(this, 'select', 'select[aria-label="Access to directory 1"]', 'webview', { value: 'ro' });
    // The command line follows the form.
    const line = await textOf(this, '#command-line', (t) => t.includes('--ro-dir'), 'the command line');
    assert.equal(
      line,
      `wasm-workbench run build-grants/probe-grants.wasm --ro-dir ${data}::/data --env 'GREETING=hello there' -- args 'two words' 'it'\\''s'`,
    );
    // For the docs: the editor alone, from its top.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await act(this, 'hover', '#title');
    await screenshot('run-grants', { docs: true });
    await vscode.commands.executeCommand('workbench.view.explorer');
    await act(this, 'click', 'button[data-focus=save]');
    await textOf(this, '#status', (t) => t.startsWith('Saved'), 'the status line');

    // A run now asks nothing and gets exactly that.
    const args = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(probe));
    assert.match(args.transcript, /^argv\[1\]=args\nargv\[2\]=two words\nargv\[3\]=it's$/m);
    assert.match(args.transcript, new RegExp(`Files and directories: read-only ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} as /data`));
    assert.match(args.transcript, /Environment variables: GREETING\n/);
    assert.doesNotMatch(args.transcript, /hello there/, "a variable's value was shown in the header");

    // Reorder and change the list in the editor: the variable and the directory reach the guest.
    await vscode.commands.executeCommand('wasmWorkbench.editGrants', vscode.Uri.file(probe));
    await textOf(this, 'input[aria-label="Argument 1"]', () => true, 'the saved arguments');
    await act(this, 'click', 'button[data-focus="arg-remove:2"]');
    await act(this, 'click', 'button[data-focus="arg-remove:1"]');
    await act(this, 'fill', 'input[aria-label="Argument 1"]', 'webview', { value: 'env' });
    await act(this, 'click', 'button[data-focus=save-run]');
    const env = await nextRunOf(probe);
    assert.match(env.transcript, /^GREETING=hello there\n1 variables$/m);
  });

  it("the terminal header's link, the inspector and the command palette reopen the editor", async function () {
    // Grants given with the command: nothing is asked, whatever an earlier test left remembered.
    const ran = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(probe), { args: ['args'] });
    assert.ok(ran);
    await closeGrantsEditors();
    // The underlined "Edit run grants" in the terminal: a link (Ctrl+click, as any terminal link).
    const link = '.xterm-rows span:text-is("Edit run grants"):visible';
    // The terminal lays a transparent layer over its rows; the mouse goes there as a user's would. xterm finds links
    // when the mouse moves over a line, after the row is drawn: a click that comes before that is a plain click, and
    // a user would simply click again, so the test does too (a few times, never more).
    let opened: vscode.Tab | undefined;
    for (let attempt = 1; !opened; attempt++) {
      await act(this, 'hover', link, 'workbench', { force: true });
      await new Promise((r) => setTimeout(r, 500));
      await act(this, 'click', link, 'workbench', { modifiers: ['Control'], force: true });
      opened = await until('the grants editor, from the terminal', () => grantsTab(probe), 4_000).catch((error: unknown) => {
        if (attempt >= 4) throw error;
        return undefined;
      });
    }
    await closeGrantsEditors();

    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(probe));
    await textOf(this, '#title', (t) => t === 'probe-grants.wasm', 'the inspector title');
    await act(this, 'click', 'button[data-action=editGrants]');
    await until('the grants editor, from the inspector', () => grantsTab(probe));
    await closeGrantsEditors();

    // Through the palette, as a user types it: the command's title, then the binary in its picker.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.quickOpen', '>Wasm: Edit Run Grants');
    await act(this, 'press', '.quick-input-widget .quick-input-box input', 'workbench', { key: 'Enter' });
    await textOf(
      this,
      '.quick-input-widget .quick-input-title',
      (t) => t === 'Edit the run grants of which Wasm binary?',
      'the binary picker',
      'workbench',
    );
    await act(this, 'fill', '.quick-input-widget .quick-input-box input', 'workbench', { value: 'probe-grants' });
    await act(this, 'press', '.quick-input-widget .quick-input-box input', 'workbench', { key: 'Enter' });
    await until('the grants editor, from the palette', () => grantsTab(probe));
  });

  it('a refused access says how to grant it in VS Code and in the CLI, with a button that opens the editor', async function () {
    // Saved above: /data is read-only. Writing there is refused.
    await vscode.commands.executeCommand('wasmWorkbench.editGrants', vscode.Uri.file(probe));
    await textOf(this, 'input[aria-label="Argument 1"]', () => true, 'the saved arguments');
    await act(this, 'fill', 'input[aria-label="Argument 1"]', 'webview', { value: 'write' });
    await act(this, 'click', 'button[data-focus=add-arg]');
    await act(this, 'fill', 'input[aria-label="Argument 2"]', 'webview', { value: '/data/new.txt' });
    await act(this, 'click', 'button[data-focus=save]');
    await textOf(this, '#status', (t) => t.startsWith('Saved'), 'the status line');
    await closeGrantsEditors();
    const run = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(probe));
    assert.notEqual(run.exitCode, 0);
    assert.match(run.transcript, /make it read-write in the run grants to allow changes/);
    assert.match(run.transcript, /From a terminal: it is granted read-only: grant it with --dir instead of --ro-dir to allow changes\./);

    const { text, selector: notification } = await notificationText(this, 'was refused what it was not granted');
    assert.match(
      text,
      /In VS Code: it is granted read-only: make it read-write in the run grants to allow changes\. In the CLI: it is granted read-only: grant it with --dir instead of --ro-dir to allow changes\./,
    );
    await act(this, 'click', `${notification} .monaco-button:has-text("Edit Run Grants")`, 'workbench');
    await until('the grants editor, from the notification', () => grantsTab(probe));
  });

  it('a grant the runner cannot give is refused before saving, with the reason', async function () {
    await vscode.commands.executeCommand('wasmWorkbench.editGrants', vscode.Uri.file(probe));
    await textOf(this, 'input[aria-label="Argument 1"]', () => true, 'the saved arguments');
    await act(this, 'fill', 'input[aria-label="Host folder of directory 1"]', 'webview', { value: join(dir, 'missing') });
    await act(this, 'click', 'button[data-focus=save]');
    assert.match(await textOf(this, '#status', (t) => t.startsWith('Not saved'), 'the status line'), /does not exist/);
    await act(this, 'click', 'button[data-focus=add-env]');
    await act(this, 'fill', 'input[aria-label="Name of variable 2"]', 'webview', { value: 'A=B' });
    await act(this, 'fill', 'input[aria-label="Host folder of directory 1"]', 'webview', { value: data });
    await act(this, 'click', 'button[data-focus=save]');
    assert.match(
      await textOf(this, '#status', (t) => t.startsWith('Not saved') && t.includes('A=B'), 'the status line'),
      /cannot be passed/,
    );
  });

  it('names from the workspace are text in the editor, never markup', async function () {
    const hostile = join(dir, '<img src=x onerror=window.__x=1>.wasm');
    await copyFile(await fixturePath('probe'), hostile);
    await vscode.commands.executeCommand('wasmWorkbench.editGrants', vscode.Uri.file(hostile));
    await until('the grants editor', () => grantsTab(hostile));
    assert.equal(await textOf(this, '#title .file', (t) => t.length > 0, 'the file name'), '<img src=x onerror=window.__x=1>.wasm');
    await act(this, 'click', 'button[data-focus=add-env]');
    await act(this, 'fill', 'input[aria-label="Value of variable 1"]', 'webview', { value: '<script>window.__x=2</script>' });
    await act(this, 'fill', 'input[aria-label="Name of variable 1"]', 'webview', { value: 'X' });
    assert.match(
      await textOf(this, '#command-line', (t) => t.includes('--env'), 'the command line'),
      /'build-grants\/<img src=x onerror=window\.__x=1>\.wasm' --env 'X=<script>window\.__x=2<\/script>'/,
    );
    await countOf(this, '#grants img, #grants script', (n) => n === 0, 'elements made from names');
    await act(this, 'click', 'button[data-focus=cancel]');
  });

  it('Forget Run Grants asks which remembered binary, then its next run asks again', async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const forgetting = vscode.commands.executeCommand('wasmWorkbench.resetGrants');
    const title = await textOf(this, '.quick-input-widget .quick-input-title', (t) => t.length > 0, 'the picker title', 'workbench');
    assert.equal(title, 'Forget the run grants of which binary?');
    assert.match(
      await textOf(this, '.quick-input-list', (t) => t.includes('probe-grants.wasm'), 'the remembered binaries', 'workbench'),
      /build-grants\/probe-grants\.wasm/,
    );
    await act(this, 'click', '.quick-input-list .monaco-list-row[aria-label*="probe-grants.wasm"]', 'workbench');
    await forgetting;
    const asking = vscode.commands.executeCommand('wasmWorkbench.run', vscode.Uri.file(probe));
    await until('the grants editor, asking again', () => grantsTab(probe));
    await act(this, 'click', 'button[data-focus=cancel]');
    assert.equal(await asking, undefined);
  });
});
