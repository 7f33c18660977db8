/** Rules of the code base that a reader relies on, checked rather than hoped for. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exitCodeOf } from '../../src/cli/errors';
import { capabilityIds } from '../../src/core/capabilities';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('architecture', () => {
  it('src/core never imports vscode or the extension, and src/cli never imports the extension', () => {
    for (const file of sourceFiles('src/core')) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, file);
      assert.doesNotMatch(text, /from ['"][./]+\/extension\//, file);
    }
    for (const file of sourceFiles('src/cli')) assert.doesNotMatch(readFileSync(file, 'utf8'), /from ['"]vscode['"]|\/extension\//, file);
  });

  it('settings are read in one place: only src/extension/config.ts calls getConfiguration, and it reads every contributed setting', () => {
    for (const file of sourceFiles('src')) {
      if (file === join('src', 'extension', 'config.ts')) continue;
      assert.doesNotMatch(readFileSync(file, 'utf8'), /getConfiguration\(/, file);
    }
    const face = readFileSync('src/extension/config.ts', 'utf8');
    const contributed = Object.keys(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } })
        .contributes.configuration.properties,
    );
    assert.ok(contributed.length > 20);
    for (const setting of contributed) {
      const [, section, key] = /^wasmWorkbench\.(\w+)\.(\w+)$/.exec(setting) ?? [];
      assert.ok(section && key, setting);
      assert.match(face, new RegExp(`${section}: 'wasmWorkbench\\.${section}'`), `${setting}: its section`);
      assert.match(face, new RegExp(`'${key}'|\\b${key},`), `${setting} is not read in config.ts`);
    }
  });

  it('docs/capabilities.md names every capability id the catalogue has', () => {
    const doc = readFileSync('docs/capabilities.md', 'utf8');
    for (const id of capabilityIds) assert.match(doc, new RegExp(`\\| \`${id}\` \\|`), id);
  });

  it("the README's exit-code table is the CLI's (src/cli/errors.ts): every code a failure maps to, and no other", () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('Exit codes, the same for every command'));
    const listed = [...table.slice(0, table.indexOf('\n\n', table.indexOf('| code |'))).matchAll(/^\| `(\d+)` \|/gm)].map((m) =>
      Number(m[1]),
    );
    const codes = [...new Set([0, ...Object.values(exitCodeOf)])].sort((a, b) => a - b);
    assert.deepEqual(listed, codes);
  });

  it('activation loads no package: the extension bundle imports each dependency on first use (docs/architecture.md)', () => {
    const bundle = readFileSync('dist/extension.js', 'utf8');
    const dependencies = Object.keys(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies,
    );
    assert.ok(dependencies.length > 0);
    for (const name of dependencies) {
      const quoted = name.replace(/[/.@-]/g, '\\$&');
      assert.doesNotMatch(bundle, new RegExp(`require\\(["']${quoted}["'/]`), `${name} is required when the extension loads`);
    }
  });
});
