/* SPL Conqueror importer: a FeatureModel.xml plus its measurements CSV
 * become a spec and a table. Mandatory options that are always on (root,
 * group parents) vanish; a parent whose children exclude each other
 * becomes one enum (with a "none" label when the parent is optional);
 * numeric options get their model's grid plus any measured value off it.
 * CSV columns outside the model are the objectives, unless the caller
 * filters (where) or ignores them. Constraints and rows: splc_rules.c.
 * SPDX-License-Identifier: MIT */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splc-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Numeric options with more grid points than this become ranges. */
#define VALUE_LIST_MAX 32

/* Index of the binary option called name, or -1. */
int l4p__splc_find_bin(const struct l4p__splc *s, const char *name)
{
  for (size_t i = 0; i < s->m.n_bin; i++)
    if (strcmp(s->m.bin[i].name, name) == 0)
      return (int)i;
  return -1;
}

/* Index of the numeric option called name, or -1. */
int l4p__splc_find_num(const struct l4p__splc *s, const char *name)
{
  for (size_t i = 0; i < s->m.n_num; i++)
    if (strcmp(s->m.num[i].name, name) == 0)
      return (int)i;
  return -1;
}

static bool listed(const struct l4p__splc_list *l, const char *name)
{
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i], name) == 0)
      return true;
  return false;
}

/* Claim the CSV column of model option name (-1 when absent). */
static l4p_status claim_column(struct l4p__splc *s, const char *name, int *col)
{
  *col = l4px_csv_column(&s->im.csv, name);
  if (*col < 0)
    return L4P_OK;
  if (s->im.cols[*col].role != L4P__COL_OPTION)
    return l4p_failf(L4P_EUSAGE,
                     "column '%s' is an option of the feature "
                     "model; it cannot be ignored or filtered",
                     name);
  s->im.cols[*col].role = L4P__COL_MODEL;
  return L4P_OK;
}

/* Check names are unique, claim the model's columns and link parents. */
static l4p_status link_options(struct l4p__splc *s)
{
  l4p_status st;
  for (size_t i = 0; i < s->m.n_bin; i++) {
    const struct l4p__splc_binary *mb = &s->m.bin[i];
    struct l4p__splc_bin *b = &s->bins[i];
    if (l4p__splc_find_bin(s, mb->name) != (int)i ||
        l4p__splc_find_num(s, mb->name) >= 0)
      return l4p_failf(L4P_EPARSE, "%s:%d: option '%s' defined twice", s->fm,
                       mb->line, mb->name);
    b->group = b->label = b->option = b->always = -1;
    if ((st = claim_column(s, mb->name, &b->col)))
      return st;
    b->parent = *mb->parent ? l4p__splc_find_bin(s, mb->parent) : -1;
    if (*mb->parent && b->parent < 0)
      return l4p_failf(L4P_EPARSE,
                       "%s:%d: option '%s': unknown parent "
                       "'%s'",
                       s->fm, mb->line, mb->name, mb->parent);
  }
  for (size_t j = 0; j < s->m.n_num; j++) {
    const struct l4p__splc_numeric *mn = &s->m.num[j];
    if (l4p__splc_find_num(s, mn->name) != (int)j)
      return l4p_failf(L4P_EPARSE, "%s:%d: option '%s' defined twice", s->fm,
                       mn->line, mn->name);
    s->nums[j].option = -1;
    if ((st = claim_column(s, mn->name, &s->nums[j].col)))
      return st;
  }
  return L4P_OK;
}

/* The children of p (by their parent field or p's <children> list) when
 * they form an alternative group: at least two, all mandatory, each
 * excluding all the others. Fills kids, returns their count or 0. */
static size_t alternative_kids(const struct l4p__splc *s, size_t p,
                               size_t *kids)
{
  size_t n = 0;
  for (size_t j = 0; j < s->m.n_bin; j++)
    if (j != p && (s->bins[j].parent == (int)p ||
                   listed(&s->m.bin[p].children, s->m.bin[j].name)))
      kids[n++] = j;
  if (n < 2)
    return 0;
  for (size_t a = 0; a < n; a++) {
    const struct l4p__splc_binary *ka = &s->m.bin[kids[a]];
    if (ka->optional)
      return 0;
    for (size_t b = 0; b < n; b++)
      if (a != b && !listed(&ka->excluded, s->m.bin[kids[b]].name))
        return 0;
  }
  return n;
}

/* Is p a member of another parent's alternative group? */
static bool nested(const struct l4p__splc *s, size_t p, size_t *kids)
{
  for (size_t q = 0; q < s->m.n_bin; q++) {
    size_t n = q == p ? 0 : alternative_kids(s, q, kids);
    for (size_t i = 0; i < n; i++)
      if (kids[i] == p)
        return true;
  }
  return false;
}

