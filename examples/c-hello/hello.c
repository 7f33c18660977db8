// A WASI preview1 command in C: prints a greeting and the arguments it was given.
#include <stdio.h>

int main(int argc, char **argv) {
  puts("Hello from C on WASI!");
  for (int i = 1; i < argc; i++) {
    fputs("argument: ", stdout);
    puts(argv[i]);
  }
  return 0;
}
