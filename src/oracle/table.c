/* Measured tables: the ground truth behind table-backed systems. Importers
 * build them, the CLI saves them as CSV beside the spec, and the table
 * oracle loads them back to answer measurements by exact lookup (the hash
 * index in table_index.c) or by the nearest unmeasured row.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "llm4perf/table.h"
#include "util/csv.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "table-int.h"
#include "util/numfmt.h"
#include "util/banned.h"

/* Rows are stored in arrays whose capacity is a function of n_rows alone
 * (16, then the next power of two), so the public struct needs no
 * capacity field. */
static size_t row_capacity(size_t n_rows)
{
  size_t cap = 16;
  while (cap < n_rows)
    cap *= 2;
  return cap;
}

/* An empty table with room for 16 rows; NULL when out of memory. */
struct l4p_table *l4p_table_new(const struct l4p_spec *spec)
{
  struct l4p_table *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->n_options = l4p_space_n_options(spec->space);
  t->n_objectives = spec->n_objectives;
  size_t cap = row_capacity(0);
  t->configs =
      malloc(cap * (t->n_options ? t->n_options : 1) * sizeof *t->configs);
  t->values =
      malloc(cap * (t->n_objectives ? t->n_objectives : 1) * sizeof *t->values);
  t->count = malloc(cap * sizeof *t->count);
  t->index = l4p__table_index_new(t->n_options);
  if (!t->configs || !t->values || !t->count || !t->index) {
    l4p_table_free(t);
    return NULL;
  }
  return t;
}

/* Free the table and its index; NULL is a no-op. */
void l4p_table_free(struct l4p_table *table)
{
  if (!table)
    return;
  free(table->configs);
  free(table->values);
  free(table->count);
  l4p__table_index_free(table->index);
  free(table);
}

/* Make room for one more row; false when out of memory. */
static bool grow_rows(struct l4p_table *t)
{
  size_t cap = row_capacity(t->n_rows);
  if (t->n_rows < cap)
    return true;
  cap *= 2;
  size_t no = t->n_options ? t->n_options : 1;
  size_t nv = t->n_objectives ? t->n_objectives : 1;
  double *configs = realloc(t->configs, cap * no * sizeof *configs);
  if (!configs)
    return false;
  t->configs = configs;
  double *values = realloc(t->values, cap * nv * sizeof *values);
  if (!values)
    return false;
  t->values = values;
  unsigned *count = realloc(t->count, cap * sizeof *count);
  if (!count)
    return false;
  t->count = count;
  return true;
}

/* Adding a configuration already present averages each objective with the
 * earlier rows (a running mean weighted by count). A NAN on either side
 * keeps the other value: a failed repetition must not erase a measured
 * one. Returns ENOMEM when the table cannot grow. */
l4p_status l4p_table_add(struct l4p_table *table, const struct l4p_spec *spec,
                         const double *cfg, const double *values)
{
  (void)spec;
  size_t no = table->n_options, nv = table->n_objectives;
  long row = l4p_table_find(table, cfg);
  if (row >= 0) {
    double *old = table->values + (size_t)row * nv;
    double n = table->count[row];
    for (size_t j = 0; j < nv; j++) {
      if (isnan(old[j]))
        old[j] = values[j];
      else if (!isnan(values[j]))
        old[j] += (values[j] - old[j]) / (n + 1);
    }
    table->count[row]++;
    table->n_merged++;
    return L4P_OK;
  }
  if (!grow_rows(table))
    return l4p_failf(L4P_ENOMEM, "out of memory growing a table");
  size_t r = table->n_rows;
  memcpy(table->configs + r * no, cfg, no * sizeof *cfg);
  memcpy(table->values + r * nv, values, nv * sizeof *values);
  table->count[r] = 1;
  l4p_status st =
      l4p__table_index_insert(table->index, table->configs, (long)r);
  if (st)
    return st;
  table->n_rows++;
  return L4P_OK;
}