/* Find the alternative groups. A group nested in another one stays plain
 * options with their exclusions (the outer group wins). */
static l4p_status find_groups(struct l4p__splc *s)
{
  size_t nb = s->m.n_bin;
  size_t *kids = malloc((nb + 1) * sizeof *kids);
  size_t *scratch = malloc((nb + 1) * sizeof *scratch);
  s->groups = calloc(nb + 1, sizeof *s->groups);
  l4p_status st = kids && scratch && s->groups
                      ? L4P_OK
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t p = 0; p < nb && !st; p++) {
    size_t n = alternative_kids(s, p, kids);
    if (!n || nested(s, p, scratch))
      continue;
    struct l4p__splc_group *g = &s->groups[s->n_groups];
    if (!(g->kids = malloc(n * sizeof *g->kids))) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
      break;
    }
    memcpy(g->kids, kids, n * sizeof *kids);
    g->n = n;
    g->parent = p;
    s->bins[p].kind = L4P__BIN_GROUP;
    s->bins[p].group = (int)s->n_groups;
    for (size_t i = 0; i < n; i++) {
      s->bins[kids[i]].kind = L4P__BIN_CHILD;
      s->bins[kids[i]].group = (int)s->n_groups;
      s->bins[kids[i]].label = (int)i;
    }
    s->n_groups++;
  }
  free(kids);
  free(scratch);
  return st;
}

/* Is every kept cell of column c a 1? */
static bool constant_one(const struct l4p__import *im, int c)
{
  double v;
  for (size_t k = 0; k < im->n_rows; k++)
    if (!l4p__bool_cell(l4p__cell(im, k, (size_t)c), &v) || v != 1)
      return false;
  return true;
}

/* Is binary option i on in every configuration: mandatory, under a parent
 * that is always on, and 1 in every row where the data has it? */
static bool always_on(struct l4p__splc *s, size_t i, size_t depth)
{
  struct l4p__splc_bin *b = &s->bins[i];
  if (b->always >= 0)
    return b->always;
  bool on = b->kind != L4P__BIN_CHILD && !s->m.bin[i].optional &&
            depth < s->m.n_bin &&
            (b->parent < 0 || always_on(s, (size_t)b->parent, depth + 1));
  if (on && b->col >= 0 && !constant_one(&s->im, b->col)) {
    l4p__note(&s->im,
              "option '%s' is mandatory in the model but varies in "
              "the data; kept as an option",
              s->m.bin[i].name);
    on = false;
  }
  b->always = on;
  return on;
}

/* ---- options ---- */

static l4p_status add_option(struct l4p__splc *s, struct l4p_option *opt,
                             int *index)
{
  *index = (int)l4p_space_n_options(s->spec->space);
  l4p_status st = l4p_space_add_option(s->spec->space, opt);
  if (st)
    l4p_error_prefix(s->fm);
  return st;
}

/* Label of member k of group g: its name without the parent's name in
 * front (and a '_' after it), so rc_lookahead_20 gives "20". */
static const char *short_label(const char *kid, const char *parent)
{
  size_t n = strlen(parent);
  if (strncmp(kid, parent, n) != 0 || !kid[n])
    return kid;
  kid += n;
  return (kid[0] == '_' || kid[0] == '-') && kid[1] ? kid + 1 : kid;
}

/* Are the labels non-empty, distinct and not "none" (the off label)? */
static bool labels_usable(char **labels, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (!*labels[i] || !strcmp(labels[i], "none"))
      return false;
    for (size_t j = 0; j < i; j++)
      if (!strcmp(labels[i], labels[j]))
        return false;
  }
  return true;
}

static l4p_status add_group(struct l4p__splc *s, struct l4p__splc_group *g)
{
  const char *pname = s->m.bin[g->parent].name;
  size_t off = g->has_none;
  struct l4p_option opt;
  memset(&opt, 0, sizeof opt);
  opt.type = L4P_OPT_ENUM;
  opt.n_values = g->n + off;
  opt.max = (double)(opt.n_values - 1);
  opt.name = strdup(pname);
  opt.labels = calloc(opt.n_values, sizeof *opt.labels);
  l4p_status st =
      opt.name && opt.labels ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && off && !(opt.labels[0] = strdup("none")))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (int full = 0; full < 2 && !st; full++) {
    for (size_t i = 0; i < g->n && !st; i++) {
      const char *kid = s->m.bin[g->kids[i]].name;
      free(opt.labels[off + i]);
      opt.labels[off + i] = strdup(full ? kid : short_label(kid, pname));
      if (!opt.labels[off + i])
        st = l4p_failf(L4P_ENOMEM, "out of memory");
    }
    if (!st && labels_usable(opt.labels + off, g->n))
      break;
  }
  if (!st)
    st = add_option(s, &opt, &s->bins[g->parent].option);
  l4p__option_free(&opt);
  return st;
}

