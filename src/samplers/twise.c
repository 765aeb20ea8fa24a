/* twise: a pairwise (t = 2) covering array over the free options, then
 * uniform random fill up to the budget.
 *
 * Levels: bool and enum options use all their values; numeric options
 * with more than MAX_LEVELS values (and continuous ones) are discretised
 * to MAX_LEVELS evenly spaced quantiles of their values, ends included.
 * A pair of levels of two options is coverable when some valid
 * configuration with every option on its levels holds both; pairs that
 * none holds are excluded and reported in the sampler's notes. Coverable
 * pairs are found exactly by listing the discretised space when it is
 * small, else per pair with l4p_space_check_satisfiable (exact for
 * constraint groups small enough to enumerate).
 *
 * Construction is greedy, one row at a time (in the manner of AETG): each
 * of CANDIDATES candidate rows starts from the level covering the most
 * uncovered pairs and assigns the other options in a random order, each
 * to its level covering the most new pairs with those already set; the
 * candidate is repaired on the discretised space, and the one covering
 * most new pairs wins. When no candidate helps, a row is drawn among the
 * valid configurations holding the first uncovered pair. Rows equal to a
 * measured or failed configuration are never used, and pairs already
 * covered by the history count as covered. When the array needs more rows
 * than asked for, the first rows (which cover the most) are taken.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "design-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

#define MAX_LEVELS 5      /* levels of a many-valued numeric option */
#define CANDIDATES 30     /* candidate rows per greedy step */
#define LIST_LIMIT 200000 /* list discretised spaces up to this size */
#define TARGET_TRIES 20   /* draws for a row holding one given pair */

enum { UNCOVERED, COVERED, EXCLUDED };

struct cover {
  struct l4p__design *ds;
  size_t k;             /* free options (ds->free) */
  size_t *n_lv;         /* levels per free option */
  size_t *lv_off;       /* start of each option's levels in lv */
  double *lv;           /* level values, ascending per option */
  size_t *pair_off;     /* k x k, a < b: start of the pair's cells */
  unsigned char *state; /* per pair of levels */
  size_t n_levels;      /* sum of n_lv */
  size_t n_cells, n_uncovered, n_excluded, n_unreachable;
  struct l4p_space *lvspace; /* the space with options on their levels */
  size_t *count;             /* uncovered pairs per option level */
  size_t *row, *order;       /* scratch: a row's levels, an option order */
};

static size_t cell(const struct cover *c, size_t a, size_t la, size_t b,
                   size_t lb)
{
  if (a > b) {
    size_t t = a;
    a = b, b = t, t = la, la = lb, lb = t;
  }
  return c->pair_off[a * c->k + b] + la * c->n_lv[b] + lb;
}

/* Level index of value v of free option j, or SIZE_MAX when off-level. */
static size_t level_of(const struct cover *c, size_t j, double v)
{
  for (size_t l = 0; l < c->n_lv[j]; l++)
    if (c->lv[c->lv_off[j] + l] == v)
      return l;
  return SIZE_MAX;
}