/* Exact lookup through the hash index: O(1) on average. */
long l4p_table_find(const struct l4p_table *table, const double *cfg)
{
  return l4p__table_index_find(table->index, table->configs, cfg);
}

/* Linear scan: the table oracle calls it only for configurations that
 * are not rows, and tables hold at most ~10^5 rows. */
long l4p_table_nearest(const struct l4p_table *table,
                       const struct l4p_space *space, const double *cfg,
                       const bool *taken)
{
  long best = -1;
  double best_d = INFINITY;
  for (size_t r = 0; r < table->n_rows; r++) {
    if (taken && taken[r])
      continue;
    double d =
        l4p_space_distance(space, table->configs + r * table->n_options, cfg);
    if (best < 0 || d < best_d) {
      best = (long)r;
      best_d = d;
    }
  }
  return best;
}

/* Cells that stand for "not measured" in an objective column. */
static bool missing_value(const char *s)
{
  return !*s || strcasecmp(s, "nan") == 0 || strcasecmp(s, "na") == 0;
}

/* Column of each name in t (options then objectives); EPARSE naming the
 * first one the header lacks. */
static l4p_status map_columns(const struct l4px_csv *t,
                              const struct l4p_spec *spec, const char *path,
                              int *cols)
{
  size_t no = l4p_space_n_options(spec->space);
  for (size_t i = 0; i < no + spec->n_objectives; i++) {
    const char *name = i < no ? l4p_space_option(spec->space, i)->name
                              : spec->objectives[i - no].name;
    cols[i] = l4px_csv_column(t, name);
    if (cols[i] < 0)
      return l4p_failf(L4P_EPARSE, "%s:1: missing column '%s'", path, name);
  }
  return L4P_OK;
}

/* Parse row r of t into cfg and values; errors name path:line and the
 * column. */
static l4p_status parse_row(const struct l4px_csv *t, size_t r,
                            const struct l4p_spec *spec, const char *path,
                            const int *cols, double *cfg, double *values)
{
  size_t no = l4p_space_n_options(spec->space);
  for (size_t i = 0; i < no; i++) {
    const char *cell = l4px_csv_cell(t, r, (size_t)cols[i]);
    l4p_status st = l4p_value_parse(spec->space, i, cell, &cfg[i]);
    if (st) {
      /* "option 'x': value ..." becomes "path:line: column 'x': value ..." */
      const char *name = l4p_space_option(spec->space, i)->name;
      char said[768];
      snprintf(said, sizeof said, "%s", l4p_last_error());
      const char *detail = said;
      size_t n = strlen(name);
      if (!strncmp(detail, "option '", 8) && !strncmp(detail + 8, name, n) &&
          !strncmp(detail + 8 + n, "': ", 3))
        detail += 8 + n + 3;
      return l4p_failf(st, "%s:%d: column '%s': %s", path, t->line[r], name,
                       *detail ? detail : "bad value");
    }
  }
  for (size_t j = 0; j < spec->n_objectives; j++) {
    const char *cell = l4px_csv_cell(t, r, (size_t)cols[no + j]);
    if (missing_value(cell))
      values[j] = NAN;
    else if (!l4px_parse_double(cell, &values[j]))
      return l4p_failf(L4P_EPARSE, "%s:%d: column '%s': '%s' is not a number",
                       path, t->line[r], spec->objectives[j].name, cell);
  }
  return L4P_OK;
}

/* Read a table CSV (any column order, extra columns ignored). Cells go
 * through l4p_value_parse so the table and the spec agree on text forms;
 * errors name path:line and the column. *table is NULL on failure. */
