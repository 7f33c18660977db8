/** `wasm-workbench compile FILE.wat`: WAT (or component WAT) → Wasm, with diagnostics as file:line:col. */
import { basename } from 'node:path';
import { compileWatFile, parseFeatureList, type SourceDiagnostic } from '../core/compile';
import { CliError, ExitCode } from './errors';
import { parse, printHelp, singleFile, type Command } from './options';
import { errorMessage } from '../core/errors';

export const compile: Command = {
  summary: 'Compile WAT (or component WAT) to a Wasm binary',
  usage: 'wasm-workbench compile FILE.wat [-o OUT.wasm] [--features LIST] [--no-debug-names]',
  help: `Compiles the WebAssembly text format (core modules with every Wasm 3.0 feature, and components) with
wasm-tools, and validates every core module with V8 (Node.js 24 or later; on an older Node.js a Node 24 found
through WASM_WORKBENCH_NODE or PATH does it). Errors, validation errors included, are printed as
FILE:LINE:COL: error: MESSAGE.
The output is written only when compiling succeeds, through a temporary file; a failed compile removes an
earlier OUT so that no stale binary is left behind.

Options:
  -o, --output OUT       where to write the binary (default: FILE with .wasm)
  --features LIST        turn features on or off, e.g. "-threads,-gc" (all standard proposals are on)
  --no-debug-names       leave out the name section
  -h, --help             show this help

Exit codes: 0 ok, 1 the source has errors, 2 bad input (missing file, unknown feature).`,
  async run(argv, out) {
    const { values, positionals } = parse(
      argv,
      { output: { type: 'string', short: 'o' }, features: { type: 'string' }, 'no-debug-names': { type: 'boolean' } },
      this.usage,
    );
    if (values.help) return printHelp(this, out);
    const input = singleFile(positionals, this.usage);
    let features;
    try {
      features = values.features ? parseFeatureList(String(values.features)) : {};
    } catch (error) {
      throw new CliError(errorMessage(error), 'input', { cause: error });
    }
    const output = typeof values.output === 'string' ? values.output : input.replace(/\.wat$/, '') + '.wasm';
    const { result, removedStaleOutput } = await compileWatFile(input, output, {
      features,
      debugNames: !values['no-debug-names'],
      fileName: input,
    });
    for (const d of result.diagnostics) out.write(formatDiagnostic(input, d));
    if (!result.ok) {
      if (removedStaleOutput) out.write(`removed ${removedStaleOutput}: it no longer matched ${basename(input)}\n`);
      throw new CliError(
        `${input}: ${result.diagnostics.filter((d) => d.severity === 'error').length} error(s); nothing written`,
        'failed',
      );
    }
    out.write(`wrote ${output} (${result.bytes.length} bytes, ${result.kind})\n`);
    return ExitCode.ok;
  },
};

function formatDiagnostic(file: string, d: SourceDiagnostic): string {
  return `${file}:${d.line + 1}:${d.column + 1}: ${d.severity}: ${d.message.replace(/\n/g, ' ')} [${d.source}]\n`;
}
