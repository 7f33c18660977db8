/** The spec testsuite's scripts, and the conformance archives (unpacked by test/support/conformance.ts). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export { conformanceDir, unpackConformance } from '../../../support/conformance';

export function wastFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wast'))
    .sort()
    .map((f) => join(dir, f));
}
