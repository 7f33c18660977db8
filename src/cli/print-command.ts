/** `wasm-workbench print FILE`: any Wasm module or component as WAT text, printed by wasm-tools. */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { memorySource, readBinary } from '../core/binary';
import { describeElisions, hasElisions, printWatUtf8 } from '../core/compile';
import { ExitCode } from './errors';
import { parse, printHelp, singleFile, type Command } from './options';

export const print: Command = {
  summary: 'Print a Wasm module or component as WAT text',
  usage: 'wasm-workbench print FILE [-o OUT.wat] [--full]',
  help: `Prints the WebAssembly text of a core module or component with wasm-tools. The text always compiles back
(wasm-workbench compile): for very large modules, whole payloads are elided so the text stays readable:
function bodies past 1 MiB of code are shown as \`unreachable\`, data segments past 1 MiB of data keep their
first 64 bytes, custom sections past 256 KiB are left out; each is noted where it happened, and the first
and last lines list them all. With --full nothing is elided, however large the text gets.

Options:
  -o, --output OUT   write the text to OUT (through a temporary file) instead of standard output
  --full             print everything: the text then compiles back to an equivalent module
  -h, --help         show this help

Exit codes: 0 ok, 1 wasm-tools could not print it, 2 bad input (missing file, not a Wasm binary).`,
  async run(argv, out) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, full: { type: 'boolean' } }, this.usage);
    if (values.help) return printHelp(this, out);
    const file = singleFile(positionals, this.usage);
    const bytes = new Uint8Array(await readFile(file));
    // The reader names the offset of what is wrong with a broken binary, which the printer's message does not.
    await readBinary(memorySource(bytes));
    const { utf8, elisions } = await printWatUtf8(bytes, {
      full: Boolean(values.full),
      fullTextHint: `Run \`wasm-workbench print ${file} --full\` to see everything.`,
    });
    if (typeof values.output === 'string') {
      const temporary = `${values.output}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, utf8);
        await rename(temporary, values.output);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      out.write(`wrote ${values.output} (${utf8.length} bytes${hasElisions(elisions) ? `; elided: ${describeElisions(elisions)}` : ''})\n`);
    } else {
      out.write(utf8);
    }
    return ExitCode.ok;
  },
};
