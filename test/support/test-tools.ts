/**
 * Where the tools built by scripts/setup-tests.sh live: `<cache>/<tool>-<version>/`, the version read from
 * scripts/test-tools/<tool>/version (the build script reads the same file, so the two cannot disagree).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../fixtures/tools';

/** The clone's root (the tests are bundled: `__dirname` is whichever test file includes this module). */
export const repositoryRoot = repoRoot();

export function testToolsCache(): string {
  return process.env.WASM_WORKBENCH_TOOLS_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'wasm-workbench-tools');
}

export function testToolVersion(tool: string): string {
  return readFileSync(join(repoRoot(), 'scripts', 'test-tools', tool, 'version'), 'utf8').trim();
}

/** The path of `file` inside the tool's cached build; throws with the command to run when it is not built. */
export function testToolPath(tool: string, file: string): string {
  const path = join(testToolsCache(), `${tool}-${testToolVersion(tool)}`, file);
  if (!existsSync(path))
    throw new Error(`${path} is missing: run bash scripts/setup-tests.sh (it builds ${tool} ${testToolVersion(tool)})`);
  return path;
}