static l4p_status make_levels(struct cover *c)
{
  const struct l4p__design *ds = c->ds;
  size_t total = 0;
  c->n_lv = calloc(c->k + 1, sizeof *c->n_lv);
  c->lv_off = calloc(c->k + 1, sizeof *c->lv_off);
  if (!c->n_lv || !c->lv_off)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t j = 0; j < c->k; j++) {
    const struct l4p_option *opt = l4p_space_option(ds->space, ds->free[j]);
    size_t card = l4p_option_cardinality(opt);
    bool all = opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM ||
               (card && card <= MAX_LEVELS);
    c->n_lv[j] = all ? card : MAX_LEVELS;
    c->lv_off[j] = total;
    total += c->n_lv[j];
  }
  c->n_levels = total;
  c->lv = malloc((total ? total : 1) * sizeof *c->lv);
  c->count = malloc((total ? total : 1) * sizeof *c->count);
  if (!c->lv || !c->count)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t j = 0; j < c->k; j++) {
    const struct l4p_option *opt = l4p_space_option(ds->space, ds->free[j]);
    bool all = c->n_lv[j] == l4p_option_cardinality(opt);
    for (size_t l = 0; l < c->n_lv[j]; l++)
      c->lv[c->lv_off[j] + l] = all ? l4p_option_value_at(opt, l)
                                    : l4p__level_value(opt, l, c->n_lv[j]);
  }
  c->pair_off = calloc(c->k * c->k + 1, sizeof *c->pair_off);
  if (!c->pair_off)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t a = 0; a < c->k; a++)
    for (size_t b = a + 1; b < c->k; b++) {
      c->pair_off[a * c->k + b] = c->n_cells;
      c->n_cells += c->n_lv[a] * c->n_lv[b];
    }
  c->state = malloc(c->n_cells + 1);
  c->row = malloc((c->k + 1) * sizeof *c->row);
  c->order = malloc((c->k + 1) * sizeof *c->order);
  if (!c->state || !c->row || !c->order)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* The space again, each free numeric option restricted to its levels. */
static l4p_status make_level_space(struct cover *c)
{
  const struct l4p_space *space = c->ds->space;
  if (!(c->lvspace = l4p_space_new()))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t j = 0;
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    struct l4p_option opt = *l4p_space_option(space, i);
    if (j < c->k && c->ds->free[j] == i) {
      if (opt.type == L4P_OPT_INT || opt.type == L4P_OPT_FLOAT) {
        opt.n_values = c->n_lv[j];
        opt.values = c->lv + c->lv_off[j];
        opt.default_value = opt.values[0];
      }
      j++;
    }
    l4p_status st = l4p_space_add_option(c->lvspace, &opt);
    if (st)
      return st;
  }
  for (size_t k = 0; k < l4p_space_n_constraints(space); k++) {
    l4p_status st = l4p_space_add_constraint(
        c->lvspace, l4p_space_constraint_text(space, k));
    if (st)
      return st;
  }
  return L4P_OK;
}

/* Mark the pairs held by cfg with state (only pairs now UNCOVERED). */
static void mark_cfg(struct cover *c, const double *cfg)
{
  for (size_t j = 0; j < c->k; j++)
    c->row[j] = level_of(c, j, cfg[c->ds->free[j]]);
  for (size_t a = 0; a < c->k; a++)
    for (size_t b = a + 1; b < c->k; b++) {
      if (c->row[a] == SIZE_MAX || c->row[b] == SIZE_MAX)
        continue;
      unsigned char *st = &c->state[cell(c, a, c->row[a], b, c->row[b])];
      if (*st == UNCOVERED) {
        *st = COVERED;
        c->n_uncovered--;
      }
    }
}

static bool word_char(char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
         (ch >= '0' && ch <= '9') || ch == '_';
}

/* Is option i named in some constraint? A text search for the name not
 * inside a longer word: it can only answer yes too often (a name inside
 * a quoted label, say), which costs time, never correctness. */
static bool constrained(const struct l4p_space *space, size_t i)
{
  const char *name = l4p_space_option(space, i)->name;
  size_t len = strlen(name);
  for (size_t k = 0; k < l4p_space_n_constraints(space); k++) {
    const char *text = l4p_space_constraint_text(space, k);
    for (const char *p = text; (p = strstr(p, name)); p++)
      if ((p == text || !word_char(p[-1])) && !word_char(p[len]))
        return true;
  }
  return false;
}

/* Can the discretised space hold option a at level la (and b at lb when
 * b < k)? Exact when the constraint groups are small enough to list. */
static l4p_status feasible(struct cover *c, size_t a, size_t la, size_t b,
                           size_t lb, bool *ok)
{
  struct l4p_space *sp = l4p_space_clone(c->lvspace);
  if (!sp)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p_space_fix(sp, c->ds->free[a], c->lv[c->lv_off[a] + la]);
  if (!st && b < c->k)
    st = l4p_space_fix(sp, c->ds->free[b], c->lv[c->lv_off[b] + lb]);
  size_t bad;
  if (!st) {
    *ok = l4p_space_check_satisfiable(sp, &bad) == L4P_OK;
    l4p_clear_error();
  }
  l4p_space_free(sp);
  return st;
}

