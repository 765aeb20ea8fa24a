/* Reading delimited tables (CSV with ',' or ';') into memory.
 * Quoted fields may hold delimiters, doubled quotes and newlines; unquoted
 * fields are trimmed of surrounding blanks. Every row keeps the line number
 * it started on, so later checks can name file:line. */
#ifndef L4P_UTIL_CSV_H
#define L4P_UTIL_CSV_H

#include <stddef.h>

#include "llm4perf/status.h"

struct l4px_csv {
  char *path;
  char delim;
  size_t n_cols, n_rows;
  char **header; /* n_cols names */
  char **cells;  /* n_rows * n_cols, row-major */
  int *line;     /* line number where each row starts */
};

/* Read path; delim 0 picks ',' or ';' from the header line. On failure the
 * message names path:line. The caller releases t with l4px_csv_release. */
l4p_status l4px_csv_read(struct l4px_csv *t, const char *path, char delim);
void l4px_csv_release(struct l4px_csv *t);
const char *l4px_csv_cell(const struct l4px_csv *t, size_t row, size_t col);
/* Column index of name, or -1. */
int l4px_csv_column(const struct l4px_csv *t, const char *name);

#endif
