// A WASI preview1 program for the runner tests: each first argument exercises one capability or one way to
// misbehave, so one binary covers the hostile suite.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "args") == 0) {
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    return 0;
  }
  if (strcmp(mode, "env") == 0) {
    extern char **environ;
    int n = 0;
    for (char **e = environ; *e; e++, n++) printf("%s\n", *e);
    printf("%d variables\n", n);
    return 0;
  }
  if (strcmp(mode, "cat") == 0 && argc > 2) {
    FILE *f = fopen(argv[2], "r");
    if (!f) { perror(argv[2]); return 4; }
    int c;
    while ((c = fgetc(f)) != EOF) putchar(c);
    fclose(f);
    return 0;
  }
  if (strcmp(mode, "write") == 0 && argc > 2) {
    FILE *f = fopen(argv[2], "w");
    if (!f) { perror(argv[2]); return 5; }
    fputs("written by the guest\n", f);
    fclose(f);
    return 0;
  }
  if (strcmp(mode, "loop") == 0) {
    volatile unsigned x = 0;
    for (;;) x++;
  }
  if (strcmp(mode, "bomb") == 0) {
    // Keep every block reachable so the compiler cannot drop the allocations.
    void **head = 0;
    size_t mib = 0;
    for (;;) {
      void **block = malloc(16 << 20);
      if (!block) { printf("malloc failed after %zu MiB\n", mib); return 7; }
      *block = head;
      head = block;
      mib += 16;
    }
  }
  if (strcmp(mode, "trap") == 0) __builtin_trap();
  if (strcmp(mode, "exit") == 0 && argc > 2) exit(atoi(argv[2]));
  char line[256];
  if (fgets(line, sizeof line, stdin)) printf("read: %s", line);
  return 3;
}