/* Decide which cells are coverable: by listing the discretised space when
 * it is small, else option by option and pair by pair. */
static l4p_status find_coverable(struct cover *c)
{
  double *all = NULL;
  size_t n_all = 0;
  if (l4p_space_enumerate(c->lvspace, LIST_LIMIT, &all, &n_all) == L4P_OK) {
    /* mark what the listed configurations hold, then flip: held cells
     * are the coverable ones, the others are excluded */
    memset(c->state, UNCOVERED, c->n_cells);
    c->n_uncovered = c->n_cells;
    for (size_t r = 0; r < n_all; r++)
      mark_cfg(c, all + r * c->ds->d);
    free(all);
    for (size_t x = 0; x < c->n_cells; x++)
      c->state[x] = c->state[x] == COVERED ? UNCOVERED : EXCLUDED;
  } else {
    /* an unsatisfiable discretised space covers nothing at all */
    size_t bad;
    l4p_clear_error();
    bool any = l4p_space_check_satisfiable(c->lvspace, &bad) == L4P_OK;
    l4p_clear_error();
    memset(c->state, any ? UNCOVERED : EXCLUDED, c->n_cells);
    bool *cons = calloc(c->k + 1, sizeof *cons);
    bool *single = calloc(c->n_levels + 1, sizeof *single);
    l4p_status st =
        cons && single ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
    for (size_t a = 0; !st && any && a < c->k; a++) {
      cons[a] = constrained(c->ds->space, c->ds->free[a]);
      for (size_t la = 0; !st && la < c->n_lv[a]; la++)
        if (!(single[c->lv_off[a] + la] = !cons[a]))
          st = feasible(c, a, la, c->k, 0, &single[c->lv_off[a] + la]);
    }
    for (size_t a = 0; !st && any && a < c->k; a++)
      for (size_t b = a + 1; !st && b < c->k; b++)
        for (size_t la = 0; !st && la < c->n_lv[a]; la++)
          for (size_t lb = 0; !st && lb < c->n_lv[b]; lb++) {
            bool ok = single[c->lv_off[a] + la] && single[c->lv_off[b] + lb];
            if (ok && cons[a] && cons[b])
              st = feasible(c, a, la, b, lb, &ok);
            c->state[cell(c, a, la, b, lb)] = ok ? UNCOVERED : EXCLUDED;
          }
    free(cons);
    free(single);
    if (st)
      return st;
  }
  c->n_uncovered = c->n_excluded = 0;
  for (size_t x = 0; x < c->n_cells; x++) {
    c->n_uncovered += c->state[x] == UNCOVERED;
    c->n_excluded += c->state[x] == EXCLUDED;
  }
  return L4P_OK;
}

/* Uncovered pairs per option level, for choosing where a row starts. */
static void count_uncovered(struct cover *c)
{
  memset(c->count, 0, c->n_levels * sizeof *c->count);
  for (size_t a = 0; a < c->k; a++)
    for (size_t b = a + 1; b < c->k; b++)
      for (size_t la = 0; la < c->n_lv[a]; la++)
        for (size_t lb = 0; lb < c->n_lv[b]; lb++)
          if (c->state[cell(c, a, la, b, lb)] == UNCOVERED) {
            c->count[c->lv_off[a] + la]++;
            c->count[c->lv_off[b] + lb]++;
          }
}

