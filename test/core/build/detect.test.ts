import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectProjects } from '../../../src/core/build';
import { parseCargoManifest } from '../../../src/core/build/cargo-toml';
import { scratchDir, writeTree } from './helpers';

const summary = (root: string) => detectProjects(root).map((p) => `${p.name}:${p.language}`);

describe('build project detection', () => {
  it('finds each language by its marker file and names projects by folder', () => {
    const root = writeTree(scratchDir('detect'), {
      'rust-app/Cargo.toml': '[package]\nname = "rust-app"\nversion = "0.1.0"\n',
      'rust-app/src/main.rs': 'fn main() {}\n',
      'go-app/go.mod': 'module example.com/tools/go-app\n\ngo 1.22\n',
      'go-app/main.go': 'package main\nfunc main() {}\n',
      'as-app/asconfig.json': JSON.stringify({
        targets: { debug: { outFile: 'build/debug.wasm' }, release: { outFile: 'build/release.wasm' } },
      }),
      'as-app/package.json': '{}',
      'js-app/package.json': JSON.stringify({ name: 'js-app', main: 'app.js' }),
      'js-app/app.js': 'export function hello() { return "hi"; }\n',
      'js-app/wit/world.wit': 'package local:hello;\nworld hello { export hello: func() -> string; }\n',
      'c-app/main.c': 'int main(void) { return 0; }\n',
      'c-app/util.c': 'int util(void) { return 1; }\n',
      'c-app/util.h': '',
    });
    assert.deepEqual(summary(root), ['as-app:assemblyscript', 'c-app:c', 'go-app:go', 'js-app:javascript', 'rust-app:rust']);
    const [as, c, , js] = detectProjects(root);
    assert.deepEqual(as!.targets, ['release', 'debug'], "release first: it is asc's default target");
    assert.deepEqual(c!.sources, [join(root, 'c-app', 'main.c'), join(root, 'c-app', 'util.c')]);
    assert.equal(js!.sources[0], join(root, 'js-app', 'app.js'));
  });

  it('names the root project after its folder and tells two projects in one folder apart', () => {
    const root = writeTree(scratchDir('root'), {
      'hello.c': 'int main(void) { return 0; }\n',
      'both/Cargo.toml': '[package]\nname = "both"\n',
      'both/go.mod': 'module both\n',
    });
    const names = detectProjects(root).map((p) => p.name);
    assert.deepEqual(names, [root.split(/[\\/]/).pop(), 'both (rust)', 'both (go)']);
  });

  it('skips dependency and output folders, and C files that belong to another build', () => {
    const root = writeTree(scratchDir('skip'), {
      'node_modules/dep/Cargo.toml': '[package]\nname = "dep"\n',
      'target/debug/build/x/Cargo.toml': '[package]\nname = "x"\n',
      'build/gen.c': 'int x;\n',
      '.hidden/a.c': 'int x;\n',
      'make-project/Makefile': 'all:\n',
      'make-project/main.c': 'int main(void) { return 0; }\n',
      'crate/Cargo.toml': '[package]\nname = "crate"\n',
      'crate/csrc/helper.c': 'int helper(void) { return 0; }\n',
      'plain-node/package.json': '{"name":"plain"}',
      'plain-node/index.js': '',
      'workspace/Cargo.toml': '[workspace]\nmembers = ["member"]\n',
      'workspace/member/Cargo.toml': '[package]\nname = "member"\n',
    });
    // The workspace-only manifest is no project; its member is. The crate's C helper is part of the crate.
    assert.deepEqual(summary(root), ['crate:rust', 'workspace/member:rust']);
  });

  it('marks a cargo-component crate as a component project', () => {
    const root = writeTree(scratchDir('component'), {
      'Cargo.toml': '[package]\nname = "comp"\n\n[package.metadata.component]\npackage = "example:comp"\n',
    });
    assert.equal(detectProjects(root)[0]!.component, true);
  });

  it('stops at the depth limit', () => {
    const root = writeTree(scratchDir('deep'), { 'a/b/c/d/main.c': 'int main(void){return 0;}\n' });
    assert.equal(detectProjects(root, { maxDepth: 3 }).length, 0);
    assert.equal(detectProjects(root, { maxDepth: 4 }).length, 1);
  });
});

describe('Cargo.toml reading', () => {
  it('reads package, bins, cdylib, workspace and the component marker, and ignores the rest', () => {
    const manifest = parseCargoManifest(`
# comment
[package]
name = "my-crate"   # trailing comment
version = "0.1.0"
metadata.component.package = "x:y"

[lib]
name = 'my_lib'
crate-type = ["cdylib", "rlib"]

[[bin]]
name = "tool-a"
path = "src/a.rs"

[[bin]]
name = "tool-b"

[dependencies]
serde = { version = "1", features = ["derive"] }

[workspace]
`);
    assert.deepEqual(manifest, {
      packageName: 'my-crate',
      bins: ['tool-a', 'tool-b'],
      libName: 'my_lib',
      libCrateTypes: ['cdylib', 'rlib'],
      workspace: true,
      component: true,
    });
  });
});
