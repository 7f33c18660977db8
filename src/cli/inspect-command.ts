/** `wasm-workbench inspect` and `caps`: what a binary contains and what it needs from its host. */
import { basename } from 'node:path';
import { deniedCapabilities, describeViolations, parseCapabilityList } from '../core/capabilities';
import { inspectFile } from '../core/inspect';
import { formatCapsMarkdown, formatReportMarkdown } from '../core/inspect/markdown';
import { CliError, ExitCode } from './errors';
import { parse, printHelp, singleFile, type Command } from './options';

export const inspect: Command = {
  summary: 'Show what a Wasm module or component contains and what it needs from its host',
  usage: 'wasm-workbench inspect FILE [--json] [--function-sizes] [--no-wit]',
  help: `Reads a core module or component and prints its host kind, needed WASI capabilities, imports and exports
with full signatures, sections, custom sections and producers; for components also the WIT world.

Options:
  --json             print the report as JSON (for scripts and CI)
  --function-sizes   also read the size of every function body
  --no-wit           do not print the WIT world of a component (skips loading wasm-tools)
  -h, --help         show this help

Exit codes: 0 ok, 2 bad input (the message names the byte offset).`,
  async run(argv, out) {
    const { values, positionals } = parse(
      argv,
      { json: { type: 'boolean' }, 'function-sizes': { type: 'boolean' }, 'no-wit': { type: 'boolean' } },
      this.usage,
    );
    if (values.help) return printHelp(this, out);
    const file = singleFile(positionals, this.usage);
    const report = await inspectFile(file, { wit: !values['no-wit'], functionBodies: Boolean(values['function-sizes']) });
    out.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReportMarkdown(report, basename(file)));
    return ExitCode.ok;
  },
};

export const caps: Command = {
  summary: 'List the WASI capabilities a binary needs; with --deny, fail when it needs a denied one',
  usage: 'wasm-workbench caps FILE [--json] [--deny ID,ID...]',
  help: `Prints the host the binary expects and each capability it needs, in plain words, with the imports that
imply it, its risk, and how to grant it (wasm-workbench run, wasmtime, Spin).

Options:
  --json             print the capability report as JSON
  --deny ID,ID       policy gate: exit 3 when the binary needs any of these capabilities
                     (ids: stdio, args, environment, filesystem, clocks, random, exit, poll, sockets,
                     http-outgoing, http-incoming, threads, wasi-nn, keyvalue, config, logging, database,
                     messaging, blobstore, ai)
  -h, --help         show this help

Exit codes: 0 ok, 2 bad input, 3 a denied capability is needed.`,
  async run(argv, out) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, deny: { type: 'string', multiple: true } }, this.usage);
    if (values.help) return printHelp(this, out);
    const file = singleFile(positionals, this.usage);
    const denied = ((values.deny as string[] | undefined) ?? []).flatMap(parseCapabilityList);
    const report = await inspectFile(file, { wit: false });
    const violations = deniedCapabilities(report.capabilities, denied);
    if (values.json) {
      const json = {
        file,
        host: report.host,
        capabilities: report.capabilities,
        unrecognisedImports: report.unrecognisedImports,
        ...(denied.length ? { denied, violations } : {}),
      };
      out.write(JSON.stringify(json, null, 2) + '\n');
    } else {
      out.write(formatCapsMarkdown(report, basename(file)));
    }
    if (violations.length) throw new CliError(`${file}: ${describeViolations(violations)}`, 'policy');
    return ExitCode.ok;
  },
};
