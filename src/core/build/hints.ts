/**
 * Install hints per platform. Each names the package manager people on that platform already have:
 * apt on Debian/Ubuntu, Homebrew on macOS, winget or rustup on Windows; npm for JavaScript-based tools.
 */
export interface PlatformHints {
  debian: string;
  macos: string;
  windows: string;
  /** Other Unix systems; default: the Debian hint's idea in general words. */
  other?: string;
}

export function platformHint(hints: PlatformHints, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return hints.macos;
  if (platform === 'win32') return hints.windows;
  if (platform === 'linux') return hints.debian;
  return hints.other ?? hints.debian;
}

export const clangHints: PlatformHints = {
  debian:
    'On Debian/Ubuntu: `sudo apt install clang lld wasi-libc libclang-rt-dev-wasm32` (for C++ also `libc++-dev-wasm32 libc++abi-dev-wasm32`). Or install wasi-sdk and set its bin/clang as the clang path and its share/wasi-sysroot as the WASI sysroot.',
  macos:
    "On macOS: `brew install llvm lld wasi-libc wasi-runtimes` and set the clang path to `$(brew --prefix llvm)/bin/clang` (Apple's clang has no WASI libc). Or install wasi-sdk and set its bin/clang and share/wasi-sysroot.",
  windows:
    'On Windows: install wasi-sdk, then set the clang path to `<wasi-sdk>\\bin\\clang.exe` and the WASI sysroot to `<wasi-sdk>\\share\\wasi-sysroot`.',
};

export function rustHints(target: string): PlatformHints {
  return {
    debian: `On Debian/Ubuntu: \`sudo apt install rustc cargo libstd-rust-dev-wasm32\` (Debian's rustc, target wasm32-wasi), or install rustup and run \`rustup target add ${target}\`.`,
    macos: `On macOS: \`brew install rustup\`, \`rustup-init\`, then \`rustup target add ${target}\`.`,
    windows: `On Windows: \`winget install Rustlang.Rustup\`, then \`rustup target add ${target}\`.`,
  };
}

export const goHints: PlatformHints = {
  debian:
    "WASI needs Go 1.21 or newer (`GOOS=wasip1`) or TinyGo. Debian 12's golang-go is 1.19: install `golang-1.22-go` (or newer) from bookworm-backports, the official Go distribution, or TinyGo, and set the Go path if it is not on PATH.",
  macos: 'WASI needs Go 1.21 or newer or TinyGo: `brew install go` (or `brew install tinygo-org/tools/tinygo`).',
  windows: 'WASI needs Go 1.21 or newer or TinyGo: `winget install GoLang.Go` (or install TinyGo).',
};

export function npmHint(pkg: string): string {
  return `Install it in the project: \`npm install --save-dev ${pkg}\` (or set its path).`;
}
