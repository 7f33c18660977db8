/**
 * One error vocabulary for both WASI versions: the filesystem layer fails with WASI 0.2 `error-code` names, the
 * 0.2 host hands them to the guest as they are, and the preview1 host maps them to errno numbers the way wasmtime
 * does, so both paths answer a guest alike.
 */

/** `wasi:filesystem/types.error-code`, spelled as jco passes enums. */
export type ErrorCode =
  | 'access'
  | 'would-block'
  | 'already'
  | 'bad-descriptor'
  | 'busy'
  | 'deadlock'
  | 'quota'
  | 'exist'
  | 'file-too-large'
  | 'illegal-byte-sequence'
  | 'in-progress'
  | 'interrupted'
  | 'invalid'
  | 'io'
  | 'is-directory'
  | 'loop'
  | 'too-many-links'
  | 'message-size'
  | 'name-too-long'
  | 'no-device'
  | 'no-entry'
  | 'no-lock'
  | 'insufficient-memory'
  | 'insufficient-space'
  | 'not-directory'
  | 'not-empty'
  | 'not-recoverable'
  | 'unsupported'
  | 'no-tty'
  | 'no-such-device'
  | 'overflow'
  | 'not-permitted'
  | 'pipe'
  | 'read-only'
  | 'invalid-seek'
  | 'text-file-busy'
  | 'cross-device';

/**
 * A failed WASI call. Not an Error on purpose: failures are frequent and expected (a guest probing for files), so
 * no stack is captured, and jco's generated code takes an object with an own `payload` as the call's `err` value.
 */
export class WasiFailure {
  constructor(readonly payload: ErrorCode) {}
}

export function fail(code: ErrorCode): never {
  throw new WasiFailure(code);
}

const fromHostErrno: Record<string, ErrorCode> = {
  EACCES: 'access',
  EAGAIN: 'would-block',
  EWOULDBLOCK: 'would-block',
  EALREADY: 'already',
  EBADF: 'bad-descriptor',
  EBUSY: 'busy',
  EDEADLK: 'deadlock',
  EDQUOT: 'quota',
  EEXIST: 'exist',
  EFBIG: 'file-too-large',
  EILSEQ: 'illegal-byte-sequence',
  EINPROGRESS: 'in-progress',
  EINTR: 'interrupted',
  EINVAL: 'invalid',
  EIO: 'io',
  EISDIR: 'is-directory',
  ELOOP: 'loop',
  EMLINK: 'too-many-links',
  EMSGSIZE: 'message-size',
  ENAMETOOLONG: 'name-too-long',
  ENODEV: 'no-device',
  ENOENT: 'no-entry',
  ENOLCK: 'no-lock',
  ENOMEM: 'insufficient-memory',
  ENOSPC: 'insufficient-space',
  ENOTDIR: 'not-directory',
  ENOTEMPTY: 'not-empty',
  ENOTRECOVERABLE: 'not-recoverable',
  ENOTSUP: 'unsupported',
  EOPNOTSUPP: 'unsupported',
  ENOSYS: 'unsupported',
  ENOTTY: 'no-tty',
  ENXIO: 'no-such-device',
  EOVERFLOW: 'overflow',
  EPERM: 'not-permitted',
  EPIPE: 'pipe',
  EROFS: 'read-only',
  ESPIPE: 'invalid-seek',
  ETXTBSY: 'text-file-busy',
  EXDEV: 'cross-device',
};

/** The WASI code of a host failure (a Node `fs` error); anything unknown is `io`. */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof WasiFailure) return error.payload;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && fromHostErrno[code]) || 'io';
}

/** Runs a host call and turns its failure into a WasiFailure. */
export function hostCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof WasiFailure) throw error;
    throw new WasiFailure(errorCodeOf(error));
  }
}

/** preview1 errno numbers (witx `errno`), by name. */
export const errno = {
  success: 0,
  '2big': 1,
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
  notcapable: 76,
} as const;

/** error-code → errno, as wasmtime's preview1 layer maps them. */
const errnoOfCode: Record<ErrorCode, number> = {
  access: errno.acces,
  'would-block': errno.again,
  already: errno.already,
  'bad-descriptor': errno.badf,
  busy: errno.busy,
  deadlock: errno.deadlk,
  quota: errno.dquot,
  exist: errno.exist,
  'file-too-large': errno.fbig,
  'illegal-byte-sequence': errno.ilseq,
  'in-progress': errno.inprogress,
  interrupted: errno.intr,
  invalid: errno.inval,
  io: errno.io,
  'is-directory': errno.isdir,
  loop: errno.loop,
  'too-many-links': errno.mlink,
  'message-size': errno.msgsize,
  'name-too-long': errno.nametoolong,
  'no-device': errno.nodev,
  'no-entry': errno.noent,
  'no-lock': errno.nolck,
  'insufficient-memory': errno.nomem,
  'insufficient-space': errno.nospc,
  'not-directory': errno.notdir,
  'not-empty': errno.notempty,
  'not-recoverable': errno.notrecoverable,
  unsupported: errno.notsup,
  'no-tty': errno.notty,
  'no-such-device': errno.nxio,
  overflow: errno.overflow,
  'not-permitted': errno.perm,
  pipe: errno.pipe,
  'read-only': errno.rofs,
  'invalid-seek': errno.spipe,
  'text-file-busy': errno.txtbsy,
  'cross-device': errno.xdev,
};

export function errnoOf(code: ErrorCode): number {
  return errnoOfCode[code];
}
