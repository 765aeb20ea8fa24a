/* One-hot groups of flat tables (plain CSV and MOOT): 0/1 columns such as
 * ref_1, ref_5, ref_9 or compressionBzip2 .. compressionLzma that spell
 * one choice across several columns. flat.c turns each group into one
 * enum, so the space holds the choice instead of 2^n mostly impossible
 * bool combinations. The rules (docs/IMPORT.md, "One-hot groups"):
 * - candidates are the non-constant bool option columns;
 * - a prefix is the longest common prefix of two candidates, cut back to
 *   where a new word starts in both names (after '_' or '-', at a lower-
 *   to upper-case change, between letters and digits), and at least 3
 *   characters long. The cut keeps compressionLzo and compressionLzma
 *   from forming a group "compressionL" with labels "zo" and "zma";
 * - prefixes are tried longest first. The group of a prefix is every
 *   not yet grouped candidate that continues it with a new word (at
 *   least two), provided no row has two of them at 1. A prefix whose
 *   columns fail that test forms no group (no_cabac and no_deblock);
 * - the enum is named by the prefix without a trailing '_' or '-'; its
 *   labels are the rest of the member names in column order, preceded
 *   by "none" when some rows have no member at 1;
 * - a bool column named like the enum that equals the OR of the members
 *   in every row is the group's parent (lrzip's compression): implied by
 *   the enum, it is dropped.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Prefixes shorter than this are too weak a hint ("no", "rc"). */
#define PREFIX_MIN 3

/* The first len characters of name. */
struct prefix {
  const char *name;
  size_t len;
};

/* Working state of one search. */
struct search {
  struct l4p__import *im;
  struct l4p__onehot_set *set;
  size_t n_cand;
  size_t *cand;        /* candidate columns, in column order */
  unsigned char *bits; /* n_rows x n_cand cell values */
  size_t *members;     /* scratch: indexes into cand */
  unsigned char *ones; /* scratch: members at 1, per row */
};

/* Does a new word start at name[p] (0 < p < strlen(name))? */
static bool boundary(const char *name, size_t p)
{
  if (p == 0 || !name[p - 1] || !name[p])
    return false;
  unsigned char a = (unsigned char)name[p - 1], b = (unsigned char)name[p];
  return a == '_' || a == '-' || (islower(a) && isupper(b)) ||
         (isalpha(a) && isdigit(b)) || (isdigit(a) && isalpha(b));
}

/* Longest common prefix of a and b ending where a new word starts in
 * both; 0 when there is none. */
static size_t common_prefix(const char *a, const char *b)
{
  size_t p = 0;
  while (a[p] && a[p] == b[p])
    p++;
  while (p > 0 && !(boundary(a, p) && boundary(b, p)))
    p--;
  return p;
}

/* Longest first, then by text, so equal prefixes sit side by side. */
static int cmp_prefix(const void *pa, const void *pb)
{
  const struct prefix *a = pa, *b = pb;
  if (a->len != b->len)
    return a->len > b->len ? -1 : 1;
  return strncmp(a->name, b->name, a->len);
}

/* Is column c an option whose every kept cell is 0 or 1 (a bool, as
 * infer.c types it)? *constant tells whether it holds one value only. */
static bool bool_column(const struct l4p__import *im, size_t c, bool *constant)
{
  if (im->cols[c].role != L4P__COL_OPTION)
    return false;
  bool seen[2] = {false, false};
  for (size_t k = 0; k < im->n_rows; k++) {
    const char *cell = l4p__cell(im, k, c);
    double v;
    if (!l4p__bool_cell(cell, &v))
      return false;
    if (im->cols[c].kind == L4P__KIND_NUMERIC && !l4px_parse_double(cell, &v))
      return false;
    seen[v == 1] = true;
  }
  *constant = !(seen[0] && seen[1]);
  return true;
}

/* Is every kept cell of c the same text? */
static bool constant_text(const struct l4p__import *im, size_t c)
{
  for (size_t k = 1; k < im->n_rows; k++)
    if (strcmp(l4p__cell(im, k, c), l4p__cell(im, 0, c)) != 0)
      return false;
  return true;
}

