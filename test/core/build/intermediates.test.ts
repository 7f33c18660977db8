import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBuildIntermediate } from '../../../src/core/build';

describe('isBuildIntermediate', () => {
  it("cargo's deps, build and incremental copies are intermediates; the binaries beside them are not", () => {
    assert.equal(isBuildIntermediate('rust-hello/target/wasm32-wasip1/release/deps/rust_hello-3f2a9c.wasm'), true);
    assert.equal(isBuildIntermediate('target/wasm32-wasip2/debug/build/foo-1/out/x.wasm'), true);
    assert.equal(isBuildIntermediate('target/wasm32-wasip1/release/incremental/x.wasm'), true);
    assert.equal(isBuildIntermediate('rust-hello/target/wasm32-wasip1/release/rust_hello.wasm'), false);
    assert.equal(isBuildIntermediate('build/release.wasm'), false);
    assert.equal(isBuildIntermediate('deps/app.wasm'), false, "a folder named deps outside target is the user's");
  });
});
