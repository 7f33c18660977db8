// The extension's settings in the Settings editor of a real VS Code, as a person sees them: Compile: Features shows
// every proposal checked (its true default), descriptions render their Markdown (code, not backticks), and the
// build tool paths appear in the User tab, not only under Remote (code-server windows are remote ones).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { watFeatureNames } from '../../src/core/compile/features';
import { countOf, textOf } from './driver';
import { screenshot } from './screenshot';

describe('Settings', function () {
  this.timeout(60_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Compile: Features defaults to every proposal on, and the Settings editor shows them checked', async function () {
    const defaults = vscode.workspace.getConfiguration('wasmWorkbench.compile').inspect<Record<string, boolean>>('features')?.defaultValue;
    assert.deepEqual(Object.keys(defaults ?? {}).sort(), [...watFeatureNames].sort());
    assert.ok(
      Object.values(defaults!).every((on) => on === true),
      JSON.stringify(defaults),
    );
    await vscode.commands.executeCommand('workbench.action.openSettings', 'wasmWorkbench.compile.features');
    const checked = await countOf(
      this,
      '.settings-editor .setting-item-contents .setting-value-checkbox.checked',
      (n) => n === watFeatureNames.length,
      'checked feature boxes',
      'workbench',
    );
    assert.equal(checked, watFeatureNames.length);
    assert.equal(
      await countOf(
        this,
        '.settings-editor .setting-item-contents .setting-value-checkbox:not(.checked)',
        (n) => n === 0,
        'unchecked feature boxes',
        'workbench',
      ),
      0,
    );
    await screenshot('settings-compile-features');
  });

  it('a tool path is in the User tab, with its description rendered as Markdown', async function () {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'wasmWorkbench.build.cargoPath');
    const item = await textOf(
      this,
      '.settings-editor .setting-item-contents',
      (t) => t.includes('Cargo Path'),
      'the Cargo Path setting',
      'workbench',
    );
    assert.doesNotMatch(item, /`/, 'backticks are rendered, not shown');
    assert.ok(
      (await countOf(
        this,
        '.settings-editor .setting-item-contents .setting-item-markdown code',
        (n) => n > 0,
        'code in the description',
        'workbench',
      )) > 0,
    );
    // The User tab is the one selected: the setting is there, not only under Remote.
    assert.match(
      await textOf(this, '.settings-editor .settings-tabs-widget .checked', (t) => t.length > 0, 'the selected tab', 'workbench'),
      /^User/,
    );
  });
});
