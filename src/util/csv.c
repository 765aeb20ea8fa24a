/* A small CSV reader: whole file in memory, RFC 4180 quoting, ',' or ';'.
 * Tables here are at most a few hundred thousand cells, so simplicity wins
 * over streaming.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "failf.h"
#include "fileio.h"
#include "strbuf.h"
#include "banned.h"

struct cursor {
  const char *p, *end;
  int line;
};

static char *trimmed_copy(const char *s, size_t n)
{
  while (n && isspace((unsigned char)*s))
    s++, n--;
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  char *out = malloc(n + 1);
  if (out) {
    memcpy(out, s, n);
    out[n] = '\0';
  }
  return out;
}

/* Parse one field at c; *eol is set when it ended the record. */
static l4p_status read_field(struct cursor *c, char delim, const char *path,
                             char **out, bool *eol)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  const char *p = c->p;
  while (p < c->end && (*p == ' ' || *p == '\t'))
    p++;
  if (p < c->end && *p == '"') {
    int start_line = c->line;
    for (p++;; p++) {
      if (p >= c->end) {
        l4px_sb_release(&sb);
        return l4p_failf(L4P_EPARSE, "%s:%d: unterminated quoted field", path,
                         start_line);
      }
      if (*p == '"') {
        if (p + 1 < c->end && p[1] == '"') {
          l4px_sb_putc(&sb, '"');
          p++;
          continue;
        }
        p++;
        break;
      }
      if (*p == '\n')
        c->line++;
      l4px_sb_putc(&sb, *p);
    }
    while (p < c->end && (*p == ' ' || *p == '\t' || *p == '\r'))
      p++;
    if (p < c->end && *p != delim && *p != '\n') {
      l4px_sb_release(&sb);
      return l4p_failf(L4P_EPARSE, "%s:%d: text after closing quote", path,
                       c->line);
    }
    *out = l4px_sb_detach(&sb);
  } else {
    const char *start = p;
    while (p < c->end && *p != delim && *p != '\n')
      p++;
    *out = trimmed_copy(start, (size_t)(p - start));
  }
  if (!*out)
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  *eol = p >= c->end || *p == '\n';
  if (p < c->end) {
    if (*p == '\n')
      c->line++;
    p++;
  }
  c->p = p;
  return L4P_OK;
}

/* Read one record into a growing cell array; *n gets its field count. */
static l4p_status read_record(struct cursor *c, char delim, const char *path,
                              char ***cells, size_t *n_cells, size_t *cap,
                              size_t *n)
{
  bool eol = false;
  *n = 0;
  while (!eol) {
    if (*n_cells == *cap) {
      size_t ncap = *cap ? *cap * 2 : 256;
      char **grown = realloc(*cells, ncap * sizeof **cells);
      if (!grown)
        return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
      *cells = grown;
      *cap = ncap;
    }
    l4p_status st = read_field(c, delim, path, &(*cells)[*n_cells], &eol);
    if (st)
      return st;
    (*n_cells)++;
    (*n)++;
  }
  return L4P_OK;
}

static bool blank_line(const char *p, const char *end)
{
  for (; p < end && *p != '\n'; p++)
    if (!isspace((unsigned char)*p))
      return false;
  return true;
}

static char guess_delimiter(const char *text, size_t len)
{
  size_t commas = 0, semis = 0;
  for (size_t i = 0; i < len && text[i] != '\n'; i++) {
    commas += text[i] == ',';
    semis += text[i] == ';';
  }
  return semis > commas ? ';' : ',';
}

l4p_status l4px_csv_read(struct l4px_csv *t, const char *path, char delim)
{
  memset(t, 0, sizeof *t);
  char *text;
  size_t len;
  l4p_status st = l4px_read_file(path, &text, &len);
  if (st)
    return st;
  t->path = strdup(path);
  t->delim = delim ? delim : guess_delimiter(text, len);
  struct cursor c = {text, text + len, 1};
  /* skip a UTF-8 byte order mark */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    c.p += 3;
  size_t n_cells = 0, cap = 0, n;
  char **cells = NULL;
  size_t rows_cap = 0;
  if (c.p >= c.end || blank_line(c.p, c.end)) {
    st = l4p_failf(L4P_EPARSE, "%s:1: missing header line", path);
    goto out;
  }
  st = read_record(&c, t->delim, path, &cells, &n_cells, &cap, &n);
  if (st)
    goto out;
  t->n_cols = n;
  while (c.p < c.end) {
    if (blank_line(c.p, c.end)) {
      while (c.p < c.end && *c.p != '\n')
        c.p++;
      if (c.p < c.end)
        c.p++, c.line++;
      continue;
    }
    int line = c.line;
    st = read_record(&c, t->delim, path, &cells, &n_cells, &cap, &n);
    if (st)
      goto out;
    if (n != t->n_cols) {
      st = l4p_failf(L4P_EPARSE, "%s:%d: expected %zu fields, found %zu", path,
                     line, t->n_cols, n);
      goto out;
    }
    if (t->n_rows == rows_cap) {
      rows_cap = rows_cap ? rows_cap * 2 : 256;
      int *grown = realloc(t->line, rows_cap * sizeof *grown);
      if (!grown) {
        st = l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
        goto out;
      }
      t->line = grown;
    }
    t->line[t->n_rows++] = line;
  }
  t->header = cells;
  t->cells = cells + t->n_cols;
  cells = NULL;
out:
  if (cells) {
    for (size_t i = 0; i < n_cells; i++)
      free(cells[i]);
    free(cells);
    t->n_rows = t->n_cols = 0;
  }
  free(text);
  if (st)
    l4px_csv_release(t);
  return st;
}

void l4px_csv_release(struct l4px_csv *t)
{
  if (t->header) {
    size_t n = t->n_cols * (t->n_rows + 1);
    for (size_t i = 0; i < n; i++)
      free(t->header[i]);
    free(t->header);
  }
  free(t->line);
  free(t->path);
  memset(t, 0, sizeof *t);
}

const char *l4px_csv_cell(const struct l4px_csv *t, size_t row, size_t col)
{
  return t->cells[row * t->n_cols + col];
}

int l4px_csv_column(const struct l4px_csv *t, const char *name)
{
  for (size_t i = 0; i < t->n_cols; i++)
    if (strcmp(t->header[i], name) == 0)
      return (int)i;
  return -1;
}
