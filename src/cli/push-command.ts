/** `wasm-workbench push FILE --image REF`: pushes a module or component to an OCI registry, prints REG/REPO@sha256:…. */
import { readFile } from 'node:fs/promises';
import { WasmFormatError } from '../core/binary';
import { pushWasm, wasmForms, type ExplicitCredentials, type WasmForm } from '../core/oci';
import { CliError, ExitCode } from './errors';
import { parse, printHelp, singleFile, type Command } from './options';

export const push: Command = {
  summary: 'Push a Wasm module or component to an OCI registry (for Kubernetes, Spin, runwasi); prints its digest reference',
  usage:
    'wasm-workbench push FILE --image REF [--form artifact|runwasi|image|spin] [--insecure] [--username U --password-stdin] [--docker-config PATH] [--timeout S]',
  help: `Pushes FILE to an OCI registry and prints the pushed reference, REGISTRY/REPOSITORY@sha256:..., as one
line on stdout (progress goes to stderr). Pushing the same binary again gives the same digest and uploads nothing.

Forms:
  artifact   CNCF Wasm OCI artifact: config application/vnd.wasm.config.v0+json, layer application/wasm (default)
  runwasi    for containerd runwasi shims: layer application/vnd.bytecodealliance.wasm.component.layer.v0+wasm
             (components) or application/wasm (modules), image config with platform wasi/wasm
  image      an OCI image: one tar+gzip layer holding /app.wasm, os wasip1/wasip2, architecture wasm
  spin       as 'spin registry push' writes it: the Wasm layer and a locked Spin app serving HTTP on /...

Options:
  --image REF          REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST] (no tag: latest; no registry: Docker Hub)
  --form FORM          one of ${wasmForms.join(', ')} (default artifact)
  --insecure           allow plain http to a registry that is not on this machine (loopback is always http)
  --username U         log in as U; the password (or token) is read from stdin with --password-stdin
  --password-stdin     read the password from standard input
  --docker-config PATH docker config file with credentials (default $DOCKER_CONFIG/config.json or
                       ~/.docker/config.json; auths, credHelpers and credsStore are used as docker does)
  --timeout S          limit for each registry request, in seconds (default 60; uploads get 1 s more per MiB)
  -h, --help           show this help

The config's created time is SOURCE_DATE_EPOCH when set, else the Unix epoch, so pushes are reproducible.

Exit codes: 0 pushed, 1 the registry refused or failed (the message names the step), 2 bad input.`,
  async run(argv, out) {
    const { values, positionals } = parse(
      argv,
      {
        image: { type: 'string' },
        form: { type: 'string' },
        insecure: { type: 'boolean' },
        username: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'docker-config': { type: 'string' },
        timeout: { type: 'string' },
      },
      this.usage,
    );
    if (values.help) return printHelp(this, out);
    const file = singleFile(positionals, this.usage);
    const image = values.image as string | undefined;
    if (!image) throw new CliError(`--image REF is required (where to push, e.g. ghcr.io/acme/app:1.0)\nusage: ${this.usage}`);
    const form = (values.form as string | undefined) ?? 'artifact';
    if (!(wasmForms as readonly string[]).includes(form))
      throw new CliError(`--form must be one of ${wasmForms.join(', ')}, got "${form}"`);
    const timeoutMs = seconds(values.timeout) * 1000;

    let credentials: ExplicitCredentials | undefined;
    const username = values.username as string | undefined;
    if (values['password-stdin'] || username !== undefined) {
      if (!username) throw new CliError('--password-stdin needs --username U');
      if (!values['password-stdin'])
        throw new CliError('--username needs --password-stdin (the password is read from standard input, never from the command line)');
      if (process.stdin.isTTY)
        throw new CliError(
          '--password-stdin reads the password from standard input: pipe it in, e.g. printf %s "$TOKEN" | wasm-workbench push ...',
        );
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (!password) throw new CliError('--password-stdin: standard input was empty');
      credentials = { username, password };
    }

    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a .wasm file' : (error as Error).message}`,
      );
    }

    const epoch = process.env.SOURCE_DATE_EPOCH;
    const created = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date(0);
    try {
      const result = await pushWasm(bytes, {
        image,
        form: form as WasmForm,
        insecure: Boolean(values.insecure),
        timeoutMs,
        created,
        ...(credentials ? { credentials } : {}),
        ...(values['docker-config'] ? { dockerConfig: String(values['docker-config']) } : {}),
        onProgress: (event) => process.stderr.write(`wasm-workbench: ${event.message}\n`),
      });
      process.stderr.write(
        `wasm-workbench: pushed ${file} (${result.kind}, ${result.os}) as ${result.form} to ${image}${result.skipped.length ? `; ${result.skipped.length} blob(s) were already there` : ''}\n`,
      );
      out.write(`${result.reference}\n`);
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof WasmFormatError)
        throw new CliError(`${file}: malformed Wasm binary ${error.message}`, 'input', { cause: error });
      throw error;
    }
  },
};

function seconds(value: unknown): number {
  if (value === undefined) return 60;
  const n = Number(value);
  if (!(n > 0)) throw new CliError(`--timeout needs a positive number of seconds, got "${String(value)}"`);
  return n;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
