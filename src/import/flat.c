/* The builder shared by the flat formats (plain CSV and MOOT), which carry
 * no model of their options: once a format has given each column a role,
 * this turns one-hot 0/1 column groups into enums (onehot.c), infers every
 * other option's type (infer.c), drops constant columns and fills the
 * table.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/banned.h"

struct flat {
  struct l4p__import *im;
  struct l4p__onehot_set set; /* one-hot groups (onehot.c) */
  int *slot;                  /* column -> option index, -1 */
  struct l4p_option *opts;    /* column -> inferred option (non-group) */
};

static bool is_option(const struct l4p__import *im, size_t c)
{
  return im->cols[c].role == L4P__COL_OPTION;
}

/* Add the enum of group g to spec. */
static l4p_status add_group(struct flat *f, struct l4p__onehot *g,
                            struct l4p_spec *spec)
{
  struct l4p_option opt;
  l4p_status st = l4p__onehot_option(f->im, g, &opt);
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
    int g = f->set.group_of[c];
    if (g >= 0) {
      if (f->set.groups[g].first == c)
        st = add_group(f, &f->set.groups[g], spec);
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
  l4p_status st =
      cfg && values ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < im->n_rows && !st; k++) {
    for (size_t c = 0; c < im->csv.n_cols && !st; c++) {
      if (f->slot[c] < 0)
        continue;
      const char *cell = l4p__cell(im, k, c);
      if (!l4p__infer_value(&f->opts[c], cell, &cfg[f->slot[c]]))
        st = l4p_failf(L4P_EDOMAIN,
                       "%s:%d: column '%s': '%s' is not a "
                       "value of the option",
                       im->path, l4p__line(im, k), im->csv.header[c], cell);
    }
    for (size_t g = 0; g < f->set.n; g++)
      cfg[f->set.groups[g].option] =
          l4p__onehot_value(im, &f->set.groups[g], k);
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
  f.slot = malloc(nc * sizeof *f.slot);
  f.opts = calloc(nc, sizeof *f.opts);
  l4p_status st =
      f.slot && f.opts ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t c = 0; !st && c < nc; c++)
    f.slot[c] = -1;
  if (!st)
    st = l4p__import_spec(im, NULL, spec);
  if (!st)
    st = l4p__onehot_find(im, &f.set);
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
  l4p__onehot_release(&f.set);
  for (size_t c = 0; f.opts && c < nc; c++)
    l4p__option_free(&f.opts[c]);
  free(f.opts);
  free(f.slot);
  return st;
}
