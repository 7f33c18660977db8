// The walkthrough a new user meets (Help → Welcome, or the Welcome page), in a real VS Code: its four steps, their
// Markdown pages, and a step that completes when its action is done.
import * as assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { clickOn, countOf, textOf, until } from './driver';
import { screenshot } from './screenshot';
import { buildWat, workspaceDir } from './workspace';

const WALKTHROUGH = 'wasm-workbench.wasm-workbench#gettingStarted';
const step = (id: string) => `button.getting-started-step[data-step-id$="${id}"]`;

describe('Walkthrough: Get Started with Wasm Workbench', function () {
  this.timeout(60_000);

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens with its four steps', async function () {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    const page = await textOf(
      this,
      '.gettingStartedSlideDetails',
      (t) => t.includes('Get Started with Wasm Workbench'),
      'the walkthrough page',
      'workbench',
    );
    for (const title of [
      'Open a .wasm and read what it needs',
      'Compile a WAT file',
      'Run it with only what you grant',
      'Connect a cluster and deploy',
    ]) {
      assert.ok(page.includes(title), `the walkthrough has no step "${title}": ${page}`);
    }
    assert.equal(await countOf(this, 'button.getting-started-step', (n) => n === 4, 'the steps', 'workbench'), 4);
  });

  it("shows a step's page when it is selected", async function () {
    // The page sits beside the steps when the editor is wide enough: without the side bar here.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    try {
      await clickOn(this, step('compile'), 'workbench');
      const markdown = await textOf(this, 'h1', (t) => t === 'Write WebAssembly text', "the compile step's page");
      assert.equal(markdown, 'Write WebAssembly text');
      await screenshot('walkthrough', { docs: true });
    } finally {
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
  });

  it('the first step completes when a binary is opened in the inspector', async function () {
    const dir = join(workspaceDir(), 'build-walkthrough');
    await mkdir(dir, { recursive: true });
    const wasm = join(dir, 'hello.wasm');
    await buildWat(join(workspaceDir(), 'hello.wat'), wasm);
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(wasm), 'wasmWorkbench.inspector');
    await until('the inspector tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.uri.fsPath === wasm;
    });
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    assert.equal(
      await countOf(this, `${step('inspect')}[aria-checked="true"]`, (n) => n === 1, 'the inspect step checked', 'workbench'),
      1,
    );
  });
});
