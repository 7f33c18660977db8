import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWit } from '../../../src/core/wit';

describe('WIT diagnostics', () => {
  it('a valid file, with or without a world, has none', async () => {
    assert.deepEqual(await checkWit('package a:b;\ninterface i {\n  f: func(x: u32) -> string;\n}\n'), []);
    assert.deepEqual(await checkWit('package a:b;\ninterface i { f: func(); }\nworld w { export i; }\nworld v { import i; }\n'), []);
  });

  it('a syntax error at its token', async () => {
    const [d] = await checkWit('package a:b;\ninterface i {\n  f: func(x: u32) -> string\n}\n');
    assert.deepEqual(d, { line: 3, column: 0, endColumn: 1, severity: 'error', message: "expected ';', found '}'", source: 'wit-parser' });
  });

  it('an unknown type at its use', async () => {
    const [d] = await checkWit('package a:b;\n// nope in a comment\ninterface i {\n  f: func(x: nope) -> string;\n}\n');
    assert.deepEqual(d, {
      line: 3,
      column: 13,
      endColumn: 17,
      severity: 'error',
      message: 'name `nope` does not exist',
      source: 'wit-parser',
    });
  });

  it('says nothing about packages it cannot see (a deps/ folder)', async () => {
    assert.deepEqual(await checkWit('package a:b;\nworld x { import wasi:cli/environment@0.2.0; }\n'), []);
  });
});
