/** What every CLI command shares: its shape, option parsing with usage in errors, and help output. */
import { parseArgs } from 'node:util';
import { CliError, ExitCode } from './errors';

export interface Command {
  summary: string;
  usage: string;
  help: string;
  run(argv: string[], out: NodeJS.WritableStream): Promise<number>;
}

type OptionSpec = Record<string, { type: 'boolean' | 'string'; multiple?: boolean; short?: string }>;
type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export function parse(argv: string[], options: OptionSpec, usage: string): { values: OptionValues; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nusage: ${usage}`);
  }
}

export function singleFile(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new CliError(`expected one FILE, got ${positionals.length}\nusage: ${usage}`);
  return positionals[0]!;
}

export function printHelp(command: Command, out: NodeJS.WritableStream): number {
  out.write(`usage: ${command.usage}\n\n${command.help}\n`);
  return ExitCode.ok;
}