l4p_status l4p_table_load(const struct l4p_spec *spec, const char *path,
                          struct l4p_table **table)
{
  *table = NULL;
  struct l4px_csv csv;
  l4p_status st = l4px_csv_read(&csv, path, 0);
  if (st)
    return st;
  size_t no = l4p_space_n_options(spec->space), nv = spec->n_objectives;
  int *cols = malloc((no + nv + 1) * sizeof *cols);
  double *cfg = malloc((no + 1) * sizeof *cfg);
  double *values = malloc((nv + 1) * sizeof *values);
  struct l4p_table *t = l4p_table_new(spec);
  if (!cols || !cfg || !values || !t) {
    st = l4p_failf(L4P_ENOMEM, "out of memory loading %s", path);
    goto out;
  }
  st = map_columns(&csv, spec, path, cols);
  for (size_t r = 0; !st && r < csv.n_rows; r++) {
    st = parse_row(&csv, r, spec, path, cols, cfg, values);
    if (!st)
      st = l4p_table_add(t, spec, cfg, values);
  }
out:
  free(cols);
  free(cfg);
  free(values);
  l4px_csv_release(&csv);
  if (st) {
    l4p_table_free(t);
    return st;
  }
  *table = t;
  return L4P_OK;
}

/* Load the CSV the spec's oracle object names ({"type": "table",
 * "path": "rel.csv"}), resolved against the spec's directory. */
l4p_status l4p_table_load_for(const struct l4p_spec *spec,
                              struct l4p_table **table)
{
  *table = NULL;
  const char *who = spec->path ? spec->path : spec->name;
  if (!spec->oracle_json)
    return l4p_failf(L4P_EUSAGE, "%s: spec has no oracle", who);
  json_error_t jerr;
  json_t *root = json_loads(spec->oracle_json, 0, &jerr);
  if (!root)
    return l4p_failf(L4P_EPARSE, "%s: oracle: %s", who, jerr.text);
  const char *type = json_string_value(json_object_get(root, "type"));
  const char *rel = json_string_value(json_object_get(root, "path"));
  l4p_status st;
  if (!type || strcmp(type, "table") != 0)
    st = l4p_failf(L4P_EUSAGE, "%s: oracle is not a table", who);
  else if (!rel || !*rel)
    st = l4p_failf(L4P_EUSAGE, "%s: table oracle has no path", who);
  else {
    char *path = l4p_spec_resolve(spec, rel);
    st = path ? l4p_table_load(spec, path, table)
              : l4p_failf(L4P_ENOMEM, "out of memory");
    free(path);
  }
  json_decref(root);
  return st;
}

/* Write options (text forms) then objectives (shortest exact numbers,
 * empty for NAN) through a temporary file. Counts are not saved: a
 * loaded table starts with every count at 1. */
l4p_status l4p_table_save(const struct l4p_table *table,
                          const struct l4p_spec *spec, const char *path)
{
  size_t no = table->n_options, nv = table->n_objectives;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t i = 0; i < no + nv; i++) {
    if (i)
      l4px_sb_putc(&sb, ',');
    l4px_sb_csv_field(&sb,
                      i < no ? l4p_space_option(spec->space, i)->name
                             : spec->objectives[i - no].name,
                      ',');
  }
  l4px_sb_putc(&sb, '\n');
  char buf[256];
  for (size_t r = 0; r < table->n_rows; r++) {
    for (size_t i = 0; i < no; i++) {
      l4p_value_format(spec->space, i, table->configs[r * no + i], buf,
                       sizeof buf);
      if (i)
        l4px_sb_putc(&sb, ',');
      l4px_sb_csv_field(&sb, buf, ',');
    }
    for (size_t j = 0; j < nv; j++) {
      double v = table->values[r * nv + j];
      if (isnan(v))
        buf[0] = '\0';
      else
        l4px_fmt_exact(v, 6, buf, sizeof buf);
      if (no || j)
        l4px_sb_putc(&sb, ',');
      l4px_sb_puts(&sb, buf);
    }
    l4px_sb_putc(&sb, '\n');
  }
  if (l4px_sb_failed(&sb)) {
    l4px_sb_release(&sb);
    return l4p_failf(L4P_ENOMEM, "out of memory writing %s", path);
  }
  l4p_status st = l4px_write_file_atomic(path, sb.buf, sb.len);
  l4px_sb_release(&sb);
  return st;
}
