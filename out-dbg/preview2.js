"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/core/run/wasi/preview2.ts
var preview2_exports = {};
__export(preview2_exports, {
  createPreview2Host: () => createPreview2Host,
  preview2Interfaces: () => preview2Interfaces
});
module.exports = __toCommonJS(preview2_exports);
var import_node_crypto = require("node:crypto");

// src/core/run/wasi/clocks.ts
var startedMonotonic = process.hrtime.bigint();
var startedWall = BigInt(Date.now()) * 1000000n;
function monotonicNow() {
  return process.hrtime.bigint();
}
function wallNow() {
  return startedWall + (process.hrtime.bigint() - startedMonotonic);
}
var clockResolution = 1n;

// src/core/run/wasi/fs/descriptor.ts
var import_node_fs4 = require("node:fs");

// src/core/run/wasi/errors.ts
var WasiFailure = class {
  constructor(payload) {
    this.payload = payload;
  }
};
function fail(code) {
  throw new WasiFailure(code);
}
var fromHostErrno = {
  EACCES: "access",
  EAGAIN: "would-block",
  EWOULDBLOCK: "would-block",
  EALREADY: "already",
  EBADF: "bad-descriptor",
  EBUSY: "busy",
  EDEADLK: "deadlock",
  EDQUOT: "quota",
  EEXIST: "exist",
  EFBIG: "file-too-large",
  EILSEQ: "illegal-byte-sequence",
  EINPROGRESS: "in-progress",
  EINTR: "interrupted",
  EINVAL: "invalid",
  EIO: "io",
  EISDIR: "is-directory",
  ELOOP: "loop",
  EMLINK: "too-many-links",
  EMSGSIZE: "message-size",
  ENAMETOOLONG: "name-too-long",
  ENODEV: "no-device",
  ENOENT: "no-entry",
  ENOLCK: "no-lock",
  ENOMEM: "insufficient-memory",
  ENOSPC: "insufficient-space",
  ENOTDIR: "not-directory",
  ENOTEMPTY: "not-empty",
  ENOTRECOVERABLE: "not-recoverable",
  ENOTSUP: "unsupported",
  EOPNOTSUPP: "unsupported",
  ENOSYS: "unsupported",
  ENOTTY: "no-tty",
  ENXIO: "no-such-device",
  EOVERFLOW: "overflow",
  EPERM: "not-permitted",
  EPIPE: "pipe",
  EROFS: "read-only",
  ESPIPE: "invalid-seek",
  ETXTBSY: "text-file-busy",
  EXDEV: "cross-device"
};
function errorCodeOf(error) {
  if (error instanceof WasiFailure) return error.payload;
  const code = error?.code;
  return code && fromHostErrno[code] || "io";
}
function hostCall(call) {
  try {
    return call();
  } catch (error) {
    if (error instanceof WasiFailure) throw error;
    throw new WasiFailure(errorCodeOf(error));
  }
}
var errno = {
  success: 0,
  "2big": 1,
  acces: 2,
  addrinuse: 3,
  addrnotavail: 4,
  afnosupport: 5,
  again: 6,
  already: 7,
  badf: 8,
  badmsg: 9,
  busy: 10,
  canceled: 11,
  child: 12,
  connaborted: 13,
  connrefused: 14,
  connreset: 15,
  deadlk: 16,
  destaddrreq: 17,
  dom: 18,
  dquot: 19,
  exist: 20,
  fault: 21,
  fbig: 22,
  hostunreach: 23,
  idrm: 24,
  ilseq: 25,
  inprogress: 26,
  intr: 27,
  inval: 28,
  io: 29,
  isconn: 30,
  isdir: 31,
  loop: 32,
  mfile: 33,
  mlink: 34,
  msgsize: 35,
  multihop: 36,
  nametoolong: 37,
  netdown: 38,
  netreset: 39,
  netunreach: 40,
  nfile: 41,
  nobufs: 42,
  nodev: 43,
  noent: 44,
  noexec: 45,
  nolck: 46,
  nolink: 47,
  nomem: 48,
  nomsg: 49,
  noprotoopt: 50,
  nospc: 51,
  nosys: 52,
  notconn: 53,
  notdir: 54,
  notempty: 55,
  notrecoverable: 56,
  notsock: 57,
  notsup: 58,
  notty: 59,
  nxio: 60,
  overflow: 61,
  ownerdead: 62,
  perm: 63,
  pipe: 64,
  proto: 65,
  protonosupport: 66,
  prototype: 67,
  range: 68,
  rofs: 69,
  spipe: 70,
  srch: 71,
  stale: 72,
  timedout: 73,
  txtbsy: 74,
  xdev: 75,
  notcapable: 76
};
var errnoOfCode = {
  access: errno.acces,
  "would-block": errno.again,
  already: errno.already,
  "bad-descriptor": errno.badf,
  busy: errno.busy,
  deadlock: errno.deadlk,
  quota: errno.dquot,
  exist: errno.exist,
  "file-too-large": errno.fbig,
  "illegal-byte-sequence": errno.ilseq,
  "in-progress": errno.inprogress,
  interrupted: errno.intr,
  invalid: errno.inval,
  io: errno.io,
  "is-directory": errno.isdir,
  loop: errno.loop,
  "too-many-links": errno.mlink,
  "message-size": errno.msgsize,
  "name-too-long": errno.nametoolong,
  "no-device": errno.nodev,
  "no-entry": errno.noent,
  "no-lock": errno.nolck,
  "insufficient-memory": errno.nomem,
  "insufficient-space": errno.nospc,
  "not-directory": errno.notdir,
  "not-empty": errno.notempty,
  "not-recoverable": errno.notrecoverable,
  unsupported: errno.notsup,
  "no-tty": errno.notty,
  "no-such-device": errno.nxio,
  overflow: errno.overflow,
  "not-permitted": errno.perm,
  pipe: errno.pipe,
  "read-only": errno.rofs,
  "invalid-seek": errno.spipe,
  "text-file-busy": errno.txtbsy,
  "cross-device": errno.xdev
};

