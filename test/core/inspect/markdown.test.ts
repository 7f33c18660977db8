import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectBytes } from '../../../src/core/inspect';
import { code, formatReportMarkdown } from '../../../src/core/inspect/markdown';
import { markdown } from '../../../src/core/text/markdown';
import { concatBytes, encodeName, encodeSection, encodeVec, MODULE_HEADER, uleb128 } from '../../fixtures/encode';

const hostileNames = ['a`b', '``x``', 'x | y', '<img src=x onerror=alert(1)>', 'line\nbreak', '# heading', '[link](javascript:alert(1))'];

/** A module that imports a function from a hostile module name and exports a memory under each hostile name. */
function hostileModule(): Uint8Array {
  const imports = encodeVec([concatBytes(encodeName('evil` **bold** <b>x</b> `'), encodeName('f`|`'), Uint8Array.of(0x00), uleb128(0))]);
  const exports = encodeVec(hostileNames.map((name) => concatBytes(encodeName(name), Uint8Array.of(0x02), uleb128(0))));
  return concatBytes(
    MODULE_HEADER,
    encodeSection(1, encodeVec([Uint8Array.of(0x60, 0, 0)])),
    encodeSection(2, imports),
    encodeSection(5, encodeVec([Uint8Array.of(0x00, 0x01)])),
    encodeSection(7, exports),
  );
}

/** Splits a table row on pipes that are not escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);

describe('Markdown report: names from the binary cannot change the document', () => {
  it('code spans hold backticks, pipes and control characters literally', () => {
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('`x'), '`` `x ``');
    assert.equal(code('a\nb'), '`a b`');
    assert.equal(code(''), '`  `'); // an empty name (valid in Wasm) still shows as a span
  });

  it('every hostile export stays one table row with three cells, inside a code span', async () => {
    const markdown = formatReportMarkdown(await inspectBytes(hostileModule()), 'hostile.wasm');
    const exportRows = markdown.split('\n').filter((line) => line.startsWith('| ') && line.includes('| memory |'));
    assert.equal(exportRows.length, hostileNames.length, markdown);
    for (const row of exportRows) {
      const [name] = cells(row);
      assert.equal(cells(row).length, 3, row);
      assert.match(name!.trim(), /^(`+).*\1$/, `name cell is one code span: ${row}`);
    }
    assert.ok(!markdown.split('\n').some((line) => line.startsWith('# heading')), 'no heading injected');
  });

  it('a hostile import module name in the host summary stays in a code span', async () => {
    const report = await inspectBytes(hostileModule());
    assert.equal(report.host.kind, 'unknown-imports');
    // Core keeps the name as a code span (data), and the Markdown renderer fences it so it cannot change the document.
    assert.ok(
      report.host.summary.some((part) => typeof part !== 'string' && part.code === 'evil` **bold** <b>x</b> `'),
      JSON.stringify(report.host.summary),
    );
    assert.ok(markdown(report.host.summary).includes(code('evil` **bold** <b>x</b> `')), markdown(report.host.summary));
  });
});
