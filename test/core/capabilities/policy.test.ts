import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capabilityCatalog,
  deniedCapabilities,
  parseCapabilityList,
  PolicyInputError,
  type Capability,
} from '../../../src/core/capabilities';
import { parseInterfaceName } from '../../../src/core/capabilities';

describe('capability policy', () => {
  it('parses comma lists and refuses unknown ids, naming the known ones', () => {
    assert.deepEqual(parseCapabilityList('filesystem, sockets,'), ['filesystem', 'sockets']);
    assert.throws(
      () => parseCapabilityList('filesytem'),
      (e: unknown) => e instanceof PolicyInputError && /unknown capability "filesytem".*known ids: stdio/.test(e.message),
    );
  });

  it('reports each denied capability that is needed, with its imports', () => {
    const needed: Capability[] = [{ ...capabilityCatalog.get('filesystem')!, imports: ['wasi_snapshot_preview1.path_open'] }];
    assert.deepEqual(deniedCapabilities(needed, ['filesystem', 'sockets']), [
      { capability: 'filesystem', imports: ['wasi_snapshot_preview1.path_open'] },
    ]);
    assert.deepEqual(deniedCapabilities(needed, ['sockets']), []);
  });
});

describe('interface names', () => {
  it('parses namespace, package, interface and version', () => {
    assert.deepEqual(parseInterfaceName('wasi:http/incoming-handler@0.2.3'), {
      namespace: 'wasi',
      package: 'http',
      interface: 'incoming-handler',
      version: '0.2.3',
    });
    assert.deepEqual(parseInterfaceName('acme:logger/log'), { namespace: 'acme', package: 'logger', interface: 'log' });
    assert.equal(parseInterfaceName('run'), undefined);
    assert.equal(parseInterfaceName('wasi_snapshot_preview1'), undefined);
  });
});