/* Collect the candidates and their cells. */
static l4p_status load_candidates(struct search *s)
{
  struct l4p__import *im = s->im;
  size_t nc = im->csv.n_cols;
  s->cand = malloc((nc + 1) * sizeof *s->cand);
  s->members = malloc((nc + 1) * sizeof *s->members);
  s->ones = malloc(im->n_rows + 1);
  if (!s->cand || !s->members || !s->ones)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t c = 0; c < nc; c++) {
    bool constant;
    if (bool_column(im, c, &constant) && !constant)
      s->cand[s->n_cand++] = c;
  }
  s->bits = malloc(im->n_rows * s->n_cand + 1);
  if (!s->bits)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < im->n_rows; k++)
    for (size_t i = 0; i < s->n_cand; i++) {
      double v;
      l4p__bool_cell(l4p__cell(im, k, s->cand[i]), &v);
      s->bits[k * s->n_cand + i] = v == 1;
    }
  return L4P_OK;
}

/* Every distinct prefix of two candidates, longest first (heap). */
static l4p_status list_prefixes(const struct search *s, struct prefix **out,
                                size_t *n_out)
{
  size_t n = 0, nc = s->n_cand;
  struct prefix *p = malloc((nc * (nc - 1) / 2 + 1) * sizeof *p);
  if (!p)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; i < nc; i++) {
    const char *a = l4p__column_name(s->im, s->cand[i]);
    for (size_t j = i + 1; j < nc; j++) {
      size_t len = common_prefix(a, l4p__column_name(s->im, s->cand[j]));
      if (len >= PREFIX_MIN)
        p[n++] = (struct prefix){a, len};
    }
  }
  qsort(p, n, sizeof *p, cmp_prefix);
  size_t u = 0;
  for (size_t i = 0; i < n; i++)
    if (!u || cmp_prefix(&p[u - 1], &p[i]) != 0)
      p[u++] = p[i];
  *out = p;
  *n_out = u;
  return L4P_OK;
}

/* Ungrouped candidates continuing prefix p with a new word, into
 * s->members; their count. */
static size_t gather(struct search *s, const struct prefix *p)
{
  size_t n = 0;
  for (size_t i = 0; i < s->n_cand; i++) {
    const char *name = l4p__column_name(s->im, s->cand[i]);
    if (s->set->group_of[s->cand[i]] < 0 &&
        strncmp(name, p->name, p->len) == 0 && boundary(name, p->len))
      s->members[n++] = i;
  }
  return n;
}

/* Count the members at 1 in each row into s->ones; false when a row has
 * two. *none tells some row has none. */
static bool at_most_one(struct search *s, size_t n, bool *none)
{
  *none = false;
  for (size_t k = 0; k < s->im->n_rows; k++) {
    const unsigned char *row = s->bits + k * s->n_cand;
    unsigned ones = 0;
    for (size_t i = 0; i < n && ones < 2; i++)
      ones += row[s->members[i]];
    if (ones > 1)
      return false;
    s->ones[k] = (unsigned char)ones;
    *none = *none || !ones;
  }
  return true;
}

/* The option column named name that is not grouped yet, or -1. */
static int column_named(const struct search *s, const char *name)
{
  const struct l4p__import *im = s->im;
  for (size_t c = 0; c < im->csv.n_cols; c++)
    if (im->cols[c].role == L4P__COL_OPTION && s->set->group_of[c] < 0 &&
        strcmp(l4p__column_name(im, c), name) == 0)
      return (int)c;
  return -1;
}

/* Is column c a bool equal to the OR of the members (s->ones) in every
 * row, i.e. the group's parent? */
static bool is_parent(const struct search *s, size_t c)
{
  bool constant;
  if (!bool_column(s->im, c, &constant))
    return false;
  for (size_t k = 0; k < s->im->n_rows; k++) {
    double v;
    l4p__bool_cell(l4p__cell(s->im, k, c), &v);
    if ((v == 1) != (s->ones[k] == 1))
      return false;
  }
  return true;
}

/* Decide whether the n gathered members of prefix p form a group; if so
 * append it to the set. A name clash keeps the columns apart (noted). */