// src/core/run/wasi/stdio.ts
var import_node_fs = require("node:fs");
var import_node_tty = require("node:tty");
var import_node_worker_threads = require("node:worker_threads");
var sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms) {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}
function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += (0, import_node_fs.writeSync)(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
      sleepMs(1);
    }
  }
}
function isTerminal(fd) {
  try {
    return (0, import_node_tty.isatty)(fd);
  } catch {
    return false;
  }
}
var ringSize = 64 * 1024;
var WRITTEN = 0;
var TAKEN = 1;
var ENDED = 2;
var workerSource = `
const { readSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const header = new Int32Array(workerData.header);
const ring = new Uint8Array(workerData.ring);
const size = ring.length;
const chunk = Buffer.alloc(16384);
const nap = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  let n;
  try { n = readSync(0, chunk, 0, chunk.length, null); }
  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(nap, 0, 0, 5); continue; } n = 0; }
  if (n === 0) { Atomics.store(header, 2, 1); Atomics.notify(header, 0); break; }
  let done = 0;
  while (done < n) {
    const written = Atomics.load(header, 0) >>> 0, taken = Atomics.load(header, 1) >>> 0;
    const free = size - ((written - taken) >>> 0);
    if (free === 0) { Atomics.wait(header, 1, taken | 0); continue; }
    const count = Math.min(free, n - done);
    for (let i = 0; i < count; i++) ring[(written + i) % size] = chunk[done + i];
    done += count;
    Atomics.store(header, 0, (written + count) | 0);
    Atomics.notify(header, 0);
  }
}
`;
var StdinReader = class {
  #header = new Int32Array(new SharedArrayBuffer(12));
  #ring = new Uint8Array(new SharedArrayBuffer(ringSize));
  #worker;
  #start() {
    if (this.#worker) return;
    this.#worker = new import_node_worker_threads.Worker(workerSource, { eval: true, workerData: { header: this.#header.buffer, ring: this.#ring.buffer } });
    this.#worker.unref();
  }
  #available() {
    return (Atomics.load(this.#header, WRITTEN) >>> 0) - (Atomics.load(this.#header, TAKEN) >>> 0) >>> 0;
  }
  /** True when a read would not block: bytes are waiting, or stdin has ended. */
  ready() {
    this.#start();
    return this.#available() > 0 || Atomics.load(this.#header, ENDED) === 1;
  }
  /** Waits up to `ms` (Infinity: no limit) until `ready()`. */
  wait(ms) {
    this.#start();
    const deadline = Date.now() + ms;
    while (!this.ready()) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      Atomics.wait(this.#header, WRITTEN, Atomics.load(this.#header, WRITTEN), Number.isFinite(left) ? left : void 0);
    }
  }
  /** Up to `max` bytes; empty when none are waiting and `blocking` is false; `undefined` at the end of input. */
  read(max, blocking) {
    if (blocking) this.wait(Infinity);
    else this.#start();
    const available = this.#available();
    if (available === 0) return Atomics.load(this.#header, ENDED) === 1 ? void 0 : new Uint8Array(0);
    const count = Math.min(available, max);
    const taken = Atomics.load(this.#header, TAKEN) >>> 0;
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.#ring[(taken + i) % ringSize];
    Atomics.store(this.#header, TAKEN, taken + count | 0);
    Atomics.notify(this.#header, TAKEN);
    return out;
  }
};
var reader;
function stdin() {
  return reader ??= new StdinReader();
}

// src/core/run/wasi/io.ts
var IoError = class {
  constructor(message, code) {
    this.message = message;
    this.code = code;
  }
  toDebugString() {
    return this.message;
  }
};
var StreamFailure = class {
  constructor(payload) {
    this.payload = payload;
  }
};
var closed = () => new StreamFailure({ tag: "closed" });
var failed = (message, code) => new StreamFailure({ tag: "last-operation-failed", val: new IoError(message, code) });
var Pollable = class {
  /** True when waiting on it would return at once. */
  ready() {
    return true;
  }
  /** The monotonic time (ns) at which it becomes ready by itself, if it is a timer. */
  deadline() {
    return void 0;
  }
  /** Whether input arriving on stdin can make it ready. */
  waitsForStdin() {
    return false;
  }
  block() {
    poll([this]);
  }
};
var TimerPollable = class extends Pollable {
  constructor(at) {
    super();
    this.at = at;
  }
  ready() {
    return monotonicNow() >= this.at;
  }
  deadline() {
    return this.at;
  }
};
var StdinPollable = class extends Pollable {
  ready() {
    return stdin().ready();
  }
  waitsForStdin() {
    return true;
  }
};
function poll(pollables) {
  if (pollables.length === 0) throw new Error("poll needs at least one pollable");
  for (; ; ) {
    const ready = [];
    pollables.forEach((p, i) => p.ready() && ready.push(i));
    if (ready.length) return Uint32Array.from(ready);
    const deadlines = pollables.map((p) => p.deadline()).filter((d) => d !== void 0);
    const earliest = deadlines.length ? deadlines.reduce((a, b) => b < a ? b : a) : void 0;
    const waitMs = earliest === void 0 ? Infinity : Math.max(0, Number(earliest - monotonicNow()) / 1e6);
    if (pollables.some((p) => p.waitsForStdin())) stdin().wait(waitMs);
    else sleepMs(Number.isFinite(waitMs) ? waitMs : 6e4);
  }
}
var toCount = (len) => Number(len > 0x7fffffffn ? 0x7fffffffn : len);
var InputStream = class {
  constructor(source) {
    this.source = source;
  }
  #done = false;
  #read(len, blocking) {
    if (this.#done) throw closed();
    const bytes = this.source.read(toCount(len), blocking);
    if (bytes === void 0) {
      this.#done = true;
      throw closed();
    }
    return bytes;
  }
  read(len) {
    return this.#read(len, false);
  }
  blockingRead(len) {
    return this.#read(len, true);
  }
  skip(len) {
    return BigInt(this.#read(len, false).length);
  }
  blockingSkip(len) {
    return BigInt(this.#read(len, true).length);
  }
  subscribe() {
    return this.source.pollable();
  }
};
var writeBudget = 1n << 20n;
var OutputStream = class {
  constructor(sink) {
    this.sink = sink;
  }
  checkWrite() {
    return writeBudget;
  }
  write(bytes) {
    if (BigInt(bytes.length) > writeBudget) throw failed("write larger than check-write allowed");
    this.sink.write(bytes);
  }
  blockingWriteAndFlush(bytes) {
    this.sink.write(bytes);
  }
  flush() {
  }
  blockingFlush() {
  }
  subscribe() {
    return new Pollable();
  }
  writeZeroes(len) {
    this.write(new Uint8Array(toCount(len)));
  }
  blockingWriteZeroesAndFlush(len) {
    this.sink.write(new Uint8Array(toCount(len)));
  }
  splice(source, len) {
    const bytes = source.read(len);
    this.sink.write(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(source, len) {
    const bytes = source.blockingRead(len);
    this.sink.write(bytes);
    return BigInt(bytes.length);
  }
};

// src/core/run/wasi/fs/host-paths.ts
var import_node_fs2 = require("node:fs");
var import_node_path = require("node:path");
var O_PATH = 2097152;
var ProcfsPaths = class {
  confinement = "descriptor";
  lookupOnly = O_PATH;
  entry(fd, name) {
    return `/proc/self/fd/${fd}/${name}`;
  }
  self(fd) {
    return `/proc/self/fd/${fd}`;
  }
  locate(fd) {
    try {
      return (0, import_node_fs2.readlinkSync)(`/proc/self/fd/${fd}`);
    } catch {
      return void 0;
    }
  }
  opened() {
  }
  closed() {
  }
};
var RecordedPaths = class {
  confinement = "path";
  lookupOnly = import_node_fs2.constants.O_RDONLY;
  #paths = /* @__PURE__ */ new Map();
  entry(fd, name) {
    return (0, import_node_path.join)(this.#where(fd), name);
  }
  self(fd) {
    return this.#where(fd);
  }
  locate(fd) {
    return this.#paths.get(fd);
  }
  opened(fd, parent, name) {
    this.#paths.set(fd, typeof parent === "string" ? parent : (0, import_node_path.join)(this.#where(parent), name ?? ""));
  }
  closed(fd) {
    this.#paths.delete(fd);
  }
  #where(fd) {
    const path = this.#paths.get(fd);
    if (path === void 0) throw Object.assign(new Error(`descriptor ${fd} has no recorded path`), { code: "EBADF" });
    return path;
  }
};
var chosen;
function hostPaths() {
  return chosen ??= procfsWorks() ? new ProcfsPaths() : new RecordedPaths();
}
function procfsWorks() {
  if (process.platform !== "linux") return false;
  let fd;
  try {
    fd = (0, import_node_fs2.openSync)("/", import_node_fs2.constants.O_RDONLY | import_node_fs2.constants.O_DIRECTORY);
    if ((0, import_node_fs2.readlinkSync)(`/proc/self/fd/${fd}`) !== "/") return false;
    const probe = (0, import_node_fs2.openSync)(`/proc/self/fd/${fd}/.`, O_PATH | import_node_fs2.constants.O_DIRECTORY);
    (0, import_node_fs2.closeSync)(probe);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== void 0) (0, import_node_fs2.closeSync)(fd);
  }
}

// src/core/run/wasi/fs/times.ts
var import_node_child_process = require("node:child_process");
var import_node_fs3 = require("node:fs");
var touchMissing = process.platform !== "linux";
function setTimes(path, atime, mtime, follow) {
  if (atime.tag === "no-change" && mtime.tag === "no-change") {
    (follow ? import_node_fs3.statSync : import_node_fs3.lstatSync)(path);
    return;
  }
  if (!touchMissing && touch(path, atime, mtime, follow)) return;
  const current = (follow ? import_node_fs3.statSync : import_node_fs3.lstatSync)(path);
  const seconds = (t, old) => t.tag === "timestamp" ? Number(t.val.seconds) + t.val.nanoseconds / 1e9 : t.tag === "now" ? Date.now() / 1e3 : old.getTime() / 1e3;
  (follow ? import_node_fs3.utimesSync : import_node_fs3.lutimesSync)(path, seconds(atime, current.atime), seconds(mtime, current.mtime));
}
function touch(path, atime, mtime, follow) {
  const runs = [];
  const stamp = (t) => `@${t.seconds}.${String(t.nanoseconds).padStart(9, "0")}`;
  const same = atime.tag === mtime.tag && (atime.tag !== "timestamp" || mtime.tag === "timestamp" && atime.val.seconds === mtime.val.seconds && atime.val.nanoseconds === mtime.val.nanoseconds);
  if (same) runs.push(atime.tag === "timestamp" ? ["-d", stamp(atime.val)] : []);
  else {
    if (atime.tag !== "no-change") runs.push(["-a", ...atime.tag === "timestamp" ? ["-d", stamp(atime.val)] : []]);
    if (mtime.tag !== "no-change") runs.push(["-m", ...mtime.tag === "timestamp" ? ["-d", stamp(mtime.val)] : []]);
  }
  const target = path.replace(/^\/proc\/self\//, `/proc/${process.pid}/`);
  for (const args of runs) {
    const result = (0, import_node_child_process.spawnSync)("touch", ["-c", ...follow ? [] : ["-h"], ...args, "--", target], { env: {}, stdio: ["ignore", "ignore", "pipe"] });
    if (result.error) {
      if (result.error.code === "ENOENT") {
        touchMissing = true;
        return false;
      }
      throw result.error;
    }
    if (result.status !== 0) {
      const message = result.stderr.toString();
      if (/No such file/.test(message)) fail("no-entry");
      if (/Permission denied/.test(message)) fail("access");
      if (/Operation not permitted/.test(message)) fail("not-permitted");
      if (/Read-only file system/.test(message)) fail("read-only");
      if (/Not a directory/.test(message)) fail("not-directory");
      fail("io");
    }
  }
  return true;
}

// src/core/run/wasi/fs/descriptor.ts
var Context = class {
  constructor(refuse) {
    this.refuse = refuse;
  }
  paths = hostPaths();
  /** `dev:ino` of every directory granted read-only. */
  readOnlyRoots = /* @__PURE__ */ new Set();
};
var maxSymlinks = 40;
var symbolDispose = Symbol.dispose ?? Symbol.for("dispose");
var identity = (s) => `${s.dev}:${s.ino}`;
var typeOf = (s) => s.isFile() ? "regular-file" : s.isDirectory() ? "directory" : s.isSymbolicLink() ? "symbolic-link" : s.isCharacterDevice() ? "character-device" : s.isBlockDevice() ? "block-device" : s.isFIFO() ? "fifo" : s.isSocket() ? "socket" : "unknown";
var datetime = (ns) => ({ seconds: ns / 1000000000n, nanoseconds: Number(ns % 1000000000n) });
var statOf = (s) => ({
  type: typeOf(s),
  linkCount: s.nlink,
  size: s.size,
  dataAccessTimestamp: datetime(s.atimeNs),
  dataModificationTimestamp: datetime(s.mtimeNs),
  statusChangeTimestamp: datetime(s.ctimeNs)
});
var Descriptor = class _Descriptor {
  #context;
  #fd;
  #type;
  #readOnly;
  #flags;
  /** The real path of the grant this descriptor came from, to check what is opened through it. */
  #grantRoot;
  /** How the guest reached it, for messages. */
  #guestPath;
  constructor(context, fd, type, readOnly, flags, grantRoot, guestPath) {
    this.#context = context;
    this.#fd = fd;
    this.#type = type;
    this.#readOnly = readOnly;
    this.#flags = flags;
    this.#grantRoot = grantRoot;
    this.#guestPath = guestPath;
  }
  /** Opens the granted directories; refusals of every descriptor reached from them go to `refuse`. */
  static preopen(grants, refuse) {
    const context = new Context(refuse);
    const opened = grants.map((grant) => {
      const fd = (0, import_node_fs4.openSync)(grant.host, import_node_fs4.constants.O_RDONLY | import_node_fs4.constants.O_DIRECTORY);
      context.paths.opened(fd, grant.host);
      const stat = (0, import_node_fs4.fstatSync)(fd, { bigint: true });
      if (grant.readOnly) context.readOnlyRoots.add(identity(stat));
      return { grant, fd };
    });
    return opened.map(({ grant, fd }) => {
      const root = context.paths.locate(fd);
      return new _Descriptor(context, fd, "directory", grant.readOnly || context.readOnlyRoots.has(identity((0, import_node_fs4.fstatSync)(fd, { bigint: true }))), { read: true, mutateDirectory: !grant.readOnly }, root, grant.guest);
    });
  }
  /**
   * A second descriptor for the same open directory or file, with its own host descriptor: every
   * `get-directories` call hands out new handles (the guest may drop one and keep using another).
   */
  duplicate() {
    const fd = hostCall(() => (0, import_node_fs4.openSync)(this.#context.paths.self(this.#open()), this.#type === "directory" ? import_node_fs4.constants.O_RDONLY | import_node_fs4.constants.O_DIRECTORY : this.#flags.write ? import_node_fs4.constants.O_RDWR : import_node_fs4.constants.O_RDONLY));
    this.#context.paths.opened(fd, this.#context.paths.self(this.#fd));
    return new _Descriptor(this.#context, fd, this.#type, this.#readOnly, this.#flags, this.#grantRoot, this.#guestPath);
  }
  // ---------------------------------------------------------------------------------------------------------
  // Resolution
  #open() {
    if (this.#fd < 0) fail("bad-descriptor");
    return this.#fd;
  }
  #isReadOnlyRoot(fd) {
    return this.#context.readOnlyRoots.size > 0 && this.#context.readOnlyRoots.has(identity((0, import_node_fs4.fstatSync)(fd, { bigint: true })));
  }
  #refuse(call, detail, code) {
    this.#context.refuse({ capability: "filesystem", call, detail });
    fail(code);
  }
  #where(path) {
    return this.#guestPath === "." ? path : `${this.#guestPath.replace(/\/+$/, "")}/${path}`;
  }
  /** Resolves `path` from this directory without leaving it; see the file comment for the rules. */
  #resolve(call, path, followLast) {
    const start = this.#open();
    if (this.#type !== "directory") fail("not-directory");
    if (path === "") fail("no-entry");
    if (path.includes("\0")) fail("invalid");
    if (path.startsWith("/")) this.#refuse(call, `the absolute path "${path}" (paths are relative to a granted directory)`, "not-permitted");
    const { paths } = this.#context;
    const held = [];
    const stack = [{ fd: start, readOnly: this.#readOnly }];
    const release = () => {
      for (const fd of held.splice(0)) {
        paths.closed(fd);
        (0, import_node_fs4.closeSync)(fd);
      }
    };
    const pending = path.split("/");
    let followed = 0;
    const follow = (dir, name) => {
      if (++followed > maxSymlinks) fail("loop");
      const target = hostCall(() => (0, import_node_fs4.readlinkSync)(paths.entry(dir, name)));
      if (target.startsWith("/")) this.#refuse(call, `the symlink "${this.#where(path)}" points to the absolute path "${target}", outside the granted directories`, "not-permitted");
      pending.unshift(...target.split("/"));
    };
    try {
      for (; ; ) {
        const top = stack[stack.length - 1];
        const part = pending.shift();
        if (part === void 0) return { dir: top.fd, name: ".", mustBeDirectory: true, readOnly: top.readOnly, release };
        if (part === "" || part === ".") continue;
        if (part === "..") {
          if (stack.length === 1) this.#refuse(call, `"${this.#where(path)}" leads outside the granted directory`, "not-permitted");
          stack.pop();
          continue;
        }
        if (pending.every((p) => p === "" || p === ".")) {
          const mustBeDirectory = pending.length > 0;
          if (followLast || mustBeDirectory) {
            const stat = lstatOrUndefined(paths.entry(top.fd, part));
            if (stat?.isSymbolicLink()) {
              follow(top.fd, part);
              continue;
            }
          }
          return { dir: top.fd, name: part, mustBeDirectory, readOnly: top.readOnly, release };
        }
        let fd;
        try {
          fd = (0, import_node_fs4.openSync)(paths.entry(top.fd, part), paths.lookupOnly | import_node_fs4.constants.O_DIRECTORY | import_node_fs4.constants.O_NOFOLLOW);
        } catch (error) {
          const code = error.code;
          if (code === "ENOTDIR" || code === "ELOOP") {
            if (lstatOrUndefined(paths.entry(top.fd, part))?.isSymbolicLink()) {
              follow(top.fd, part);
              continue;
            }
            fail("not-directory");
          }
          throw error;
        }
        held.push(fd);
        paths.opened(fd, top.fd, part);
        stack.push({ fd, readOnly: top.readOnly || this.#isReadOnlyRoot(fd) });
      }
    } catch (error) {
      release();
      if (error instanceof WasiFailure) throw error;
      return fail(errorCodeOf(error));
    }
  }
  /** Resolves, runs `action` on the result, and releases what resolving opened. */
  #at(call, path, followLast, action) {
    const resolved = this.#resolve(call, path, followLast);
    try {
      return hostCall(() => action(resolved));
    } finally {
      resolved.release();
    }
  }
  /** Refuses a change below a read-only grant (or to an entry that is itself a read-only grant). */
  #mustChange(call, what, resolved, name = resolved.name) {
    if (resolved.readOnly || name !== "." && this.#entryIsReadOnlyRoot(resolved.dir, name)) {
      this.#refuse(call, `${what} in a read-only directory`, "read-only");
    }
  }
  #entryIsReadOnlyRoot(dir, name) {
    if (this.#context.readOnlyRoots.size === 0) return false;
    const stat = lstatOrUndefined(this.#context.paths.entry(dir, name), true);
    return stat !== void 0 && stat.isDirectory() && this.#context.readOnlyRoots.has(identity(stat));
  }
  /** Checks that a newly opened descriptor lies in the grant; closes it and refuses otherwise. */
  #verify(fd, guestPath) {
    const root = this.#grantRoot;
    if (this.#context.paths.confinement !== "descriptor" || root === void 0) return;
    const where = this.#context.paths.locate(fd);
    const inside = where !== void 0 && (root === "/" || where === root || where.startsWith(`${root}/`));
    if (!inside) {
      (0, import_node_fs4.closeSync)(fd);
      this.#refuse("open-at", `"${guestPath}" resolved outside the granted directory`, "not-permitted");
    }
  }
  // ---------------------------------------------------------------------------------------------------------
  // wasi:filesystem/types.descriptor
  openAt(pathFlags, path, openFlags, flags) {
    const call = "open-at";
    const resolved = this.#resolve(call, path, Boolean(pathFlags.symlinkFollow));
    const { paths } = this.#context;
    try {
      const wantsChange = openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory;
      if (wantsChange) this.#mustChange(call, `write to "${this.#where(path)}"`, resolved);
      if (openFlags.directory && (flags.write || openFlags.truncate)) fail("is-directory");
      const access = flags.write ? flags.read ? import_node_fs4.constants.O_RDWR : import_node_fs4.constants.O_WRONLY : import_node_fs4.constants.O_RDONLY;
      let fd;
      if (resolved.name === ".") {
        if (openFlags.create && openFlags.exclusive) fail("exist");
        if (flags.write || openFlags.truncate) fail("is-directory");
        fd = hostCall(() => (0, import_node_fs4.openSync)(paths.self(resolved.dir), import_node_fs4.constants.O_RDONLY | import_node_fs4.constants.O_DIRECTORY));
        paths.opened(fd, paths.self(resolved.dir));
      } else {
        const mode = access | import_node_fs4.constants.O_NOFOLLOW | (openFlags.create ? import_node_fs4.constants.O_CREAT : 0) | (openFlags.exclusive ? import_node_fs4.constants.O_EXCL : 0) | (openFlags.truncate ? import_node_fs4.constants.O_TRUNC : 0) | (openFlags.directory || resolved.mustBeDirectory ? import_node_fs4.constants.O_DIRECTORY : 0) | (flags.fileIntegritySync ? import_node_fs4.constants.O_SYNC : 0) | (flags.dataIntegritySync ? import_node_fs4.constants.O_DSYNC : 0);
        fd = hostCall(() => (0, import_node_fs4.openSync)(paths.entry(resolved.dir, resolved.name), mode, 438));
        paths.opened(fd, resolved.dir, resolved.name);
      }
      const stat = (0, import_node_fs4.fstatSync)(fd, { bigint: true });
      this.#verify(fd, this.#where(path));
      const type = typeOf(stat);
      const readOnly = resolved.readOnly || type === "directory" && this.#isReadOnlyRoot(fd);
      const opened = { read: access !== import_node_fs4.constants.O_WRONLY, write: access !== import_node_fs4.constants.O_RDONLY };
      if (type === "directory") opened.mutateDirectory = !readOnly;
      if (flags.fileIntegritySync) opened.fileIntegritySync = true;
      if (flags.dataIntegritySync) opened.dataIntegritySync = true;
      if (flags.requestedWriteSync) opened.requestedWriteSync = true;
      return new _Descriptor(this.#context, fd, type, readOnly, opened, this.#grantRoot, this.#where(path));
    } catch (error) {
      if (error instanceof WasiFailure) throw error;
      return fail(errorCodeOf(error));
    } finally {
      resolved.release();
    }
  }
  statAt(pathFlags, path) {
    return statOf(this.#statAt(pathFlags, path));
  }
  #statAt(pathFlags, path) {
    return this.#at("stat-at", path, Boolean(pathFlags.symlinkFollow), (r) => {
      const stat = r.name === "." ? (0, import_node_fs4.fstatSync)(r.dir, { bigint: true }) : (0, import_node_fs4.lstatSync)(this.#context.paths.entry(r.dir, r.name), { bigint: true });
      if (r.mustBeDirectory && !stat.isDirectory()) fail("not-directory");
      return stat;
    });
  }
  setTimesAt(pathFlags, path, atime, mtime) {
    this.#at("set-times-at", path, Boolean(pathFlags.symlinkFollow), (r) => {
      this.#mustChange("set-times-at", `change the times of "${this.#where(path)}"`, r);
      const target = r.name === "." ? this.#context.paths.self(r.dir) : this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory && !(0, import_node_fs4.lstatSync)(target, { bigint: true }).isDirectory()) fail("not-directory");
      setTimes(target, atime, mtime, r.name === ".");
    });
  }
  linkAt(oldPathFlags, oldPath, newDescriptor, newPath) {
    if (oldPathFlags.symlinkFollow) fail("invalid");
    this.#at("link-at", oldPath, false, (from) => {
      this.#mustChange("link-at", `link "${this.#where(oldPath)}"`, from);
      newDescriptor.#at("link-at", newPath, false, (to) => {
        newDescriptor.#mustChange("link-at", `create "${newDescriptor.#where(newPath)}"`, to);
        if (from.name === "." || to.name === ".") fail(from.name === "." ? "not-permitted" : "exist");
        const source = this.#context.paths.entry(from.dir, from.name);
        const sourceStat = (0, import_node_fs4.lstatSync)(source, { bigint: true });
        if (from.mustBeDirectory && !sourceStat.isDirectory()) fail("not-directory");
        const target = this.#context.paths.entry(to.dir, to.name);
        if (to.mustBeDirectory) fail(lstatOrUndefined(target) ? "exist" : "no-entry");
        (0, import_node_fs4.linkSync)(source, target);
      });
    });
  }
  readlinkAt(path) {
    return this.#at("readlink-at", path, false, (r) => {
      if (r.name === ".") fail("invalid");
      const entry = this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory) {
        const stat = (0, import_node_fs4.lstatSync)(entry);
        fail(stat.isDirectory() ? "invalid" : "not-directory");
      }
      return (0, import_node_fs4.readlinkSync)(entry);
    });
  }
  createDirectoryAt(path) {
    this.#at("create-directory-at", path, false, (r) => {
      this.#mustChange("create-directory-at", `create "${this.#where(path)}"`, r);
      if (r.name === ".") fail("exist");
      (0, import_node_fs4.mkdirSync)(this.#context.paths.entry(r.dir, r.name));
    });
  }
  removeDirectoryAt(path) {
    this.#at("remove-directory-at", path, false, (r) => {
      if (r.name === ".") fail("invalid");
      this.#mustChange("remove-directory-at", `remove "${this.#where(path)}"`, r);
      (0, import_node_fs4.rmdirSync)(this.#context.paths.entry(r.dir, r.name));
    });
  }
  unlinkFileAt(path) {
    this.#at("unlink-file-at", path, false, (r) => {
      if (r.name === ".") fail("is-directory");
      this.#mustChange("unlink-file-at", `remove "${this.#where(path)}"`, r);
      const entry = this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory) {
        const stat = (0, import_node_fs4.lstatSync)(entry);
        fail(stat.isDirectory() ? "is-directory" : "not-directory");
      }
      (0, import_node_fs4.unlinkSync)(entry);
    });
  }
  renameAt(oldPath, newDescriptor, newPath) {
    this.#at("rename-at", oldPath, false, (from) => {
      this.#mustChange("rename-at", `move "${this.#where(oldPath)}"`, from);
      newDescriptor.#at("rename-at", newPath, false, (to) => {
        newDescriptor.#mustChange("rename-at", `replace "${newDescriptor.#where(newPath)}"`, to);
        if (from.name === "." || to.name === ".") fail("busy");
        const source = this.#context.paths.entry(from.dir, from.name);
        const target = this.#context.paths.entry(to.dir, to.name);
        if (from.mustBeDirectory || to.mustBeDirectory) {
          if (!(0, import_node_fs4.lstatSync)(source).isDirectory()) fail("not-directory");
        }
        (0, import_node_fs4.renameSync)(source, target);
      });
    });
  }
  symlinkAt(oldPath, newPath) {
    this.#at("symlink-at", newPath, false, (r) => {
      this.#mustChange("symlink-at", `create "${this.#where(newPath)}"`, r);
      if (oldPath.startsWith("/")) this.#refuse("symlink-at", `a symlink to the absolute path "${oldPath}"`, "not-permitted");
      if (r.name === ".") fail("exist");
      const entry = this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory) {
        const stat = lstatOrUndefined(entry);
        fail(stat ? "exist" : "no-entry");
      }
      (0, import_node_fs4.symlinkSync)(oldPath, entry);
    });
  }
  readDirectory() {
    const fd = this.#open();
    if (this.#type !== "directory") fail("not-directory");
    const entries = hostCall(() => (0, import_node_fs4.readdirSync)(this.#context.paths.self(fd), { withFileTypes: true }));
    const listed = entries.map((entry) => {
      let type = entry.isFile() ? "regular-file" : entry.isDirectory() ? "directory" : entry.isSymbolicLink() ? "symbolic-link" : entry.isCharacterDevice() ? "character-device" : entry.isBlockDevice() ? "block-device" : entry.isFIFO() ? "fifo" : entry.isSocket() ? "socket" : "unknown";
      if (type === "unknown") {
        const stat = lstatOrUndefined(this.#context.paths.entry(fd, entry.name), true);
        if (stat) type = typeOf(stat);
      }
      return { type, name: entry.name };
    });
    return new DirectoryEntryStream(listed);
  }
  stat() {
    return statOf(hostCall(() => (0, import_node_fs4.fstatSync)(this.#open(), { bigint: true })));
  }
  getType() {
    this.#open();
    return this.#type;
  }
  getFlags() {
    this.#open();
    return { ...this.#flags };
  }
  setSize(size) {
    const fd = this.#file("set-size");
    this.#mustWriteFile("set-size", `resize "${this.#guestPath}"`);
    if (!this.#flags.write) fail("bad-descriptor");
    hostCall(() => (0, import_node_fs4.ftruncateSync)(fd, Number(size)));
  }
  setTimes(atime, mtime) {
    const fd = this.#open();
    if (this.#readOnly) this.#refuse("set-times", `change the times of "${this.#guestPath}" in a read-only directory`, "read-only");
    hostCall(() => setTimes(this.#context.paths.self(fd), atime, mtime, true));
  }
  read(length, offset) {
    const fd = this.#file("read");
    if (!this.#flags.read) fail("bad-descriptor");
    const buffer = new Uint8Array(Number(length > 0x7fffffffn ? 0x7fffffffn : length));
    const count = hostCall(() => (0, import_node_fs4.readSync)(fd, buffer, 0, buffer.length, this.#seekable() ? offset : null));
    return [buffer.subarray(0, count), count === 0 && buffer.length > 0];
  }
  write(buffer, offset) {
    const fd = this.#file("write");
    this.#mustWriteFile("write", `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail("bad-descriptor");
    return BigInt(hostCall(() => (0, import_node_fs4.writeSync)(fd, buffer, 0, buffer.length, this.#seekable() ? Number(offset) : null)));
  }
  readViaStream(offset) {
    const fd = this.#file("read-via-stream");
    if (!this.#flags.read) fail("bad-descriptor");
    let position = offset;
    const seekable = this.#seekable();
    const source = {
      read: (max) => {
        const buffer = new Uint8Array(Math.min(max, 1 << 20));
        let count;
        try {
          count = (0, import_node_fs4.readSync)(fd, buffer, 0, buffer.length, seekable ? position : null);
        } catch (error) {
          throw failed(String(error.message), errorCodeOf(error));
        }
        if (count === 0 && buffer.length > 0) return void 0;
        position += BigInt(count);
        return buffer.subarray(0, count);
      },
      pollable: () => new Pollable()
    };
    return new InputStream(source);
  }
  writeViaStream(offset) {
    const fd = this.#file("write-via-stream");
    this.#mustWriteFile("write-via-stream", `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail("bad-descriptor");
    let position = offset;
    const seekable = this.#seekable();
    return new OutputStream(this.#sink(fd, (bytes) => {
      const written = writeAllAt(fd, bytes, seekable ? Number(position) : null);
      position += BigInt(written);
    }));
  }
  appendViaStream() {
    const fd = this.#file("append-via-stream");
    this.#mustWriteFile("append-via-stream", `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail("bad-descriptor");
    const seekable = this.#seekable();
    return new OutputStream(this.#sink(fd, (bytes) => void writeAllAt(fd, bytes, seekable ? Number((0, import_node_fs4.fstatSync)(fd, { bigint: true }).size) : null)));
  }
  /** Appends at the end (preview1's O_APPEND files). */
  append(bytes) {
    const fd = this.#file("write");
    this.#mustWriteFile("write", `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail("bad-descriptor");
    return hostCall(() => writeAllAt(fd, bytes, this.#seekable() ? Number((0, import_node_fs4.fstatSync)(fd, { bigint: true }).size) : null));
  }
  #sink(fd, write) {
    return {
      write: (bytes) => {
        if (this.#fd !== fd) throw failed("the descriptor was closed", "bad-descriptor");
        try {
          write(bytes);
        } catch (error) {
          throw failed(String(error.message), errorCodeOf(error));
        }
      }
    };
  }
  advise(_offset, _length, _advice) {
    this.#file("advise");
  }
  syncData() {
    const fd = this.#open();
    hostCall(() => (0, import_node_fs4.fdatasyncSync)(fd));
  }
  sync() {
    const fd = this.#open();
    hostCall(() => (0, import_node_fs4.fsyncSync)(fd));
  }
  isSameObject(other) {
    return identity((0, import_node_fs4.fstatSync)(this.#open(), { bigint: true })) === identity((0, import_node_fs4.fstatSync)(other.#open(), { bigint: true }));
  }
  metadataHash() {
    const stat = hostCall(() => (0, import_node_fs4.fstatSync)(this.#open(), { bigint: true }));
    return { lower: stat.ino, upper: stat.dev };
  }
  metadataHashAt(pathFlags, path) {
    const stat = this.#statAt(pathFlags, path);
    return { lower: stat.ino, upper: stat.dev };
  }
  /** Closes the host descriptor (jco calls this when the guest drops its handle). */
  [symbolDispose]() {
    this.close();
  }
  close() {
    if (this.#fd < 0) return;
    this.#context.paths.closed(this.#fd);
    (0, import_node_fs4.closeSync)(this.#fd);
    this.#fd = -1;
  }
  get isReadOnly() {
    return this.#readOnly;
  }
  #file(_call) {
    const fd = this.#open();
    if (this.#type === "directory") fail("bad-descriptor");
    return fd;
  }
  #mustWriteFile(call, what) {
    if (this.#readOnly) this.#refuse(call, `${what} in a read-only directory`, "read-only");
  }
  #seekable() {
    return this.#type === "regular-file" || this.#type === "block-device";
  }
};
var DirectoryEntryStream = class {
  constructor(entries) {
    this.entries = entries;
  }
  #next = 0;
  readDirectoryEntry() {
    return this.entries[this.#next++];
  }
  /** All entries, for preview1's fd_readdir. */
  all() {
    return this.entries;
  }
};
function lstatOrUndefined(path, bigint = false) {
  try {
    return bigint ? (0, import_node_fs4.lstatSync)(path, { bigint: true }) : (0, import_node_fs4.lstatSync)(path);
  } catch {
    return void 0;
  }
}
function writeAllAt(fd, bytes, position) {
  let done = 0;
  while (done < bytes.length) {
    done += (0, import_node_fs4.writeSync)(fd, bytes, done, bytes.length - done, position === null ? null : position + done);
  }
  return done;
}

// src/core/run/wasi/preview2.ts
var TerminalInput = class {
};
var TerminalOutput = class {
};
var Network = class {
};
var TcpSocket = class {
};
var UdpSocket = class {
};
var IncomingDatagramStream = class {
};
var OutgoingDatagramStream = class {
};
var ResolveAddressStream = class {
};
var Fields = class _Fields {
  #entries = [];
  static fromList(entries) {
    const fields = new _Fields();
    fields.#entries = entries.map(([k, v]) => [k.toLowerCase(), v]);
    return fields;
  }
  get(name) {
    return this.#entries.filter(([k]) => k === name.toLowerCase()).map(([, v]) => v);
  }
  has(name) {
    return this.get(name).length > 0;
  }
  set(name, values) {
    this.delete(name);
    for (const value of values) this.append(name, value);
  }
  delete(name) {
    this.#entries = this.#entries.filter(([k]) => k !== name.toLowerCase());
  }
  append(name, value) {
    this.#entries.push([name.toLowerCase(), value]);
  }
  entries() {
    return this.#entries.map(([k, v]) => [k, v]);
  }
  clone() {
    return _Fields.fromList(this.entries());
  }
};
var OutgoingBody = class {
  #stream = new OutputStream({ write: () => void 0 });
  write() {
    return this.#stream;
  }
  static finish() {
  }
};
var OutgoingRequest = class {
  constructor(fields) {
    this.fields = fields;
  }
  #method = { tag: "get" };
  #path;
  #scheme;
  #authority;
  #body = new OutgoingBody();
  body() {
    return this.#body;
  }
  method() {
    return this.#method;
  }
  setMethod(method) {
    this.#method = method;
  }
  pathWithQuery() {
    return this.#path;
  }
  setPathWithQuery(path) {
    this.#path = path;
  }
  scheme() {
    return this.#scheme;
  }
  setScheme(scheme) {
    this.#scheme = scheme;
  }
  authority() {
    return this.#authority;
  }
  setAuthority(authority) {
    this.#authority = authority;
  }
  headers() {
    return this.fields;
  }
};
var RequestOptions = class {
  #timeouts = {};
  connectTimeout() {
    return this.#timeouts.connect;
  }
  setConnectTimeout(value) {
    this.#timeouts.connect = value;
  }
  firstByteTimeout() {
    return this.#timeouts.firstByte;
  }
  setFirstByteTimeout(value) {
    this.#timeouts.firstByte = value;
  }
  betweenBytesTimeout() {
    return this.#timeouts.betweenBytes;
  }
  setBetweenBytesTimeout(value) {
    this.#timeouts.betweenBytes = value;
  }
};
var IncomingRequest = class {
};
var IncomingResponse = class {
};
var IncomingBody = class {
};
var FutureTrailers = class {
};
var OutgoingResponse = class {
};
var ResponseOutparam = class {
};
var FutureIncomingResponse = class {
};
var preview2Interfaces = [
  "wasi:cli/environment",
  "wasi:cli/exit",
  "wasi:cli/stdin",
  "wasi:cli/stdout",
  "wasi:cli/stderr",
  "wasi:cli/terminal-input",
  "wasi:cli/terminal-output",
  "wasi:cli/terminal-stdin",
  "wasi:cli/terminal-stdout",
  "wasi:cli/terminal-stderr",
  "wasi:clocks/monotonic-clock",
  "wasi:clocks/wall-clock",
  "wasi:filesystem/types",
  "wasi:filesystem/preopens",
  "wasi:io/error",
  "wasi:io/poll",
  "wasi:io/streams",
  "wasi:random/random",
  "wasi:random/insecure",
  "wasi:random/insecure-seed",
  "wasi:sockets/network",
  "wasi:sockets/instance-network",
  "wasi:sockets/ip-name-lookup",
  "wasi:sockets/tcp",
  "wasi:sockets/tcp-create-socket",
  "wasi:sockets/udp",
  "wasi:sockets/udp-create-socket",
  "wasi:http/types",
  "wasi:http/outgoing-handler"
];
function createPreview2Host(options) {
  const hints = [];
  const preopens = Descriptor.preopen(options.grants, (refusal) => options.refuse(refusal));
  const directories = preopens.map((descriptor, i) => [descriptor, options.grants[i].guest]);
  const refuse = (capability, call, detail, error) => () => {
    options.refuse({ capability, call, detail });
    throw { payload: error };
  };
  const stdoutStream = new OutputStream({ write: (bytes) => writeAll(1, bytes) });
  const stderrStream = new OutputStream({ write: (bytes) => writeAll(2, bytes) });
  const stdinStream = new InputStream({ read: (max, blocking) => stdin().read(max, blocking), pollable: () => new StdinPollable() });
  const imports = {
    "wasi:cli/environment": {
      getEnvironment: () => Object.entries(options.env),
      getArguments: () => [...options.args],
      // The host's working directory is not the guest's business (and says where the user is).
      initialCwd: () => void 0
    },
    "wasi:cli/exit": {
      exit: (status) => options.exit(status.tag === "ok" ? 0 : 1),
      // wasi:cli 0.2.x @unstable(feature = cli-exit-with-code): the preview1 adapter passes proc_exit's code here.
      exitWithCode: (code) => options.exit(code)
    },
    "wasi:cli/stdin": { getStdin: () => stdinStream },
    "wasi:cli/stdout": { getStdout: () => stdoutStream },
    "wasi:cli/stderr": { getStderr: () => stderrStream },
    "wasi:cli/terminal-input": { TerminalInput },
    "wasi:cli/terminal-output": { TerminalOutput },
    // Told the truth: a guest deciding on colours or prompts needs to know whether a stream is a terminal.
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => isTerminal(0) ? new TerminalInput() : void 0 },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => isTerminal(1) ? new TerminalOutput() : void 0 },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => isTerminal(2) ? new TerminalOutput() : void 0 },
    "wasi:clocks/monotonic-clock": {
      now: () => monotonicNow(),
      resolution: () => clockResolution,
      subscribeInstant: (when) => new TimerPollable(when),
      subscribeDuration: (duration) => new TimerPollable(monotonicNow() + duration)
    },
    "wasi:clocks/wall-clock": {
      now: () => {
        const ns = wallNow();
        return { seconds: ns / 1000000000n, nanoseconds: Number(ns % 1000000000n) };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: Number(clockResolution) })
    },
    "wasi:filesystem/types": {
      Descriptor,
      DirectoryEntryStream,
      filesystemErrorCode: (error) => error.code
    },
    "wasi:filesystem/preopens": {
      getDirectories: () => {
        if (directories.length === 0 && hints.length === 0) hints.push({ capability: "filesystem", call: "wasi:filesystem/preopens#get-directories", detail: "it looked for granted directories and found none" });
        return directories.map(([descriptor, guest]) => [descriptor.duplicate(), guest]);
      }
    },
    "wasi:io/error": { Error: IoError },
    "wasi:io/poll": { Pollable, poll: (list) => poll(list) },
    "wasi:io/streams": { InputStream, OutputStream },
    "wasi:random/random": {
      getRandomBytes: (len) => (0, import_node_crypto.randomBytes)(Number(len)),
      getRandomU64: () => (0, import_node_crypto.randomFillSync)(new BigUint64Array(1))[0]
    },
    "wasi:random/insecure": {
      getInsecureRandomBytes: (len) => (0, import_node_crypto.randomBytes)(Number(len)),
      getInsecureRandomU64: () => (0, import_node_crypto.randomFillSync)(new BigUint64Array(1))[0]
    },
    "wasi:random/insecure-seed": { insecureSeed: () => [...(0, import_node_crypto.randomFillSync)(new BigUint64Array(2))] },
    // The network is off. A network handle may exist (it grants nothing by itself), but no socket is created,
    // no name is looked up and no request is sent.
    "wasi:sockets/network": { Network },
    "wasi:sockets/instance-network": { instanceNetwork: () => new Network() },
    "wasi:sockets/tcp": { TcpSocket },
    "wasi:sockets/udp": { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    "wasi:sockets/tcp-create-socket": { createTcpSocket: refuse("sockets", "wasi:sockets/tcp-create-socket#create-tcp-socket", "a TCP socket (the network is off)", "access-denied") },
    "wasi:sockets/udp-create-socket": { createUdpSocket: refuse("sockets", "wasi:sockets/udp-create-socket#create-udp-socket", "a UDP socket (the network is off)", "access-denied") },
    "wasi:sockets/ip-name-lookup": {
      ResolveAddressStream,
      resolveAddresses: refuse("sockets", "wasi:sockets/ip-name-lookup#resolve-addresses", "a DNS lookup (the network is off)", "access-denied")
    },
    "wasi:http/types": {
      Fields,
      OutgoingRequest,
      OutgoingBody,
      RequestOptions,
      IncomingRequest,
      IncomingResponse,
      IncomingBody,
      FutureTrailers,
      OutgoingResponse,
      ResponseOutparam,
      FutureIncomingResponse,
      httpErrorCode: () => void 0
    },
    "wasi:http/outgoing-handler": {
      handle: refuse("http-outgoing", "wasi:http/outgoing-handler#handle", "an outgoing HTTP request (the network is off)", { tag: "HTTP-request-denied" })
    }
  };
  return { imports, hints };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  createPreview2Host,
  preview2Interfaces
});
