/**
 * Go for WASI preview1: the Go toolchain itself from 1.21 (`GOOS=wasip1 GOARCH=wasm`), else TinyGo.
 * Older Go (Debian 12 ships 1.19) cannot target WASI at all, which the problem says in those words.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { goHints, platformHint } from '../hints';
import type { BuildOptions, BuildProject, PlanResult } from '../model';
import { describeTool, findExecutable, firstLine, lookedFor, parseVersion, versionAtLeast, type Probe } from '../tools';

export async function planGo(project: BuildProject, options: BuildOptions, probe: Probe): Promise<PlanResult> {
  const tools = probe.tools;
  const output = join(project.dir, `${moduleName(project)}.wasm`);
  const notes: string[] = [];

  const go = findExecutable(options.goPath || 'go', tools, project.dir);
  if (go) {
    const version = await probe.run(go, ['version']);
    const parsed = version.ok ? parseVersion(version.stdout.replace(/^go version go/, '')) : undefined;
    if (parsed && versionAtLeast(parsed, [1, 21, 0])) {
      return {
        ok: true,
        project,
        plan: {
          project,
          target: 'wasip1',
          toolchain: describeTool('go', version.stdout, go),
          steps: [
            { kind: 'process', program: go, args: ['build', '-o', output, '.'], cwd: project.dir, env: { GOOS: 'wasip1', GOARCH: 'wasm' } },
          ],
          outputs: [output],
          problemMatcher: 'go',
        },
      };
    }
    notes.push(
      parsed
        ? `Go ${parsed.join('.')} at ${go} is too old for WASI (GOOS=wasip1 needs Go 1.21 or newer)`
        : `${go} version failed: ${version.error ?? firstLine(version.stderr)}`,
    );
  } else {
    notes.push(`Go was not found (${lookedFor(options.goPath || 'go')})`);
  }

  const tinygo = findExecutable(options.tinygoPath || 'tinygo', tools, project.dir);
  if (tinygo) {
    const version = await probe.run(tinygo, ['version']);
    const parsed = version.ok ? parseVersion(version.stdout.replace(/^tinygo version /, '')) : undefined;
    if (parsed) {
      // TinyGo calls the target wasip1 from 0.30; before that, wasi.
      const target = versionAtLeast(parsed, [0, 30, 0]) ? 'wasip1' : 'wasi';
      return {
        ok: true,
        project,
        plan: {
          project,
          target,
          toolchain: describeTool('tinygo', version.stdout, tinygo),
          steps: [{ kind: 'process', program: tinygo, args: ['build', `-target=${target}`, '-o', output, '.'], cwd: project.dir, env: {} }],
          outputs: [output],
          problemMatcher: 'go',
        },
      };
    }
    notes.push(`${tinygo} version failed: ${version.error ?? firstLine(version.stderr)}`);
  } else {
    notes.push(`TinyGo was not found (${lookedFor(options.tinygoPath || 'tinygo')})`);
  }
  return {
    ok: false,
    project,
    problem: {
      kind: go ? 'unsupported-version' : 'missing-toolchain',
      tool: 'go',
      option: 'goPath',
      message: `${notes.join('; ')}.`,
      hint: platformHint(goHints, tools.platform),
    },
  };
}

/** The last path segment of go.mod's module path: what `go build` names the program. */
function moduleName(project: BuildProject): string {
  try {
    const module = /^module\s+("?)([^\s"]+)\1/m.exec(readFileSync(project.manifest, 'utf8'))?.[2];
    if (module) return module.split('/').pop()!;
  } catch {
    // unreadable go.mod: fall back to the folder's name
  }
  return basename(project.dir);
}
