/** The one mapping from a failure's kind to the CLI's exit code and line (src/cli/errors.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, ExitCode } from '../../src/cli/errors';
import { WasmFormatError } from '../../src/core/binary';
import { errorMessage, failureKind, WorkbenchError } from '../../src/core/errors';
import { RunRefusedError } from '../../src/core/run';

describe('failures and exit codes', () => {
  it('each kind has its exit code: input and refused 2, policy 3, failed 1, cancelled 130', () => {
    const codes = (['input', 'refused', 'policy', 'failed', 'cancelled'] as const).map(
      (kind) => describeFailure(new WorkbenchError(kind, 'x')).exitCode,
    );
    assert.deepEqual(codes, [2, 2, 3, 1, 130]);
    assert.equal(describeFailure(new RunRefusedError('it needs sockets', 'policy')).exitCode, ExitCode.policyViolation);
  });

  it('reads the kind, not the class: an error from another bundle (another copy of the classes) maps the same', () => {
    const foreign = Object.assign(new Error('policy violation: needs denied capability stdio (fd_write)'), { kind: 'policy' });
    assert.equal(failureKind(foreign), 'policy');
    assert.deepEqual(describeFailure(foreign), { message: foreign.message, exitCode: 3 });
    // A property named kind that is no failure kind (a Kubernetes object's, say) is not mistaken for one.
    assert.equal(failureKind(Object.assign(new Error('x'), { kind: 'Deployment' })), undefined);
  });

  it('names the file of a malformed binary; an error without a kind is a failure (exit 1) said as it is', () => {
    assert.deepEqual(describeFailure(new WasmFormatError(4, 'unknown version'), 'a.wasm'), {
      message: 'a.wasm: malformed Wasm binary at byte 0x4 (4): unknown version',
      exitCode: 2,
    });
    assert.deepEqual(describeFailure(Object.assign(new Error('gone'), { code: 'ENOENT' }), 'a.wasm'), {
      message: 'a.wasm: no such file',
      exitCode: 2,
    });
    assert.deepEqual(describeFailure(new TypeError('oops'), 'a.wasm'), { message: 'a.wasm: oops', exitCode: 1 });
  });

  it('errorMessage reads Errors, values thrown by jco (`{ payload }`) and anything else', () => {
    assert.equal(errorMessage(new Error('plain')), 'plain');
    assert.equal(errorMessage({ payload: 'unexpected token' }), 'unexpected token');
    assert.equal(errorMessage('a string'), 'a string');
    const wrapped = new WorkbenchError('failed', 'push failed', { cause: new Error('ECONNREFUSED') });
    assert.equal((wrapped.cause as Error).message, 'ECONNREFUSED');
  });
});
