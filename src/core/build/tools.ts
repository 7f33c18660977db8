/**
 * Finding and asking toolchains: PATH lookup (with Windows' PATHEXT), and running `tool --version`-style
 * probes with a time limit. Probes are memoised per `Probe`, so planning many projects asks each tool once.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { BuildOptions } from './model';

export interface ToolEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

export function toolEnv(options: BuildOptions): ToolEnv {
  return { platform: options.platform ?? process.platform, env: options.env ?? process.env, homeDir: options.homeDir ?? homedir() };
}

function isExecutableFile(path: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function windowsExtensions(env: NodeJS.ProcessEnv): string[] {
  return (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .filter(Boolean)
    .map((e) => e.toLowerCase());
}

/**
 * The absolute path of `command`: a bare name is looked up on PATH, anything with a slash is taken as a path
 * (relative to `cwd`). Undefined when there is no such executable.
 */
export function findExecutable(command: string, tools: ToolEnv, cwd = process.cwd()): string | undefined {
  if (!command) return undefined;
  const candidates = (base: string) =>
    tools.platform === 'win32' && !/\.[a-z0-9]+$/i.test(base) ? [base, ...windowsExtensions(tools.env).map((e) => base + e)] : [base];
  const expanded = command.startsWith('~/') ? join(tools.homeDir, command.slice(2)) : command;
  if (isAbsolute(expanded) || /[\\/]/.test(expanded)) {
    return candidates(resolve(cwd, expanded)).find((c) => isExecutableFile(c, tools.platform));
  }
  const pathVar = tools.env.PATH ?? tools.env.Path ?? '';
  for (const dir of pathVar.split(tools.platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    const found = candidates(join(dir, expanded)).find((c) => isExecutableFile(c, tools.platform));
    if (found) return found;
  }
  return undefined;
}

/** A file next to `path` with another name (e.g. the `rustc` beside a `cargo`), keeping a Windows extension. */
export function sibling(path: string, name: string, tools: ToolEnv): string | undefined {
  const ext = tools.platform === 'win32' ? (/\.[a-z0-9]+$/i.exec(path)?.[0] ?? '') : '';
  const candidate = join(dirname(path), name + ext);
  return isExecutableFile(candidate, tools.platform) ? candidate : undefined;
}

export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface Captured {
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all. */
  error?: string;
}

/** Runs a probe command and memoises its result by command line. */
export class Probe {
  private readonly cache = new Map<string, Promise<Captured>>();

  constructor(
    readonly tools: ToolEnv,
    private readonly timeoutMs = 20_000,
  ) {}

  run(program: string, args: string[], env: Record<string, string> = {}): Promise<Captured> {
    const key = JSON.stringify([program, args, env]);
    let result = this.cache.get(key);
    if (!result) {
      result = capture(program, args, { env: { ...this.tools.env, ...env }, timeoutMs: this.timeoutMs, platform: this.tools.platform });
      this.cache.set(key, result);
    }
    return result;
  }
}

export function capture(
  program: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; platform?: NodeJS.Platform } = {},
): Promise<Captured> {
  return new Promise((done) => {
    execFile(
      program,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 20_000,
        maxBuffer: 16 * 1024 * 1024,
        windowsHide: true,
        // .cmd and .bat files (npm's shims on Windows) only run through the shell.
        shell: (options.platform ?? process.platform) === 'win32' && /\.(cmd|bat)$/i.test(program),
      },
      (error, stdout, stderr) => {
        if (!error) return done({ ok: true, code: 0, stdout: String(stdout), stderr: String(stderr) });
        // execFile's error carries the exit status as a number, or an errno string when nothing started.
        const e = error as unknown as { code?: number | string; killed?: boolean };
        const seconds = Math.round((options.timeoutMs ?? 20_000) / 1000);
        const reason =
          typeof e.code === 'string' ? `could not be started (${e.code})` : e.killed ? `did not answer within ${seconds} s` : undefined;
        done({
          ok: false,
          code: typeof e.code === 'number' ? e.code : null,
          stdout: String(stdout),
          stderr: String(stderr),
          ...(reason ? { error: `${program} ${reason}` } : {}),
        });
      },
    );
  });
}

/** First `major.minor[.patch]` in a version line, as numbers. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function versionAtLeast(version: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== min[i]) return version[i]! > min[i]!;
  return true;
}

/** `tool` with its path, for messages: `clang 14.0.6 (/usr/bin/clang)`. */
export function describeTool(name: string, versionLine: string, path: string): string {
  const version = parseVersion(versionLine);
  return `${name}${version ? ' ' + version.join('.') : ''} (${path})`;
}

/** The nearest `node_modules/.bin/<name>` at or above `dir` (how npm scripts and npx find a local tool). */
export function findNodeModulesBin(name: string, dir: string, tools: ToolEnv): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const base = join(current, 'node_modules', '.bin', name);
    const found = (tools.platform === 'win32' ? [base + '.cmd', base] : [base]).find((c) => isExecutableFile(c, tools.platform));
    if (found) return found;
    if (dirname(current) === current) return undefined;
  }
}

/** How a requested tool was looked for, for "not found" messages. */
export function lookedFor(requested: string): string {
  return /[\\/]/.test(requested) ? `no executable at ${requested}` : `looked for \`${requested}\` on PATH`;
}

export function firstLine(text: string): string {
  return text.trim().split(/\r?\n/, 1)[0] ?? '';
}
