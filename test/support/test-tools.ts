/**
 * Where the tools built by scripts/setup-tests.sh live: `<cache>/<tool>-<version>/`, the version read from
 * scripts/test-tools/<tool>/version (the build script reads the same file, so the two cannot disagree). A version
 * may end in a build revision (`12.11.1-r2`): it is part of the key, so a build that changes gets a fresh cache.
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

/** Where `file` of the tool's cached build is, whether or not it has been built. */
export function testToolCachedPath(tool: string, file: string): string {
  return join(testToolsCache(), `${tool}-${testToolVersion(tool)}`, file);
}

/** The path of `file` inside the tool's cached build; throws with the command to run when it is not built. */
export function testToolPath(tool: string, file: string): string {
  const path = testToolCachedPath(tool, file);
  if (!existsSync(path))
    throw new Error(`${path} is missing: run bash scripts/setup-tests.sh (it builds ${tool} ${testToolVersion(tool)})`);
  return path;
}
