/** `wasm-workbench run FILE`: runs a module or component with only the grants given on the command line. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCapabilityList } from '../core/capabilities';
import type { CapabilityId } from '../core/capabilities';
import {
  defaultLimits,
  explainOutcome,
  maxTimeoutSeconds,
  parseDirectoryGrant,
  parseEnvGrant,
  prepareRun,
  RunRefusedError,
  runnerSupport,
  startGuest,
  type RunGrants,
  type SandboxChoice,
  type SupportLevel,
} from '../core/run';
import { plainText } from '../core/text/rich';
import { CliError } from './errors';
import { parse, printHelp, type Command } from './options';

export const run: Command = {
  summary: 'Run a WASI module or component with least privilege: nothing is granted unless given here',
  usage:
    'wasm-workbench run FILE [--dir HOST[::GUEST]] [--ro-dir HOST[::GUEST]] [--env K=V] [--inherit-env] [--timeout S] [--max-memory MB] [--invoke NAME] [--deny ID,ID] [--sandbox auto|bubblewrap|none] [--engine builtin|wasmtime] [--wasmtime PATH] [-- ARGS...]',
  help: `Runs a WASI preview1 command (or a reactor's export with --invoke) or a WASI 0.2 component in a
separate process, on this project's WASI host. The guest gets its arguments, the variables passed with
--env, and the directories passed with --dir/--ro-dir; nothing else: not the host environment, not the
network. Every guest path is resolved by the host itself inside the granted directories; on Linux with
bubblewrap installed the guest's process also runs in its own namespaces.

Options:
  --dir HOST[::GUEST]     grant a directory, read-write (GUEST defaults to HOST as written, as in wasmtime)
  --ro-dir HOST[::GUEST]  grant a directory, read-only (writes fail with EROFS)
  --env KEY=VALUE         set an environment variable for the guest (repeatable)
  --inherit-env           pass the whole host environment (off by default)
  --timeout S             wall-clock limit in seconds (default ${defaultLimits.timeoutMs / 1000}, at most ${maxTimeoutSeconds}); the guest is killed, exit 124
  --max-memory MB         one budget in MiB for all its memories and tables (default ${defaultLimits.maxMemoryBytes / 1024 / 1024}); memory.grow past it fails
  --sandbox MODE          auto (bubblewrap when it works, the default), bubblewrap (required), none
  --engine ENGINE         builtin (this project's WASI host, the default) or wasmtime (run exactly as
                          production does, with the same grants; its memory limit is per memory)
  --wasmtime PATH         the wasmtime to use (default: wasmtime on PATH)
  --invoke NAME           call an exported function of a reactor; its arguments follow --
  --deny ID,ID            refuse to start a binary that needs any of these capabilities (exit 3)
  -h, --help              show this help

What a guest gets:
${guestGets()}

Exit codes: the guest's exit code; 124 timeout; 134 trap; 130 stopped (Ctrl+C); 1 could not start;
2 bad input or a binary that cannot run here; 3 refused by --deny.`,
  async run(argv, out) {
    const { values, positionals } = parse(
      argv,
      {
        dir: { type: 'string', multiple: true },
        'ro-dir': { type: 'string', multiple: true },
        env: { type: 'string', multiple: true },
        'inherit-env': { type: 'boolean' },
        timeout: { type: 'string' },
        'max-memory': { type: 'string' },
        invoke: { type: 'string' },
        deny: { type: 'string', multiple: true },
        sandbox: { type: 'string' },
        engine: { type: 'string' },
        wasmtime: { type: 'string' },
      },
      this.usage,
    );
    if (values.help) return printHelp(this, out);
    const [file, ...args] = positionals;
    if (!file) throw new CliError(`expected a FILE to run\nusage: ${this.usage}`);

    const grants: RunGrants = { args: values.invoke ? [] : args, env: {}, inheritEnv: Boolean(values['inherit-env']), dirs: [] };
    for (const d of (values.dir as string[] | undefined) ?? []) grants.dirs.push(parseDirectoryGrant(d, false));
    for (const d of (values['ro-dir'] as string[] | undefined) ?? []) grants.dirs.push(parseDirectoryGrant(d, true));
    for (const e of (values.env as string[] | undefined) ?? []) {
      const [key, value] = parseEnvGrant(e);
      grants.env[key] = value;
    }
    const limits = {
      timeoutMs: positiveNumber(values.timeout, '--timeout', defaultLimits.timeoutMs / 1000) * 1000,
      maxMemoryBytes: positiveNumber(values['max-memory'], '--max-memory', defaultLimits.maxMemoryBytes / 1024 / 1024) * 1024 * 1024,
    };
    const deny = ((values.deny as string[] | undefined) ?? []).flatMap(parseCapabilityList);
    const sandbox = (values.sandbox ?? 'auto') as SandboxChoice;
    if (!['auto', 'bubblewrap', 'none'].includes(sandbox))
      throw new CliError(`--sandbox takes auto, bubblewrap or none, got "${String(values.sandbox)}"`);
    const childScript = join(__dirname, 'run-child.js');
    const engine = String(values.engine ?? (values.wasmtime ? 'wasmtime' : 'builtin'));
    if (engine !== 'builtin' && engine !== 'wasmtime') throw new CliError(`--engine takes builtin or wasmtime, got "${engine}"`);

    let prepared;
    try {
      prepared = await prepareRun(
        { file: resolve(file), grants, limits, ...(values.invoke ? { invoke: { name: String(values.invoke), args } } : {}) },
        {
          deny,
          cacheDir: cacheDir(),
          hostEnv: process.env,
          childScript,
          sandbox,
          engine,
          ...(values.wasmtime ? { wasmtimePath: resolve(String(values.wasmtime)) } : {}),
        },
      );
    } catch (error) {
      if (error instanceof RunRefusedError) throw new CliError(`${file}: ${error.message}`, error.kind, { cause: error });
      throw error;
    }
    // Said when someone is watching: where bubblewrap is not used, only the WASI layer confines the guest.
    if (!prepared.confinement.bubblewrap && process.stderr.isTTY && sandbox === 'auto') {
      process.stderr.write(`wasm-workbench: only the WASI layer confines this run (${prepared.confinement.reason})\n`);
    }
    const guest = startGuest(prepared.plan, {
      childScript,
      stdio: 'inherit',
      confinement: prepared.confinement,
      extraReadOnly: prepared.extraReadOnly,
    });
    const stop = () => guest.kill();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const outcome = await guest.outcome;
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    if (outcome.result !== undefined && outcome.result !== '') out.write(`${outcome.result}\n`);
    const notes = [...(outcome.message && outcome.end !== 'exited' ? [outcome.message] : []), ...explainOutcome(outcome, prepared)];
    for (const note of notes) process.stderr.write(`wasm-workbench: ${note}\n`);
    return outcome.exitCode;
  },
};

/** The runner's support table, as help text: one line per capability, grouped by what the guest gets. */
function guestGets(): string {
  const levels: [SupportLevel, string][] = [
    ['always', 'always'],
    ['on-grant', 'when granted'],
    ['off', 'linked, but every use fails'],
    ['unsupported', 'refused before the run (exit 2)'],
  ];
  return levels
    .map(([level, title]) => {
      const ids = (Object.keys(runnerSupport) as CapabilityId[]).filter((id) => runnerSupport[id].level === level);
      const detail =
        level === 'on-grant' ? ids.map((id) => `    ${id}: ${plainText(runnerSupport[id].flags!)}`).join('\n') : `    ${ids.join(', ')}`;
      return `  ${title}:\n${detail}`;
    })
    .join('\n');
}

function positiveNumber(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new CliError(`${flag} needs a positive number, got "${String(value)}"`);
  return n;
}

/** Transpiled components are cached per user, like other tools' caches. */
function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'wasm-workbench');
}
