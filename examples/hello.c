// A WASI preview1 command: clang --target=wasm32-wasi -O2 -o hello.wasm hello.c
#include <stdio.h>

int main(void) {
  puts("Hello from C on WASI!");
  return 0;
}