static l4p_status add_bool(struct l4p__splc *s, size_t i)
{
  struct l4p_option opt;
  memset(&opt, 0, sizeof opt);
  opt.type = L4P_OPT_BOOL;
  opt.max = 1;
  if (!(opt.name = strdup(s->m.bin[i].name)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = add_option(s, &opt, &s->bins[i].option);
  l4p__option_free(&opt);
  return st;
}

/* Merge the measured values of numeric option j into its model domain
 * (sorted, unique); the ones off the model's grid are noted. */
static l4p_status measured_values(struct l4p__splc *s, size_t j, double **v,
                                  size_t *n, bool *extra)
{
  const struct l4p__splc_numeric *mn = &s->m.num[j];
  int c = s->nums[j].col;
  struct l4px_sb added;
  l4px_sb_init(&added);
  size_t n_model = *n, n_added = 0;
  *extra = false;
  l4p_status st = L4P_OK;
  for (size_t k = 0; k < s->im.n_rows && !st; k++) {
    const char *cell = l4p__cell(&s->im, k, (size_t)c);
    double x;
    if (!l4px_parse_double(cell, &x)) {
      st = l4p_failf(L4P_EPARSE, "%s:%d: column '%s': '%s' is not a number",
                     s->im.path, l4p__line(&s->im, k), mn->name, cell);
      break;
    }
    x = l4p__splc_round(x);
    bool known = false;
    for (size_t i = 0; i < *n && !known; i++)
      known = (*v)[i] == x;
    if (known)
      continue;
    double *grown = realloc(*v, (*n + 1) * sizeof **v);
    if (!grown) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
      break;
    }
    *v = grown;
    (*v)[(*n)++] = x;
    if (n_added++ < 8)
      l4px_sb_printf(&added, "%s%g", n_added > 1 ? ", " : "", x);
  }
  if (!st && *n > n_model) {
    *extra = true;
    l4p__note(&s->im,
              "option '%s': measured values outside the model's "
              "domain added: %s%s",
              mn->name, added.buf, n_added > 8 ? ", ..." : "");
    for (size_t a = 1; a < *n; a++) /* insertion sort: few values */
      for (size_t b = a; b > 0 && (*v)[b - 1] > (*v)[b]; b--) {
        double t = (*v)[b];
        (*v)[b] = (*v)[b - 1];
        (*v)[b - 1] = t;
      }
  }
  l4px_sb_release(&added);
  return st;
}

/* Build numeric option j: a value list, or a range when the model's grid
 * is a long additive walk that the data does not leave. */
static l4p_status add_numeric(struct l4p__splc *s, size_t j)
{
  const struct l4p__splc_numeric *mn = &s->m.num[j];
  struct l4p_option *opt = &s->nums[j].opt;
  double *v = NULL, step;
  size_t n;
  bool additive, extra;
  l4p_status st = l4p__splc_domain(mn, s->fm, &v, &n, &additive, &step);
  if (!st)
    st = measured_values(s, j, &v, &n, &extra);
  if (st) {
    free(v);
    return st;
  }
  bool integral = true;
  for (size_t i = 0; i < n; i++)
    integral = integral && v[i] == floor(v[i]);
  memset(opt, 0, sizeof *opt);
  opt->type = integral ? L4P_OPT_INT : L4P_OPT_FLOAT;
  opt->min = v[0];
  opt->max = v[n - 1];
  opt->default_value = v[0];
  double d;
  if (mn->deflt && l4px_parse_double(mn->deflt, &d))
    for (size_t i = 0; i < n; i++)
      if (v[i] == l4p__splc_round(d))
        opt->default_value = v[i];
  if (additive && !extra && n > VALUE_LIST_MAX &&
      (!integral || step == floor(step))) {
    opt->step = step;
    free(v);
  } else {
    opt->n_values = n;
    opt->values = v;
  }
  if (!(opt->name = strdup(mn->name)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return add_option(s, opt, &s->nums[j].option);
}

/* Options in model order: bools, group enums at their parent's place,
 * then numeric options. Every option needs its column. */
static l4p_status add_options(struct l4p__splc *s)
{
  l4p_status st = L4P_OK;
  for (size_t i = 0; i < s->m.n_bin && !st; i++) {
    struct l4p__splc_bin *b = &s->bins[i];
    bool on = always_on(s, i, 0);
    if (b->kind == L4P__BIN_PLAIN && on)
      b->kind = L4P__BIN_ALWAYS;
    if ((b->kind == L4P__BIN_PLAIN || b->kind == L4P__BIN_CHILD) && b->col < 0)
      return l4p_failf(L4P_EPARSE,
                       "%s:1: missing column '%s' (an option of "
                       "the feature model)",
                       s->im.path, s->m.bin[i].name);
    if (b->kind == L4P__BIN_GROUP) {
      s->groups[b->group].has_none = !on;
      st = add_group(s, &s->groups[b->group]);
    } else if (b->kind == L4P__BIN_PLAIN)
      st = add_bool(s, i);
  }
  for (size_t j = 0; j < s->m.n_num && !st; j++) {
    if (s->nums[j].col < 0)
      return l4p_failf(L4P_EPARSE,
                       "%s:1: missing column '%s' (an option of "
                       "the feature model)",
                       s->im.path, s->m.num[j].name);
    st = add_numeric(s, j);
  }
  return st;
}

/* ---- objectives ---- */

static bool numeric_column(const struct l4p__import *im, size_t c)
{
  double v;
  for (size_t k = 0; k < im->n_rows; k++) {
    const char *cell = l4p__cell(im, k, c);
    if (*cell && !l4px_parse_double(cell, &v))
      return false;
  }
  return true;
}

/* The caller's objectives, else every numeric column outside the model;
 * any other column must be filtered or ignored. */
static l4p_status mark_objectives(struct l4p__splc *s,
                                  const struct l4p__objective_list *list)
{
  struct l4p__import *im = &s->im;
  for (size_t i = 0; i < list->n; i++) {
    l4p_status st = l4p__mark_objective(im, list, i);
    if (st)
      return st;
  }
  for (size_t c = 0; c < im->csv.n_cols; c++) {
    if (im->cols[c].role != L4P__COL_OPTION)
      continue;
    if (list->n || !numeric_column(im, c))
      return l4p_failf(L4P_EUSAGE,
                       "%s: column '%s' is neither an option of "
                       "the feature model nor an objective; name it in "
                       "where or ignore",
                       im->path, im->csv.header[c]);
    im->cols[c].role = L4P__COL_OBJECTIVE;
    im->cols[c].goal = L4P_MINIMIZE;
    im->cols[c].rank = INT_MAX;
  }
  return L4P_OK;
}

/* ---- entry point ---- */

static l4p_status build(struct l4p__splc *s,
                        const struct l4p__objective_list *list,
                        struct l4p_table **table)
{
  l4p_status st = l4p__splc_read(s->fm, &s->m);
  if (st)
    return st;
  s->bins = calloc(s->m.n_bin + 1, sizeof *s->bins);
  s->nums = calloc(s->m.n_num + 1, sizeof *s->nums);
  if (!s->bins || !s->nums)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if ((st = link_options(s)) || (st = find_groups(s)))
    return st;
  if ((st = l4p__import_spec(&s->im, s->m.name, &s->spec)))
    return st;
  if ((st = add_options(s)) || (st = mark_objectives(s, list)) ||
      (st = l4p__add_objectives(&s->im, s->spec)) ||
      (st = l4p__splc_constraints(s)))
    return st;
  if (!(*table = l4p_table_new(s->spec)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if ((st = l4p__splc_rows(s, *table)))
    return st;
  if ((*table)->n_merged)
    l4p__note(&s->im, "%zu duplicate row%s averaged", (*table)->n_merged,
              (*table)->n_merged == 1 ? "" : "s");
  char what[600];
  snprintf(what, sizeof what, "SPL Conqueror model %s and measurements",
           l4p__short_path(s->fm));
  return l4p__import_provenance(&s->im, what, s->spec);
}

/* Import measurements at path described by the model feature_model. */
l4p_status l4p__import_splc(const char *path, const char *feature_model,
                            const struct l4p_import_opts *opts,
                            struct l4p_spec **spec, struct l4p_table **table)
{
  struct l4p__objective_list list;
  l4p_status st = l4p__objectives_parse(opts->objectives, &list);
  if (st)
    return st;
  struct l4p__splc s;
  memset(&s, 0, sizeof s);
  s.fm = feature_model;
  st = l4p__import_open(&s.im, path, opts);
  if (!st)
    st = build(&s, &list, table);
  *spec = s.spec;
  for (size_t g = 0; g < s.n_groups; g++)
    free(s.groups[g].kids);
  free(s.groups);
  for (size_t j = 0; s.nums && j < s.m.n_num; j++)
    l4p__option_free(&s.nums[j].opt);
  free(s.nums);
  free(s.bins);
  l4p__splc_release(&s.m);
  l4p__import_release(&s.im);
  l4p__objectives_release(&list);
  return st;
}
