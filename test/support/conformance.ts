/** The conformance suites from ../shared/conformance, unpacked once into a git-ignored folder under .test-output. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../fixtures/tools';

/** `WASM_WORKBENCH_CONFORMANCE` or the workplace's shared folder beside the clone. */
export function conformanceDir(): string {
  return process.env.WASM_WORKBENCH_CONFORMANCE ?? join(repoRoot(), '..', 'shared', 'conformance');
}

/** Unpacks `<name>.tgz` (once per archive change) and returns the folder. */
export function unpackConformance(name: string): string {
  const archive = join(conformanceDir(), `${name}.tgz`);
  if (!existsSync(archive))
    throw new Error(`${archive} is missing: the conformance suites are read from ../shared/conformance (or WASM_WORKBENCH_CONFORMANCE)`);
  const target = join(repoRoot(), '.test-output', 'conformance', name);
  const stamp = join(target, '.unpacked-from');
  const identity = `${archive} ${statSync(archive).size} ${statSync(archive).mtimeMs}`;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== identity) {
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', archive, '-C', target]);
    writeFileSync(stamp, identity);
  }
  return target;
}