/* One greedy candidate row into c->row (level indices). */
static void candidate(struct cover *c, struct l4p_rng *rng)
{
  size_t best = 0, ties = 0, first = 0, first_lv = 0;
  for (size_t j = 0; j < c->k; j++)
    for (size_t l = 0; l < c->n_lv[j]; l++) {
      size_t n = c->count[c->lv_off[j] + l];
      if (n > best || ties == 0) {
        best = n, ties = 1, first = j, first_lv = l;
      } else if (n == best && l4p_rng_below(rng, ++ties) == 0) {
        first = j, first_lv = l;
      }
    }
  for (size_t j = 0; j < c->k; j++)
    c->order[j] = j;
  l4p_rng_shuffle(rng, c->order, c->k);
  c->row[first] = first_lv;
  for (size_t p = 0; p < c->k; p++) {
    size_t j = c->order[p];
    if (j == first)
      continue;
    size_t top = 0, n_top = 0;
    for (size_t l = 0; l < c->n_lv[j]; l++) {
      size_t gain = c->state[cell(c, j, l, first, first_lv)] == UNCOVERED;
      for (size_t q = 0; q < p; q++) {
        size_t o = c->order[q];
        if (o != first)
          gain += c->state[cell(c, j, l, o, c->row[o])] == UNCOVERED;
      }
      if (l == 0 || gain > top) {
        top = gain, n_top = 1, c->row[j] = l;
      } else if (gain == top && l4p_rng_below(rng, ++n_top) == 0) {
        c->row[j] = l;
      }
    }
  }
}

/* New pairs cfg would cover (cfg on levels; off-level options count 0). */
static size_t gain_of(struct cover *c, const double *cfg)
{
  size_t n = 0;
  for (size_t j = 0; j < c->k; j++)
    c->row[j] = level_of(c, j, cfg[c->ds->free[j]]);
  for (size_t a = 0; a < c->k; a++)
    for (size_t b = a + 1; b < c->k; b++)
      n += c->row[a] != SIZE_MAX && c->row[b] != SIZE_MAX &&
           c->state[cell(c, a, c->row[a], b, c->row[b])] == UNCOVERED;
  return n;
}

/* A valid, untaken row holding the first uncovered pair, into cfg;
 * *found false (and the pair marked unreachable) when none is drawn. */
static l4p_status targeted(struct cover *c, double *cfg, bool *found)
{
  *found = false;
  size_t x = 0;
  while (c->state[x] != UNCOVERED)
    x++;
  size_t a = 0, b = 1;
  for (size_t p = 0; p + 1 < c->k; p++)
    for (size_t q = p + 1; q < c->k; q++)
      if (x >= c->pair_off[p * c->k + q])
        a = p, b = q;
  size_t rel = x - c->pair_off[a * c->k + b];
  struct l4p_space *sp = l4p_space_clone(c->lvspace);
  l4p_status st = sp ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4p_space_fix(sp, c->ds->free[a],
                       c->lv[c->lv_off[a] + rel / c->n_lv[b]]);
  if (!st)
    st = l4p_space_fix(sp, c->ds->free[b],
                       c->lv[c->lv_off[b] + rel % c->n_lv[b]]);
  for (int t = 0; !st && !*found && t < TARGET_TRIES; t++) {
    if (l4p_space_sample_uniform(sp, c->ds->s->rng, cfg) != L4P_OK) {
      l4p_clear_error();
      break;
    }
    *found = !l4px_cfgset_contains(&c->ds->taken, cfg);
  }
  l4p_space_free(sp);
  if (!st && !*found) {
    c->state[x] = EXCLUDED;
    c->n_uncovered--;
    c->n_unreachable++;
  }
  return st;
}

