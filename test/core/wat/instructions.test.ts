import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describedInstructions, instructionInfo } from '../../../src/core/wat';

describe('WAT instructions for hovers', () => {
  it('gives a signature and a meaning', () => {
    assert.deepEqual(instructionInfo('i32.add'), { signature: '[i32 i32] → [i32]', meaning: 'Adds, wrapping around on overflow.' });
    assert.equal(instructionInfo('i64.eqz')?.signature, '[i64] → [i32]');
    assert.equal(instructionInfo('f64.convert_i32_u')?.signature, '[i32] → [f64]');
    assert.equal(instructionInfo('i32.load8_u')?.immediates, '$memory? offset=N? align=N?');
    assert.equal(instructionInfo('local.get')?.immediates, '$local');
    assert.equal(instructionInfo('i64.atomic.rmw32.cmpxchg_u')?.signature, '[i32 i64 i64] → [i64]');
    assert.equal(instructionInfo('i8x16.add_sat_u')?.signature, '[v128 v128] → [v128]');
    assert.equal(instructionInfo('not.an.instruction'), undefined);
    assert.equal(instructionInfo('$name'), undefined);
  });

  it('covers every MVP instruction family and the later proposals in breadth', () => {
    for (const name of [
      'unreachable',
      'nop',
      'block',
      'loop',
      'if',
      'br_table',
      'call_indirect',
      'select',
      'global.set',
      'memory.grow',
      'i32.wrap_i64',
      'f32.demote_f64',
      'i64.reinterpret_f64',
      'i32.trunc_sat_f64_u',
      'memory.copy',
      'table.init',
      'ref.func',
      'return_call',
      'try_table',
      'throw_ref',
      'struct.new',
      'array.new_fixed',
      'ref.i31',
      'v128.bitselect',
      'f32x4.pmin',
      'memory.atomic.wait32',
    ]) {
      assert.ok(instructionInfo(name), `${name} is not described`);
    }
    assert.ok(describedInstructions().length > 500, `${describedInstructions().length} instructions`);
  });

  it('every described instruction is one the WAT grammar highlights as an instruction (no invented names)', () => {
    const grammar = JSON.parse(readFileSync('syntaxes/wat.tmLanguage.json', 'utf8')) as {
      repository: Record<string, { patterns?: { name?: string; match?: string }[] }>;
    };
    const patterns = [
      ...(grammar.repository['instructions']?.patterns ?? []),
      ...(grammar.repository['instructions-with-names']?.patterns ?? []),
    ]
      .filter((p) => p.match && /^keyword\./.test(p.name ?? ''))
      .map((p) => new RegExp(p.match!));
    assert.ok(patterns.length > 5, 'the grammar has instruction patterns');
    const unknown = describedInstructions().filter(
      (name) =>
        !patterns.some(
          (re) =>
            re.exec(` ${name} `)?.[0].trim() === name ||
            re
              .exec(`(${name} `)?.[0]
              .replace(/^\(\s*/, '')
              .trim() === name,
        ),
    );
    assert.deepEqual(unknown, []);
  });
});
