// Writes large, valid core modules for the inspect benchmark straight to disk. Every file gets the
// same imports (a realistic WASI preview 1 set plus a few `env` imports), the same exports, memory,
// global and data; only the amount of code differs: filler functions whose bodies are long runs of
// `nop` then `end`. The code section is streamed from one reused buffer, so a 100 MB file never
// exists in memory.
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import {
  concatBytes,
  encodeCustomSection,
  encodeName,
  encodeSection,
  encodeVec,
  MODULE_HEADER,
  producersPayload,
  SectionId,
  sleb128,
  uleb128,
} from '../test/fixtures/encode';

const I32 = 0x7f;
const I64 = 0x7e;
const F64 = 0x7c;

const funcType = (params: number[], results: number[]) =>
  concatBytes(Uint8Array.of(0x60), encodeVec(params.map((p) => Uint8Array.of(p))), encodeVec(results.map((r) => Uint8Array.of(r))));

const TYPES = [
  funcType([I32, I32], [I32]), // 0: args_get and friends
  funcType([I32, I64, I32], [I32]), // 1: clock_time_get
  funcType([I32], [I32]), // 2: fd_close, alloc
  funcType([I32, I32, I32, I32], [I32]), // 3: fd_read, fd_write, poll_oneoff
  funcType([I32, I32, I32], [I32]), // 4: fd_prestat_dir_name
  funcType([I32, I64, I32, I32], [I32]), // 5: fd_seek
  funcType([I32, I32, I32, I32, I32, I64, I64, I32, I32], [I32]), // 6: path_open
  funcType([I32], []), // 7: proc_exit
  funcType([], [I32]), // 8: sched_yield
  funcType([], []), // 9: _start, fillers
  funcType([I32, I32], []), // 10: env.js_log
  funcType([], [F64]), // 11: env.now
];

/** [module, name, type index] of the imported functions, in import order. */
export const BENCH_FUNCTION_IMPORTS: readonly (readonly [string, string, number])[] = [
  ['wasi_snapshot_preview1', 'args_get', 0],
  ['wasi_snapshot_preview1', 'args_sizes_get', 0],
  ['wasi_snapshot_preview1', 'environ_get', 0],
  ['wasi_snapshot_preview1', 'environ_sizes_get', 0],
  ['wasi_snapshot_preview1', 'clock_time_get', 1],
  ['wasi_snapshot_preview1', 'fd_close', 2],
  ['wasi_snapshot_preview1', 'fd_fdstat_get', 0],
  ['wasi_snapshot_preview1', 'fd_prestat_get', 0],
  ['wasi_snapshot_preview1', 'fd_prestat_dir_name', 4],
  ['wasi_snapshot_preview1', 'fd_read', 3],
  ['wasi_snapshot_preview1', 'fd_seek', 5],
  ['wasi_snapshot_preview1', 'fd_write', 3],
  ['wasi_snapshot_preview1', 'path_open', 6],
  ['wasi_snapshot_preview1', 'poll_oneoff', 3],
  ['wasi_snapshot_preview1', 'proc_exit', 7],
  ['wasi_snapshot_preview1', 'random_get', 0],
  ['wasi_snapshot_preview1', 'sched_yield', 8],
  ['env', 'js_log', 10],
  ['env', 'now', 11],
];
/** One global import as well: env.__memory_base (i32, immutable). */
export const BENCH_IMPORT_COUNT = BENCH_FUNCTION_IMPORTS.length + 1;
export const BENCH_EXPORTS = ['memory', '_start', 'alloc'] as const;

const FD_WRITE = BENCH_FUNCTION_IMPORTS.findIndex(([, name]) => name === 'fd_write');
const PROC_EXIT = BENCH_FUNCTION_IMPORTS.findIndex(([, name]) => name === 'proc_exit');
const JS_LOG = BENCH_FUNCTION_IMPORTS.findIndex(([, name]) => name === 'js_log');
const FIRST_DEFINED = BENCH_FUNCTION_IMPORTS.length;

const OP = { end: 0x0b, nop: 0x01, call: 0x10, drop: 0x1a, localGet: 0x20, i32Const: 0x41 } as const;

/** Largest filler body: under V8's 7,654,321-byte function size limit, so the modules stay loadable. */
const MAX_FILLER_BODY = 4 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export interface SynthesizedModule {
  path: string;
  fileSize: number;
  codeSectionSize: number;
  functionCount: number;
  fillerCount: number;
  reused: boolean;
}

/** Version of the layout below; bump it to regenerate cached files. */
const GENERATOR_VERSION = 1;

/**
 * Writes a module with about `codeBytes` bytes of code section to `path` (reusing an existing file
 * written by the same generator version and parameters).
 */
