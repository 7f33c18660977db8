import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watFolding } from '../../../src/core/wat';
import { lineIndex } from '../../../src/core/wat/folding';

const TEXT = `;; A module
;; in two comment lines
(module
  (; a block
     comment ;)
  (func $f (result i32)
    block $b
      i32.const 1
      br $b
    end
    i32.const 0)
  ;; region helpers
  (func $g)
  (func $h)
  ;; endregion
  (func $one (result i32) (i32.const 1)))
`;

describe('WAT folding', () => {
  const line = lineIndex(TEXT);
  const folds = watFolding(TEXT).map((f) => ({ from: line(f.start), to: line(f.end), kind: f.kind }));
  const has = (from: number, to: number, kind?: string) =>
    assert.ok(
      folds.some((f) => f.from === from && f.to === to && f.kind === kind),
      `no fold ${from}-${to} ${kind ?? ''} in ${JSON.stringify(folds)}`,
    );

  it('folds lists that span lines, and not those on one line', () => {
    has(2, 15); // the module
    has(5, 10); // $f
    assert.ok(!folds.some((f) => f.from === 15 && f.to === 15), 'a list on one line does not fold');
  });

  it('folds flat blocks to their end', () => has(6, 9));
  it('folds block comments and runs of line comments', () => {
    has(3, 4, 'comment');
    has(0, 1, 'comment');
  });
  it('folds regions', () => has(11, 14, 'region'));
});