/* Rows of the covering array into the design's output, best first. */
static l4p_status build(struct cover *c, double *cfg, double *best)
{
  struct l4p__design *ds = c->ds;
  struct l4p_rng *rng = ds->s->rng;
  while (c->n_uncovered && ds->got < ds->n) {
    count_uncovered(c);
    size_t top = 0;
    for (int t = 0; t < CANDIDATES; t++) {
      candidate(c, rng);
      memcpy(cfg, ds->base, ds->d * sizeof *cfg);
      for (size_t j = 0; j < c->k; j++)
        cfg[ds->free[j]] = c->lv[c->lv_off[j] + c->row[j]];
      if (l4p_space_validate(c->lvspace, cfg) != L4P_OK) {
        l4p_status st = l4p_space_repair(c->lvspace, cfg);
        if (st == L4P_ENOMEM)
          return st;
        if (st || l4p_space_validate(c->lvspace, cfg) != L4P_OK)
          continue;
      }
      if (l4px_cfgset_contains(&ds->taken, cfg))
        continue;
      size_t gain = gain_of(c, cfg);
      if (gain > top) {
        top = gain;
        memcpy(best, cfg, ds->d * sizeof *cfg);
      }
    }
    l4p_clear_error();
    if (top == 0) {
      bool found;
      l4p_status st = targeted(c, best, &found);
      if (st)
        return st;
      if (!found)
        continue;
    }
    mark_cfg(c, best);
    bool added;
    l4p_status st = l4p__design_offer(ds, best, &added);
    if (st)
      return st;
  }
  return L4P_OK;
}

static void cover_release(struct cover *c)
{
  free(c->n_lv);
  free(c->lv_off);
  free(c->lv);
  free(c->pair_off);
  free(c->state);
  free(c->count);
  free(c->row);
  free(c->order);
  l4p_space_free(c->lvspace);
}

/* One line on what the array covered, kept for the campaign's events. */
static void write_note(struct l4p_sampler *s, const struct cover *c,
                       size_t rows)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t coverable = c->n_cells - c->n_excluded;
  l4px_sb_printf(&sb,
                 "twise: %zu rows cover %zu of %zu coverable value "
                 "pairs of %zu options",
                 rows, coverable - c->n_uncovered - c->n_unreachable, coverable,
                 c->k);
  if (c->n_excluded)
    l4px_sb_printf(&sb,
                   "; %zu pairs excluded (no valid configuration "
                   "holds them)",
                   c->n_excluded);
  if (c->n_unreachable)
    l4px_sb_printf(&sb,
                   "; %zu pairs not reached (held only by failed "
                   "configurations, or no row found)",
                   c->n_unreachable);
  if (c->n_uncovered)
    l4px_sb_printf(&sb, "; the budget left %zu pairs uncovered",
                   c->n_uncovered);
  l4p__noted_set(s, l4px_sb_detach(&sb));
}

/* The covering rows; the note tells how well they cover. */
static l4p_status twise_build(struct l4p__design *ds)
{
  const struct l4p_history *h = ds->h;
  struct cover c = {.ds = ds, .k = ds->n_free};
  double *cfg = malloc((ds->d ? ds->d : 1) * sizeof *cfg);
  double *best = malloc((ds->d ? ds->d : 1) * sizeof *best);
  l4p_status st = L4P_OK;
  if (!cfg || !best)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && c.k >= 2 && !(st = make_levels(&c)) &&
      !(st = make_level_space(&c)) && !(st = find_coverable(&c))) {
    for (size_t r = 0; h && r < h->n; r++)
      mark_cfg(&c, h->configs + r * ds->d);
    st = build(&c, cfg, best);
    if (!st)
      write_note(ds->s, &c, ds->got);
  }
  free(cfg);
  free(best);
  cover_release(&c);
  return st;
}

static l4p_status twise_propose(struct l4p_sampler *s,
                                const struct l4p_history *h, size_t n,
                                double *out, size_t *n_out)
{
  return l4p__design_propose(s, h, n, out, n_out, twise_build);
}

const struct l4p_sampler_ops l4p_sampler_twise = {
    .name = "twise",
    .summary = "pairwise covering array, then random fill",
    .numeric_help = "numeric options with more than 5 values (and "
                    "continuous ones) are covered on 5 levels at evenly "
                    "spaced quantiles, ends included; the random fill "
                    "uses every value",
    .sequential = false,
    .create = l4p__noted_create,
    .propose = twise_propose,
    .destroy = l4p__noted_destroy,
    .notes = l4p__noted_notes,
};