export function synthesizeModule(path: string, codeBytes: number): SynthesizedModule {
  // Bodies are [local declaration count] instructions... end.
  const startBody = concatBytes(
    Uint8Array.of(0x00),
    Uint8Array.of(OP.i32Const, 1, OP.i32Const, 0, OP.i32Const, 1, OP.i32Const, 8),
    Uint8Array.of(OP.call),
    uleb128(FD_WRITE),
    Uint8Array.of(OP.drop),
    Uint8Array.of(OP.i32Const, 0, OP.i32Const, 16),
    Uint8Array.of(OP.call),
    uleb128(JS_LOG),
    Uint8Array.of(OP.i32Const, 0),
    Uint8Array.of(OP.call),
    uleb128(PROC_EXIT),
    Uint8Array.of(OP.end),
  );
  const allocBody = Uint8Array.of(0x00, OP.localGet, 0x00, OP.end);
  const smallBodies = [startBody, allocBody];
  const smallSize = smallBodies.reduce((n, b) => n + uleb128(b.length).length + b.length, 0);

  // Fill the rest of `codeBytes` (less a few bytes for the function count) with filler bodies.
  const fillerSizes: number[] = [];
  let remaining = codeBytes - smallSize - 5;
  while (remaining > 8) {
    const body = Math.min(MAX_FILLER_BODY, remaining - 5);
    fillerSizes.push(body);
    remaining -= body + uleb128(body).length;
  }
  const functionCount = smallBodies.length + fillerSizes.length;
  const codePayloadSize = uleb128(functionCount).length + smallSize + fillerSizes.reduce((n, s) => n + uleb128(s).length + s, 0);

  const types = encodeSection(SectionId.Type, encodeVec(TYPES));
  const imports = encodeSection(
    SectionId.Import,
    encodeVec([
      ...BENCH_FUNCTION_IMPORTS.map(([module, name, type]) =>
        concatBytes(encodeName(module), encodeName(name), Uint8Array.of(0x00), uleb128(type)),
      ),
      concatBytes(encodeName('env'), encodeName('__memory_base'), Uint8Array.of(0x03, I32, 0x00)),
    ]),
  );
  const functions = encodeSection(SectionId.Function, encodeVec([uleb128(9), uleb128(2), ...fillerSizes.map(() => uleb128(9))]));
  const memory = encodeSection(SectionId.Memory, encodeVec([Uint8Array.of(0x01, 2, 0x80, 0x02)])); // min 2, max 256 pages
  const globals = encodeSection(
    SectionId.Global,
    encodeVec([concatBytes(Uint8Array.of(I32, 0x01, OP.i32Const), sleb128(65536), Uint8Array.of(OP.end))]),
  );
  const exports = encodeSection(
    SectionId.Export,
    encodeVec([
      concatBytes(encodeName('memory'), Uint8Array.of(0x02), uleb128(0)),
      concatBytes(encodeName('_start'), Uint8Array.of(0x00), uleb128(FIRST_DEFINED)),
      concatBytes(encodeName('alloc'), Uint8Array.of(0x00), uleb128(FIRST_DEFINED + 1)),
    ]),
  );
  const codeHeader = concatBytes(
    Uint8Array.of(SectionId.Code),
    uleb128(codePayloadSize),
    uleb128(functionCount),
    ...smallBodies.flatMap((b) => [uleb128(b.length), b]),
  );
  const text = new TextEncoder().encode('hello from bench\n');
  const iovec = Uint8Array.of(16, 0, 0, 0, text.length, 0, 0, 0); // { buf = 16, len }
  const data = encodeSection(SectionId.Data, encodeVec([activeData(0, iovec), activeData(16, text)]));
  const functionNames = [...BENCH_FUNCTION_IMPORTS.map(([, name]) => name), '_start', 'alloc', ...fillerSizes.map((_, i) => `filler_${i}`)];
  const nameSection = encodeCustomSection(
    'name',
    concatBytes(
      nameSubsection(0, encodeName('bench')),
      nameSubsection(1, encodeVec(functionNames.map((n, i) => concatBytes(uleb128(i), encodeName(n))))),
    ),
  );
  const producers = encodeCustomSection(
    'producers',
    producersPayload({ language: [['C11', '']], 'processed-by': [['wasm-workbench bench synthesizer', String(GENERATOR_VERSION)]] }),
  );

  const head = concatBytes(MODULE_HEADER, types, imports, functions, memory, globals, exports, codeHeader);
  const tail = concatBytes(data, nameSection, producers);
  const fileSize = head.length - codeHeader.length + 1 + uleb128(codePayloadSize).length + codePayloadSize + tail.length;

  const stampPath = `${path}.json`;
  const stamp = JSON.stringify({ GENERATOR_VERSION, codeBytes, fileSize, codePayloadSize, functionCount });
  const result = { path, fileSize, codeSectionSize: codePayloadSize, functionCount, fillerCount: fillerSizes.length };
  if (existsSync(path) && existsSync(stampPath) && statSync(path).size === fileSize && readFileSync(stampPath, 'utf8') === stamp) {
    return { ...result, reused: true };
  }

  const nops = new Uint8Array(CHUNK).fill(OP.nop);
  const fd = openSync(`${path}.tmp`, 'w');
  try {
    writeAll(fd, head);
    for (const size of fillerSizes) {
      writeAll(fd, concatBytes(uleb128(size), Uint8Array.of(0x00)));
      let left = size - 2; // minus the local-declaration count and `end`
      while (left > 0) {
        const n = Math.min(left, CHUNK);
        writeAll(fd, n === CHUNK ? nops : nops.subarray(0, n));
        left -= n;
      }
      writeAll(fd, Uint8Array.of(OP.end));
    }
    writeAll(fd, tail);
  } finally {
    closeSync(fd);
  }
  const written = statSync(`${path}.tmp`).size;
  if (written !== fileSize) throw new Error(`synthesizer bug: wrote ${written} bytes to ${path}, expected ${fileSize}`);
  renameSync(`${path}.tmp`, path);
  writeFileSync(stampPath, stamp);
  return { ...result, reused: false };
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}

function activeData(offset: number, bytes: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(0x00, OP.i32Const), sleb128(offset), Uint8Array.of(OP.end), uleb128(bytes.length), bytes);
}

function nameSubsection(id: number, payload: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(id), uleb128(payload.length), payload);
}
