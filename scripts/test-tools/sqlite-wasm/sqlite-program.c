/* A real SQLite program: runs SQL given as arguments (or a demo), and with --source prints the amalgamation it was built from. */
#include <stdio.h>
#include <string.h>
#include "sqlite3.h"
extern const unsigned char sqlite_amalgamation[];
extern const unsigned long sqlite_amalgamation_size;
static int row(void *unused, int n, char **values, char **names) {
  (void)unused;
  for (int i = 0; i < n; i++) printf("%s=%s%s", names[i], values[i] ? values[i] : "NULL", i + 1 < n ? " " : "\n");
  return 0;
}
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--source") == 0) {
    fwrite(sqlite_amalgamation, 1, sqlite_amalgamation_size, stdout);
    return 0;
  }
  sqlite3 *db;
  char *error = 0;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  const char *sql = argc > 1 ? argv[1]
                             : "create table t(id integer primary key, name text);"
                               "insert into t(name) values ('wasm'), ('wasi');"
                               "select id, name, length(name) as n from t order by id;";
  if (sqlite3_exec(db, sql, row, 0, &error) != SQLITE_OK) {
    fprintf(stderr, "%s\n", error);
    return 2;
  }
  sqlite3_close(db);
  return 0;
}
