/**
 * Validation of core modules by V8, the engine of Node.js and of the VS Code extension host.
 *
 * Why V8: wasm-tools' `parse` does not validate, and jco does not expose wasm-tools' validator. V8 from
 * Node 24 (V8 13.6) implements all of Wasm 3.0 and agrees with the spec testsuite on every core case
 * except a few modules that exceed its implementation limits (listed in the spec-suite test and the
 * README); binaryen misses errors in GC code and wabt cannot read GC at all, so neither may have the last word.
 *
 * Where the running V8 lacks Wasm 3.0 (Node 20 runs the CLI on many machines), the same check runs in a
 * child process of a Node.js that has it: WASM_WORKBENCH_NODE, the project's `.tools/node24`, or `node` on
 * PATH, whichever first passes the same probe. When none does, validation reports itself unavailable and
 * the caller refuses to write a binary: nothing is accepted unvalidated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './engines';
import { loadWasmTools } from '../platform/wasm-tools';
import { errorMessage } from '../errors';

export type Validation = { valid: true } | { valid: false; message: string; offset?: number } | { valid: 'unavailable'; reason: string };

/**
 * A module that uses what V8 shipped last for Wasm 3.0 (memory64, table64, multi-memory, GC, exnref,
 * relaxed SIMD, tail calls): an engine that validates it has the whole standard.
 */
export const wasm3ProbeText = `(module
  (memory i64 1) (memory 1) (table i64 1 funcref)
  (type $pair (struct (field i32) (field (mut i64))))
  (tag $oops)
  (func $catching (result i32)
    (block $caught (result exnref) (try_table (catch_all_ref $caught) (throw $oops)) unreachable)
    drop
    (struct.get $pair 0 (struct.new $pair (i32.const 1) (i64.const 2))))
  (func $relaxed (param v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 0)))
  (func $tail (result i32) (return_call $catching)))`;

let probeBytes: Promise<Uint8Array> | undefined;

function probe(): Promise<Uint8Array> {
  probeBytes ??= loadWasmTools().then((tools) => tools.parse(wasm3ProbeText));
  return probeBytes;
}

/** V8 reports problems as `WebAssembly.Module(): <what> @+<offset>`. */
export function parseEngineMessage(message: string): { message: string; offset?: number } {
  const match = /\s*@\+(\d+)\s*$/.exec(message);
  let text = match ? message.slice(0, match.index) : message;
  text = text.replace(/^WebAssembly\.Module\(\):\s*/, '');
  return match ? { message: text, offset: Number(match[1]) } : { message: text };
}

function validateHere(bytes: Uint8Array): Validation {
  if (WebAssembly.validate(bytes)) return { valid: true };
  try {
    new WebAssembly.Module(bytes);
  } catch (error) {
    return { valid: false, ...parseEngineMessage(errorMessage(error)) };
  }
  // validate() and compiling disagreed: trust the stricter answer without a message from the engine.
  return { valid: false, message: 'V8 rejects this module' };
}

let hostIsCapable: Promise<boolean> | undefined;

function hostHasWasm3(): Promise<boolean> {
  hostIsCapable ??= probe().then(
    (bytes) => WebAssembly.validate(bytes),
    () => false,
  );
  return hostIsCapable;
}

export async function validateModule(bytes: Uint8Array): Promise<Validation> {
  if (process.env.WASM_WORKBENCH_VALIDATOR !== 'child' && (await hostHasWasm3())) return validateHere(bytes);
  const child = await validatorChild();
  if ('unavailable' in child) return { valid: 'unavailable', reason: child.unavailable };
  return child.validate(bytes);
}

// ---- the child validator -----------------------------------------------------------------------

const childScript = `
process.on('message', ({ id, bytes }) => {
  let result = { valid: true };
  if (!WebAssembly.validate(bytes)) {
    try { new WebAssembly.Module(bytes); result = { valid: false, message: 'V8 rejects this module' }; }
    catch (error) { result = { valid: false, message: String(error && error.message || error) }; }
  }
  process.send({ id, ...result });
});`;

class ChildValidator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Validation) => void }>();

  constructor(
    private readonly child: ChildProcess,
    readonly node: string,
  ) {
    child.on('message', (reply: { id: number; valid: boolean; message?: string }) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      this.updateRef();
      waiting.resolve(reply.valid ? { valid: true } : { valid: false, ...parseEngineMessage(reply.message ?? '') });
    });
    child.on('exit', (code, signal) => {
      if (activeChild === this) {
        activeChild = undefined;
        childValidator = undefined;
      }
      for (const waiting of this.pending.values())
        waiting.resolve({ valid: 'unavailable', reason: `the validator process (${node}) stopped (${signal ?? code})` });
      this.pending.clear();
    });
    this.updateRef();
  }

  validate(bytes: Uint8Array): Promise<Validation> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve });
      this.updateRef();
      this.child.send({ id, bytes });
    });
  }

  /** The child keeps the process alive only while an answer is awaited, so a CLI run ends when its work does. */
  private updateRef(): void {
    const channel = this.child.channel as unknown as { ref(): void; unref(): void } | undefined;
    if (this.pending.size) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
    }
  }

  kill(): void {
    this.child.kill();
  }
}

let childValidator: Promise<ChildValidator | { unavailable: string }> | undefined;
let activeChild: ChildValidator | undefined;

function validatorChild(): Promise<ChildValidator | { unavailable: string }> {
  childValidator ??= startChild();
  return childValidator;
}

/** Where to look for a Node.js whose V8 has Wasm 3.0, in order. */
export function validatorNodeCandidates(): string[] {
  const candidates: string[] = [];
  if (process.env.WASM_WORKBENCH_NODE) candidates.push(process.env.WASM_WORKBENCH_NODE);
  const root = packageRoot();
  if (root) candidates.push(join(root, '.tools', 'node24', 'bin', 'node'));
  candidates.push('node');
  return candidates;
}

async function startChild(): Promise<ChildValidator | { unavailable: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await probe();
  } catch (error) {
    return { unavailable: `wasm-tools could not be loaded: ${String(error)}` };
  }
  const tried: string[] = [];
  for (const node of validatorNodeCandidates()) {
    if (node.includes('/') && !existsSync(node)) continue;
    const child = spawn(node, ['-e', childScript], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
    const started = await new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      child.once('spawn', () => resolve(true));
    });
    if (!started) {
      tried.push(`${node} (not found)`);
      continue;
    }
    const validator = new ChildValidator(child, node);
    const answer = await Promise.race([
      validator.validate(bytes),
      new Promise<Validation>((r) => setTimeout(() => r({ valid: 'unavailable', reason: 'timeout' }), 20_000).unref()),
    ]);
    if (answer.valid === true) {
      activeChild = validator;
      return validator;
    }
    validator.kill();
    tried.push(`${node} (its V8 lacks Wasm 3.0)`);
  }
  return {
    unavailable:
      `this Node.js ${process.version} (V8 ${process.versions.v8}) cannot validate WebAssembly 3.0, and no Node.js 24 or later was found ` +
      `(tried ${tried.join(', ') || 'nothing'}). Install Node.js 24+ or set WASM_WORKBENCH_NODE to its path.`,
  };
}
