/* Type inference for the option columns of plain CSV and MOOT tables,
 * which say nothing about their options but their values. The rules:
 * - every cell 0/1 (or true/false): bool, default 0. This holds for
 *   MOOT numeric columns (kind NUMERIC, uppercase names such as
 *   No_mbtree) too when their values are exactly 0 and 1: a switch, not
 *   an int {0, 1}. Text true/false stays an error there;
 * - every cell an integer: int; every cell a number: float. At most 32
 *   distinct values give a value list, more a range [min, max] with step
 *   1 (int) or 0 (float: continuous). Default: the smallest value;
 * - anything else: enum. Labels are sorted (numbers numerically first,
 *   then text in byte order) so the spec does not depend on row order.
 *   Default: the first label.
 * Defaults are the smallest value rather than the most frequent one: a
 * table's frequencies reflect its sampling design, not the tool's default.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Columns with more distinct numbers than this become ranges. */
#define VALUE_LIST_MAX 32

/* 0/1 (as numbers) or true/false in any case. */
bool l4p__bool_cell(const char *cell, double *v)
{
  if (strcasecmp(cell, "true") == 0) {
    *v = 1;
    return true;
  }
  if (strcasecmp(cell, "false") == 0) {
    *v = 0;
    return true;
  }
  double d;
  if (!l4px_parse_double(cell, &d) || (d != 0 && d != 1))
    return false;
  *v = d == 1;
  return true;
}

/* Numbers numerically and before text; text (and equal numbers
 * written differently) by strcmp, so the order is total. */
int l4p__label_cmp(const char *a, const char *b)
{
  double va, vb;
  bool na = l4px_parse_double(a, &va), nb = l4px_parse_double(b, &vb);
  if (na && nb && va != vb)
    return va < vb ? -1 : 1;
  if (na != nb)
    return na ? -1 : 1;
  return strcmp(a, b);
}