static l4p_status try_group(struct search *s, const struct prefix *p, size_t n)
{
  struct l4p__onehot_set *set = s->set;
  bool none;
  if (n < 2 || !at_most_one(s, n, &none))
    return L4P_OK;
  size_t len = p->len;
  while (len && (p->name[len - 1] == '_' || p->name[len - 1] == '-'))
    len--;
  char *name = strndup(p->name, len);
  if (!name)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  const char *first = l4p__column_name(s->im, s->cand[s->members[0]]);
  const char *last = l4p__column_name(s->im, s->cand[s->members[n - 1]]);
  const char *why = NULL;
  for (size_t i = 0; none && i < n && !why; i++)
    if (strcmp(l4p__column_name(s->im, s->cand[s->members[i]]) + p->len,
               "none") == 0)
      why = "a member is called 'none' and some rows have no member at 1";
  for (size_t g = 0; g < set->n && !why; g++)
    if (strcmp(set->groups[g].name, name) == 0)
      why = "another group has that name";
  int parent = len ? column_named(s, name) : -1;
  if (!len)
    why = "the prefix gives no name";
  else if (parent >= 0 && !is_parent(s, (size_t)parent)) {
    if (!constant_text(s->im, (size_t)parent))
      why = "a column of that name is no parent of the group";
    parent = -1;
  }
  if (why) {
    l4p__note(s->im,
              "one-hot columns %s..%s kept apart as '%s' cannot "
              "name them: %s",
              first, last, name, why);
    free(name);
    return L4P_OK;
  }
  struct l4p__onehot *g = &set->groups[set->n];
  g->cols = malloc(n * sizeof *g->cols);
  if (!g->cols) {
    free(name);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  g->name = name;
  g->prefix_len = p->len;
  g->none = none;
  g->n = n;
  g->parent = parent;
  g->option = -1;
  for (size_t i = 0; i < n; i++) {
    g->cols[i] = s->cand[s->members[i]];
    set->group_of[g->cols[i]] = (int)set->n;
  }
  g->first = g->cols[0];
  if (parent >= 0) {
    set->group_of[parent] = (int)set->n;
    if ((size_t)parent < g->first)
      g->first = (size_t)parent;
  }
  set->n++;
  l4p__note(s->im, "one-hot columns %s..%s became enum '%s'%s%s%s%s", first,
            last, name, none ? " with label 'none'" : "",
            parent >= 0 ? "; column '" : "", parent >= 0 ? name : "",
            parent >= 0 ? "' (their OR) dropped" : "");
  return L4P_OK;
}

/* Find the groups by the rules at the top of this file. */
l4p_status l4p__onehot_find(struct l4p__import *im, struct l4p__onehot_set *set)
{
  size_t nc = im->csv.n_cols;
  memset(set, 0, sizeof *set);
  set->group_of = malloc((nc + 1) * sizeof *set->group_of);
  set->groups = calloc(nc / 2 + 1, sizeof *set->groups);
  if (!set->group_of || !set->groups)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t c = 0; c < nc; c++)
    set->group_of[c] = -1;
  struct search s = {.im = im, .set = set};
  struct prefix *prefixes = NULL;
  size_t n_prefixes = 0;
  l4p_status st = load_candidates(&s);
  if (!st && s.n_cand >= 2)
    st = list_prefixes(&s, &prefixes, &n_prefixes);
  for (size_t i = 0; i < n_prefixes && !st; i++)
    st = try_group(&s, &prefixes[i], gather(&s, &prefixes[i]));
  free(prefixes);
  free(s.cand);
  free(s.bits);
  free(s.members);
  free(s.ones);
  return st;
}

/* Free the groups and the column map. */
void l4p__onehot_release(struct l4p__onehot_set *set)
{
  for (size_t g = 0; set->groups && g < set->n; g++) {
    free(set->groups[g].name);
    free(set->groups[g].cols);
  }
  free(set->groups);
  free(set->group_of);
  memset(set, 0, sizeof *set);
}

/* The enum of group g; heap strings, freed by l4p__option_free. */
l4p_status l4p__onehot_option(const struct l4p__import *im,
                              const struct l4p__onehot *g,
                              struct l4p_option *opt)
{
  memset(opt, 0, sizeof *opt);
  opt->cli.form = L4P_CLI_NONE;
  opt->type = L4P_OPT_ENUM;
  size_t n = g->n + g->none;
  opt->name = strdup(g->name);
  opt->labels = calloc(n, sizeof *opt->labels);
  if (!opt->name || !opt->labels)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  opt->n_values = n;
  if (g->none && !(opt->labels[0] = strdup("none")))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; i < g->n; i++) {
    const char *col = l4p__column_name(im, g->cols[i]);
    if (!(opt->labels[g->none + i] = strdup(col + g->prefix_len)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  opt->min = 0;
  opt->max = (double)(n - 1);
  opt->default_value = 0;
  return L4P_OK;
}

/* Label index of group g in kept row k: the member at 1, else "none". */
double l4p__onehot_value(const struct l4p__import *im,
                         const struct l4p__onehot *g, size_t k)
{
  for (size_t i = 0; i < g->n; i++) {
    double v;
    l4p__bool_cell(l4p__cell(im, k, g->cols[i]), &v);
    if (v == 1)
      return (double)(g->none + i);
  }
  return 0;
}
