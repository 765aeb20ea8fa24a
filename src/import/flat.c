/* The builder shared by the flat formats (plain CSV and MOOT), which carry
 * no model of their options: once a format has given each column a role,
 * this turns one-hot 0/1 column groups into enums, infers every other
 * option's type (infer.c), drops constant columns and fills the table.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* 0/1 columns "p_a", "p_b"... sharing the prefix p before their last '_'
 * with exactly one 1 in every row: one enum p with labels a, b... (in
 * column order, which is the order the table's authors chose). */
struct onehot {
  size_t prefix_len;
  size_t n;
  size_t *cols;
  int option;      /* index in the space */
};

struct flat {
  struct l4p__import *im;
  size_t n_groups;
  struct onehot *groups;
  int *group_of;            /* column -> group, -1 */
  int *slot;                /* column -> option index, -1 */
  struct l4p_option *opts;  /* column -> inferred option (non-group) */
};

static bool is_option(const struct l4p__import *im, size_t c)
{
  return im->cols[c].role == L4P__COL_OPTION;
}

/* Is every kept cell of c a 0/1 value (one-hot member candidate)? */
static bool zero_one(const struct l4p__import *im, size_t c)
{
  if (!is_option(im, c) || im->cols[c].kind == L4P__KIND_NUMERIC)
    return false;
  double v;
  for (size_t k = 0; k < im->n_rows; k++)
    if (!l4p__bool_cell(l4p__cell(im, k, c), &v))
      return false;
  return true;
}

static bool constant_text(const struct l4p__import *im, size_t c)
{
  for (size_t k = 1; k < im->n_rows; k++)
    if (strcmp(l4p__cell(im, k, c), l4p__cell(im, 0, c)) != 0)
      return false;
  return true;
}

/* Length of the name's prefix before its last '_', 0 when it has none
 * (no '_', or nothing before or after it). */
static size_t prefix_len(const char *name)
{
  const char *u = strrchr(name, '_');
  return u && u > name && u[1] ? (size_t)(u - name) : 0;
}

/* Exactly one member is 1 in every kept row. */
static bool one_hot(const struct l4p__import *im, const size_t *cols,
                    size_t n)
{
  for (size_t k = 0; k < im->n_rows; k++) {
    int ones = 0;
    for (size_t i = 0; i < n; i++) {
      double v;
      l4p__bool_cell(l4p__cell(im, k, cols[i]), &v);
      ones += v == 1;
    }
    if (ones != 1)
      return false;
  }
  return true;
}

/* Would an enum named like the prefix clash with another option column
 * that stays in the spec (a non-constant one)? */
static bool prefix_taken(const struct l4p__import *im, const char *name,
                         size_t len, const size_t *members, size_t n)
{
  for (size_t c = 0; c < im->csv.n_cols; c++) {
    const char *other = l4p__column_name(im, c);
    if (!is_option(im, c) || strlen(other) != len ||
        strncmp(other, name, len) != 0)
      continue;
    bool member = false;
    for (size_t i = 0; i < n; i++)
      member = member || members[i] == c;
    if (!member && !constant_text(im, c))
      return true;
  }
  return false;
}

static l4p_status find_groups(struct flat *f)
{
  struct l4p__import *im = f->im;
  size_t nc = im->csv.n_cols;
  bool *cand = calloc(nc, sizeof *cand);
  size_t *members = malloc(nc * sizeof *members);
  f->groups = calloc(nc, sizeof *f->groups);
  if (!cand || !members || !f->groups) {
    free(cand);
    free(members);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t c = 0; c < nc; c++)
    cand[c] = prefix_len(l4p__column_name(im, c)) && zero_one(im, c);
  l4p_status st = L4P_OK;
  for (size_t c = 0; c < nc && !st; c++) {
    if (!cand[c] || f->group_of[c] >= 0)
      continue;
    const char *name = l4p__column_name(im, c);
    size_t len = prefix_len(name), n = 0;
    for (size_t d = c; d < nc; d++) {
      const char *other = l4p__column_name(im, d);
      if (cand[d] && prefix_len(other) == len &&
          strncmp(other, name, len) == 0)
        members[n++] = d;
    }
    for (size_t i = 0; i < n; i++)
      cand[members[i]] = false;
    if (n < 2 || !one_hot(im, members, n))
      continue;
    if (prefix_taken(im, name, len, members, n)) {
      l4p__note(im, "one-hot columns '%.*s_*' kept apart: '%.*s' is a column",
                (int)len, name, (int)len, name);
      continue;
    }
    struct onehot *g = &f->groups[f->n_groups];
    g->cols = malloc(n * sizeof *g->cols);
    if (!g->cols) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
      break;
    }
    memcpy(g->cols, members, n * sizeof *members);
    g->n = n;
    g->prefix_len = len;
    g->option = -1;
    for (size_t i = 0; i < n; i++)
      f->group_of[members[i]] = (int)f->n_groups;
    f->n_groups++;
    l4p__note(im, "one-hot columns %s..%s became enum '%.*s'", name,
              l4p__column_name(im, members[n - 1]), (int)len, name);
  }
  free(cand);
  free(members);
  return st;
}

