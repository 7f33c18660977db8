/** The memory budget's arithmetic, and the count of core instances it is shared among. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coreInstanceCounts } from '../../../src/core/run/core-instances';
import { MemoryLimitError, planMemoryBudget, type ModuleDemand } from '../../../src/core/run/memory-cap';
import { fixtureBytes } from '../../fixtures';

const mib = 1024 * 1024;
const module = (name: string, memories: { min: number; max?: number }[], instances = 1, tables: number[] = []): ModuleDemand => ({
  name,
  memories: memories.map((limits, index) => ({
    module: name,
    index,
    limits: { is64: false, shared: false, ...limits },
    what: `memory ${index} of ${name}`,
  })),
  tables,
  instances,
});

describe('planMemoryBudget', () => {
  it('one unbounded memory gets the whole budget (tables take none when there are none)', () => {
    const plan = planMemoryBudget([module('m', [{ min: 1 }])], 64 * mib);
    assert.equal(plan.caps.get('m:0')!.max, 1024);
  });

  it('a small declared maximum is kept; the rest share what is left', () => {
    const plan = planMemoryBudget([module('m', [{ min: 1, max: 16 }, { min: 1 }, { min: 1 }])], 64 * mib);
    assert.equal(plan.caps.get('m:0')!.max, 16);
    assert.equal(plan.caps.get('m:1')!.max, 504);
    assert.ok(plan.caps.get('m:2')!.max! <= 504);
    const total = [...plan.caps.values()].reduce((n, l) => n + l.max! * 65536, 0);
    assert.ok(total <= 64 * mib);
  });

  it('instances of one module each get their share, and tables their sixteenth', () => {
    const plan = planMemoryBudget([module('m', [{ min: 1 }], 8, [10])], 64 * mib);
    assert.equal(plan.caps.get('m:0')!.max! * 8 * 65536 <= (64 - 4) * mib, true);
    assert.equal(plan.tableEntries, Math.floor((4 * mib) / 8 / 8));
  });

  it('memories that cannot even start within the budget are refused, each named', () => {
    assert.throws(
      () => planMemoryBudget([module('a.wasm', [{ min: 600 }]), module('b.wasm', [{ min: 600 }])], 64 * mib),
      (e: unknown) =>
        e instanceof MemoryLimitError && /memory 0 of a\.wasm starts at 37\.5 MiB, memory 0 of b\.wasm starts at 37\.5 MiB/.test(e.message),
    );
  });
});

describe('coreInstanceCounts', () => {
  it('counts the instantiations of each core module of a flat component', async () => {
    assert.deepEqual(coreInstanceCounts(await fixtureBytes('component-instances')), [8, 1]);
  });

  it('answers unknown for what is not a component it can read', () => {
    assert.equal(coreInstanceCounts(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 2, 5, 1, 0, 9])), undefined);
  });
});