static int cmp_text(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_label(const void *a, const void *b)
{
  return l4p__label_cmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Free an option built here (its strings and arrays). */
void l4p__option_free(struct l4p_option *opt)
{
  free(opt->name);
  for (size_t i = 0; opt->labels && i < opt->n_values; i++)
    free(opt->labels[i]);
  free(opt->labels);
  free(opt->values);
  free(opt->doc);
  free(opt->cli.flag);
  free(opt->cli.false_flag);
  memset(opt, 0, sizeof *opt);
}

/* The distinct cell texts of column col over the kept rows, sorted by
 * strcmp (pointers into the table). EPARSE on an empty cell. */
static l4p_status distinct_cells(const struct l4p__import *im, size_t col,
                                 const char ***out, size_t *n_out)
{
  const char **cells = malloc(im->n_rows * sizeof *cells);
  if (!cells)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < im->n_rows; k++) {
    cells[k] = l4p__cell(im, k, col);
    if (!*cells[k]) {
      free(cells);
      return l4p_failf(L4P_EPARSE, "%s:%d: column '%s': empty cell", im->path,
                       l4p__line(im, k), im->csv.header[col]);
    }
  }
  qsort(cells, im->n_rows, sizeof *cells, cmp_text);
  size_t n = 0;
  for (size_t k = 0; k < im->n_rows; k++)
    if (!n || strcmp(cells[n - 1], cells[k]) != 0)
      cells[n++] = cells[k];
  *out = cells;
  *n_out = n;
  return L4P_OK;
}

/* EPARSE naming the first kept row whose cell in col is not a number. */
static l4p_status not_numeric(const struct l4p__import *im, size_t col)
{
  double v;
  for (size_t k = 0; k < im->n_rows; k++) {
    const char *cell = l4p__cell(im, k, col);
    if (!l4px_parse_double(cell, &v))
      return l4p_failf(L4P_EPARSE,
                       "%s:%d: column '%s': '%s' is not a number "
                       "(an uppercase name marks a numeric column)",
                       im->path, l4p__line(im, k), im->csv.header[col], cell);
  }
  return l4p_failf(L4P_EPARSE, "%s: column '%s' is not numeric", im->path,
                   im->csv.header[col]);
}

/* Fill opt as a numeric option over the distinct texts d[0..n). */
static l4p_status numeric_option(const char **d, size_t n,
                                 struct l4p_option *opt, bool *constant)
{
  double *vals = malloc(n * sizeof *vals);
  if (!vals)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    l4px_parse_double(d[i], &vals[i]);
  qsort(vals, n, sizeof *vals, cmp_double);
  size_t nv = 0;
  bool integral = true;
  for (size_t i = 0; i < n; i++) {
    if (nv && vals[nv - 1] == vals[i])
      continue;
    vals[nv++] = vals[i];
    integral = integral && vals[i] == floor(vals[i]) &&
               fabs(vals[i]) <= 9007199254740992.0;
  }
  opt->type = integral ? L4P_OPT_INT : L4P_OPT_FLOAT;
  opt->min = vals[0];
  opt->max = vals[nv - 1];
  opt->default_value = vals[0];
  *constant = nv == 1;
  if (nv <= VALUE_LIST_MAX) {
    opt->n_values = nv;
    opt->values = vals;
    opt->step = 0;
  } else {
    free(vals);
    opt->step = integral ? 1 : 0;
  }
  return L4P_OK;
}

/* Fill opt as an enum over the distinct texts d[0..n). */
static l4p_status enum_option(const char **d, size_t n, struct l4p_option *opt,
                              bool *constant)
{
  qsort(d, n, sizeof *d, cmp_label);
  opt->type = L4P_OPT_ENUM;
  opt->labels = calloc(n, sizeof *opt->labels);
  if (!opt->labels)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  opt->n_values = n;
  for (size_t i = 0; i < n; i++)
    if (!(opt->labels[i] = strdup(d[i])))
      return l4p_failf(L4P_ENOMEM, "out of memory");
  opt->min = 0;
  opt->max = (double)(n - 1);
  opt->default_value = 0;
  *constant = n == 1;
  return L4P_OK;
}

/* Infer column col's option by the rules at the top of this file. */
l4p_status l4p__infer_option(const struct l4p__import *im, size_t col,
                             enum l4p__kind kind, struct l4p_option *opt,
                             bool *constant)
{
  memset(opt, 0, sizeof *opt);
  opt->cli.form = L4P_CLI_NONE;
  const char **d = NULL;
  size_t n = 0;
  l4p_status st = distinct_cells(im, col, &d, &n);
  if (st)
    return st;
  bool all_bool = true, all_num = true, seen[2] = {false, false};
  for (size_t i = 0; i < n; i++) {
    double v;
    if (l4p__bool_cell(d[i], &v))
      seen[v == 1] = true;
    else
      all_bool = false;
    all_num = all_num && l4px_parse_double(d[i], &v);
  }
  if (!(opt->name = strdup(l4p__column_name(im, col))))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  else if (kind == L4P__KIND_NUMERIC && !all_num)
    st = not_numeric(im, col);
  else if (all_bool) { /* NUMERIC: all_num holds here */
    opt->type = L4P_OPT_BOOL;
    opt->min = 0;
    opt->max = 1;
    opt->default_value = 0;
    *constant = !(seen[0] && seen[1]);
  } else if (kind != L4P__KIND_SYMBOLIC && all_num)
    st = numeric_option(d, n, opt, constant);
  else
    st = enum_option(d, n, opt, constant);
  free(d);
  if (st)
    l4p__option_free(opt);
  return st;
}

/* Value of cell for an inferred option (enum: label index). */
bool l4p__infer_value(const struct l4p_option *opt, const char *cell,
                      double *value)
{
  switch (opt->type) {
  case L4P_OPT_BOOL:
    return l4p__bool_cell(cell, value);
  case L4P_OPT_INT:
  case L4P_OPT_FLOAT: {
    double v;
    if (!l4px_parse_double(cell, &v))
      return false;
    *value = v;
    if (opt->n_values)
      return bsearch(&v, opt->values, opt->n_values, sizeof v, cmp_double) !=
             NULL;
    return v >= opt->min && v <= opt->max &&
           (opt->type == L4P_OPT_FLOAT || v == floor(v));
  }
  case L4P_OPT_ENUM: {
    char *const *hit = bsearch(&cell, opt->labels, opt->n_values,
                               sizeof *opt->labels, cmp_label);
    if (!hit)
      return false;
    *value = (double)(hit - opt->labels);
    return true;
  }
  }
  return false;
}
