/** `wasm-workbench` command line: a thin front on src/core. */
import { commands } from './commands';
import { errorMessage } from '../core/errors';
import { describeFailure, ExitCode } from './errors';

declare const WASM_WORKBENCH_VERSION: string | undefined;

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const list = Object.entries(commands).map(([name, load]) => `  ${name.padEnd(width)}  ${load().summary}`);
  return `usage: wasm-workbench <command> [options]

Commands:
${list.join('\n')}

Run 'wasm-workbench <command> --help' for a command's options.
`;
}

export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    out.write(usage());
    return name ? ExitCode.ok : ExitCode.badInput;
  }
  if (name === '--version' || name === '-V') {
    out.write(`${typeof WASM_WORKBENCH_VERSION === 'string' ? WASM_WORKBENCH_VERSION : 'dev'}\n`);
    return ExitCode.ok;
  }
  const command = Object.hasOwn(commands, name) ? commands[name]!() : undefined;
  if (!command) {
    err.write(`wasm-workbench: unknown command '${name}'\n\n${usage()}`);
    return ExitCode.badInput;
  }
  try {
    return await command.run(rest, out);
  } catch (error) {
    const file = rest.find((a) => !a.startsWith('-'));
    const { message, exitCode } = describeFailure(error, file);
    err.write(`wasm-workbench: ${message}\n`);
    return exitCode;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(
        `wasm-workbench: internal error: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}\n`,
      );
      process.exitCode = ExitCode.failure;
    },
  );
}