/* Add the enum of group g to spec. */
static l4p_status add_group(struct flat *f, struct onehot *g,
                            struct l4p_spec *spec)
{
  struct l4p_option opt;
  memset(&opt, 0, sizeof opt);
  const char *first = l4p__column_name(f->im, g->cols[0]);
  opt.name = strndup(first, g->prefix_len);
  opt.type = L4P_OPT_ENUM;
  opt.labels = calloc(g->n, sizeof *opt.labels);
  l4p_status st = opt.name && opt.labels
                      ? L4P_OK
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st) {
    opt.n_values = g->n;
    for (size_t i = 0; i < g->n && !st; i++) {
      const char *col = l4p__column_name(f->im, g->cols[i]);
      if (!(opt.labels[i] = strdup(col + g->prefix_len + 1)))
        st = l4p_failf(L4P_ENOMEM, "out of memory");
    }
  }
  opt.max = (double)(g->n ? g->n - 1 : 0);
  if (!st) {
    g->option = (int)l4p_space_n_options(spec->space);
    st = l4p_space_add_option(spec->space, &opt);
    if (st)
      l4p_error_prefix(f->im->path);
  }
  l4p__option_free(&opt);
  return st;
}

/* Add every option column to spec, in column order. */
static l4p_status add_options(struct flat *f, struct l4p_spec *spec)
{
  struct l4p__import *im = f->im;
  struct l4px_sb dropped;
  l4px_sb_init(&dropped);
  l4p_status st = L4P_OK;
  for (size_t c = 0; c < im->csv.n_cols && !st; c++) {
    if (!is_option(im, c))
      continue;
    int g = f->group_of[c];
    if (g >= 0) {
      if (f->groups[g].cols[0] == c)
        st = add_group(f, &f->groups[g], spec);
      continue;
    }
    bool constant = false;
    st = l4p__infer_option(im, c, im->cols[c].kind, &f->opts[c], &constant);
    if (st)
      break;
    if (constant) {
      l4px_sb_printf(&dropped, "%s%s=%s", dropped.len ? ", " : "",
                     l4p__column_name(im, c), l4p__cell(im, 0, c));
      l4p__option_free(&f->opts[c]);
      continue;
    }
    f->slot[c] = (int)l4p_space_n_options(spec->space);
    st = l4p_space_add_option(spec->space, &f->opts[c]);
    if (st)
      l4p_error_prefix(im->path);
  }
  if (!st && dropped.len)
    l4p__note(im, "constant columns dropped: %s", dropped.buf);
  l4px_sb_release(&dropped);
  if (!st && !l4p_space_n_options(spec->space))
    st = l4p_failf(L4P_EUSAGE, "%s: no option columns", im->path);
  return st;
}

/* Fill the table with every kept row. */
static l4p_status fill_table(struct flat *f, struct l4p_spec *spec,
                             struct l4p_table *table)
{
  struct l4p__import *im = f->im;
  size_t no = l4p_space_n_options(spec->space);
  double *cfg = calloc(no + 1, sizeof *cfg);
  double *values = calloc(spec->n_objectives + 1, sizeof *values);
  l4p_status st = cfg && values ? L4P_OK
                                : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < im->n_rows && !st; k++) {
    for (size_t c = 0; c < im->csv.n_cols && !st; c++) {
      if (f->slot[c] < 0)
        continue;
      const char *cell = l4p__cell(im, k, c);
      if (!l4p__infer_value(&f->opts[c], cell, &cfg[f->slot[c]]))
        st = l4p_failf(L4P_EDOMAIN, "%s:%d: column '%s': '%s' is not a "
                       "value of the option", im->path, l4p__line(im, k),
                       im->csv.header[c], cell);
    }
    for (size_t g = 0; g < f->n_groups && !st; g++) {
      const struct onehot *grp = &f->groups[g];
      for (size_t i = 0; i < grp->n; i++) {
        double v;
        l4p__bool_cell(l4p__cell(im, k, grp->cols[i]), &v);
        if (v == 1)
          cfg[grp->option] = (double)i;
      }
    }
    if (!st)
      st = l4p__row_objectives(im, k, values);
    if (!st)
      st = l4p_table_add(table, spec, cfg, values);
  }
  free(cfg);
  free(values);
  return st;
}

/* Build spec and table from the column roles; see import-int.h. */
l4p_status l4p__flat_build(struct l4p__import *im, const char *what,
                           struct l4p_spec **spec, struct l4p_table **table)
{
  size_t nc = im->csv.n_cols;
  struct flat f = {.im = im};
  f.group_of = malloc(nc * sizeof *f.group_of);
  f.slot = malloc(nc * sizeof *f.slot);
  f.opts = calloc(nc, sizeof *f.opts);
  l4p_status st = f.group_of && f.slot && f.opts
                      ? L4P_OK
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t c = 0; !st && c < nc; c++)
    f.group_of[c] = f.slot[c] = -1;
  if (!st)
    st = l4p__import_spec(im, NULL, spec);
  if (!st)
    st = find_groups(&f);
  if (!st)
    st = add_options(&f, *spec);
  if (!st)
    st = l4p__add_objectives(im, *spec);
  if (!st && !(*table = l4p_table_new(*spec)))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = fill_table(&f, *spec, *table);
  if (!st && (*table)->n_merged)
    l4p__note(im, "%zu duplicate row%s averaged", (*table)->n_merged,
              (*table)->n_merged == 1 ? "" : "s");
  if (!st)
    st = l4p__import_provenance(im, what, *spec);
  for (size_t g = 0; g < f.n_groups; g++)
    free(f.groups[g].cols);
  free(f.groups);
  for (size_t c = 0; f.opts && c < nc; c++)
    l4p__option_free(&f.opts[c]);
  free(f.opts);
  free(f.group_of);
  free(f.slot);
  return st;
}
