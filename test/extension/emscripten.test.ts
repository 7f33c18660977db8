// Emscripten builds in the inspector of a real VS Code: a minified build (everything imported from `a`) and a
// build recognised by the glue beside it; the capability sentence and the host card tell the same story, and
// the feature rows say what they mean. The binaries are Emscripten builds shipped in npm packages this project
// installs (playwright-core's WebP codec; re2-wasm with its glue).
import * as assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { textOf, until } from './driver';
import { workspaceDir } from './workspace';

const REPO = join(__dirname, '../../..');

async function openInInspector(file: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), 'wasmWorkbench.inspector');
  await until('the inspector tab', () => {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    return input instanceof vscode.TabInputCustom && input.uri.fsPath === file;
  });
}

describe('Inspector: Emscripten builds', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = join(workspaceDir(), 'build-emscripten');
    await mkdir(dir, { recursive: true });
    await copyFile(join(REPO, 'node_modules/playwright-core/lib/webp_codec.wasm'), join(dir, 'webp_codec.wasm'));
    await copyFile(join(REPO, 'node_modules/re2-wasm/build/wasm/re2.wasm'), join(dir, 're2.wasm'));
    await copyFile(join(REPO, 'node_modules/re2-wasm/build/wasm/re2.js'), join(dir, 're2.js'));
  });

  it('a minified build: recognised, and no "needs no WASI capabilities" beside the special-host card', async function () {
    await openInInspector(join(dir, 'webp_codec.wasm'));
    assert.match(
      await textOf(this, '.subtitle', (t) => t.includes('Emscripten'), 'the host'),
      /Emscripten module, minified \(needs its JavaScript glue\)/,
    );
    const capabilities = await textOf(this, '#capabilities', (t) => t.includes('Needs a special host'), 'the capabilities section');
    assert.match(
      capabilities,
      /What it needs cannot be read from its imports: they were renamed \(module a\), and its Emscripten JavaScript glue provides them all\./,
    );
    assert.doesNotMatch(capabilities, /needs no WASI capabilities/);
    const summary = await textOf(this, '#summary', (t) => t.includes('Uses (seen in its structure)'), 'the summary');
    assert.match(summary, /instructions in code are not read/);
  });

  it('a build with its glue beside it: the note names the glue', async function () {
    await openInInspector(join(dir, 're2.wasm'));
    const summary = await textOf(this, '#summary', (t) => t.includes('Its JavaScript glue is'), 'the summary');
    assert.match(summary, /Its JavaScript glue is re2\.js, beside it\./);
    assert.match(
      await textOf(this, '#capability-summary', (t) => t.length > 0, 'the capability sentence'),
      /^Everything it imports comes from its Emscripten JavaScript glue: env, and the WASI functions behind the \d+ capabilities below\.$/,
    );
  });
});
