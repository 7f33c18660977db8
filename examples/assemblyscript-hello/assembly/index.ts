// A WASI preview1 command in AssemblyScript, with no JavaScript glue: it calls WASI's fd_write itself.
// asconfig.json exports the top-level code as `_start` and routes `abort` here instead of importing env.abort.

@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovsLength: u32, written: usize): u16;

@external("wasi_snapshot_preview1", "proc_exit")
declare function proc_exit(code: u32): void;

function print(text: string): void {
  const bytes = String.UTF8.encode(text);
  // One iovec: pointer and length of the UTF-8 bytes.
  const iov = new ArrayBuffer(8);
  store<u32>(changetype<usize>(iov), <u32>changetype<usize>(bytes));
  store<u32>(changetype<usize>(iov), <u32>bytes.byteLength, 4);
  const written = new ArrayBuffer(4);
  fd_write(1, changetype<usize>(iov), 1, changetype<usize>(written));
}

function abort(message: string | null, file: string | null, line: u32, column: u32): void {
  print("abort: " + (message ? message : "") + " at " + (file ? file : "?") + ":" + line.toString() + ":" + column.toString() + "\n");
  proc_exit(134);
}

print("Hello from AssemblyScript on WASI!\n");
