/* pbd: a Plackett-Burman screening design, then its foldover, then
 * uniform random fill up to the budget.
 *
 * Two-valued options (bool, and enums or numbers with two values) take
 * two levels, low and high. With only those, the design is the smallest
 * Plackett-Burman design with enough columns: N = p + 1 runs from the
 * cyclic shifts of the quadratic-residue generator of a prime p = 3 mod 4
 * plus a row of lows (Paley), or N = 2^m runs (Sylvester), whichever is
 * smaller. Options with more values take four levels at the quantiles 0,
 * 1/3, 2/3 and 1 of their values (continuous: of [min, max]); the design
 * is then a 2^m-run Sylvester design where each four-level option replaces
 * three columns a, b and a+b (the method of replacement), which keeps
 * every pair of columns balanced. A prime-level design cannot hold the
 * two-level options in one orthogonal array, which is why four levels.
 *
 * Seeding chooses which columns the options get, flips levels, and orders
 * the runs. The foldover (every level mirrored) follows the design; rows
 * past the budget are dropped, invalid rows repaired, duplicates skipped.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "design-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

static bool is_prime(size_t p)
{
  if (p < 2)
    return false;
  for (size_t q = 2; q * q <= p; q++)
    if (p % q == 0)
      return false;
  return true;
}

static bool power_of_two(size_t n)
{
  return n && !(n & (n - 1));
}

static unsigned parity(size_t x)
{
  unsigned b = 0;
  for (; x; x &= x - 1)
    b ^= 1;
  return b;
}

/* Runs of the smallest two-level design with at least n2 columns. */
static size_t two_level_runs(size_t n2)
{
  for (size_t n = 2;; n++)
    if (n >= n2 + 1 && (power_of_two(n) || (n % 4 == 0 && is_prime(n - 1))))
      return n;
}

/* Paley: row i < p holds high at column i and where j - i is a nonzero
 * quadratic residue mod p; row p is all low. */
static l4p_status paley(size_t p, unsigned char **cols, size_t *n_cols)
{
  unsigned char *residue = calloc(p, 1);
  unsigned char *a = malloc((p + 1) * p);
  if (!residue || !a) {
    free(residue);
    free(a);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t y = 1; y < p; y++)
    residue[y * y % p] = 1;
  for (size_t i = 0; i <= p; i++)
    for (size_t j = 0; j < p; j++)
      a[i * p + j] = i < p && (i == j || residue[(j + p - i) % p]);
  free(residue);
  *cols = a;
  *n_cols = p;
  return L4P_OK;
}

/* Sylvester with replacement: column v of run r is parity(r & v); each
 * four-level factor takes columns u, v and u ^ v, none used elsewhere.
 * quad gets 2 columns per four-level factor, pair the two-level ones.
 * False when 2^m runs cannot hold them. */
static bool sylvester_fits(size_t runs, size_t n2, size_t n4, size_t *quad,
                           size_t *pair)
{
  unsigned char *used = calloc(runs, 1);
  if (!used)
    return false;
  size_t got4 = 0, got2 = 0;
  for (size_t u = 1; u < runs && got4 < n4; u++)
    for (size_t v = u + 1; !used[u] && v < runs && got4 < n4; v++)
      if (!used[v] && !used[u ^ v]) {
        used[u] = used[v] = used[u ^ v] = 1;
        quad[2 * got4] = u;
        quad[2 * got4 + 1] = v;
        got4++;
      }
  for (size_t v = 1; v < runs && got2 < n2; v++)
    if (!used[v])
      pair[got2++] = v;
  free(used);
  return got4 == n4 && got2 == n2;
}

l4p_status l4p__pbd_design(size_t n2, size_t n4, struct l4p_rng *rng,
                           unsigned char **levels, size_t *n_rows)
{
  size_t k = n2 + n4, runs = 2, n_cols = 0;
  unsigned char *paley_cols = NULL;
  size_t *quad = malloc((2 * n4 + 1) * sizeof *quad);
  size_t *pair = malloc((n2 + 1) * sizeof *pair);
  size_t *order = NULL;
  unsigned char *out = NULL, *flip = NULL;
  l4p_status st =
      quad && pair ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  bool use_paley = false;
  if (!st && n4 == 0) {
    runs = two_level_runs(n2);
    use_paley = !power_of_two(runs);
    if (use_paley)
      st = paley(runs - 1, &paley_cols, &n_cols);
    else
      sylvester_fits(runs, n2, 0, quad, pair);
  } else if (!st) {
    while (!sylvester_fits(runs, n2, n4, quad, pair))
      runs *= 2;
  }
  if (!st) {
    order = malloc((runs > n_cols ? runs : n_cols) * sizeof *order);
    out = malloc(runs * (k ? k : 1));
    flip = malloc(2 * k + 1);
    if (!order || !out || !flip)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (!st && use_paley) {
    /* which of the p columns each option gets */
    for (size_t j = 0; j < n_cols; j++)
      order[j] = j;
    l4p_rng_shuffle(rng, order, n_cols);
    for (size_t j = 0; j < n2; j++)
      pair[j] = order[j];
  } else if (!st) {
    l4p_rng_shuffle(rng, pair, n2);
    for (size_t j = 0; j < n4; j++)
      if (l4p_rng_below(rng, 2)) {
        size_t t = quad[2 * j];
        quad[2 * j] = quad[2 * j + 1];
        quad[2 * j + 1] = t;
      }
  }
  for (size_t j = 0; !st && j < 2 * k; j++)
    flip[j] = (unsigned char)l4p_rng_below(rng, 2);
  if (!st) {
    for (size_t r = 0; r < runs; r++)
      order[r] = r;
    l4p_rng_shuffle(rng, order, runs);
  }
  for (size_t r = 0; !st && r < runs; r++) {
    unsigned char *row = out + r * k;
    size_t run = order[r];
    for (size_t j = 0; j < n2; j++)
      row[j] = (unsigned char)((use_paley ? paley_cols[run * n_cols + pair[j]]
                                          : parity(run & pair[j])) ^
                               flip[j]);
    for (size_t j = 0; j < n4; j++) {
      unsigned hi = parity(run & quad[2 * j]) ^ flip[n2 + 2 * j];
      unsigned lo = parity(run & quad[2 * j + 1]) ^ flip[n2 + 2 * j + 1];
      row[n2 + j] = (unsigned char)(2 * hi + lo);
    }
  }
  free(paley_cols);
  free(quad);
  free(pair);
  free(order);
  free(flip);
  if (st) {
    free(out);
    return st;
  }
  *levels = out;
  *n_rows = runs;
  return L4P_OK;
}

/* Write the note kept for the campaign's event log. */
static void write_note(struct l4p_sampler *s, size_t runs, size_t n2, size_t n4,
                       size_t used)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb,
                 "pbd: %zu-run design and its foldover over %zu "
                 "two-level and %zu four-level options; %zu proposals from "
                 "it",
                 runs, n2, n4, used);
  l4p__noted_set(s, l4px_sb_detach(&sb));
}

/* The design's levels for the options at cols, two-level ones first;
 * fold mirrors every level (the foldover). */
struct levels {
  const size_t *cols;
  size_t n2, n4;
  const unsigned char *lv; /* runs x (n2 + n4) */
  bool fold;
};

/* Run r of the design as option values. */
static void level_row(struct l4p__design *ds, size_t r, void *arg, double *cfg)
{
  const struct levels *lev = arg;
  size_t k = lev->n2 + lev->n4;
  for (size_t j = 0; j < k; j++) {
    const struct l4p_option *opt = l4p_space_option(ds->space, lev->cols[j]);
    unsigned l = lev->lv[r * k + j];
    if (j < lev->n2)
      cfg[lev->cols[j]] = l4p_option_value_at(opt, lev->fold ? 1 - l : l);
    else
      cfg[lev->cols[j]] = l4p__level_value(opt, lev->fold ? 3 - l : l, 4);
  }
}

/* The design, then its foldover; the note tells how many it gave. */
static l4p_status pbd_build(struct l4p__design *ds)
{
  /* two-level options first, then the others, as the design's columns */
  size_t *cols = malloc((ds->n_free ? ds->n_free : 1) * sizeof *cols);
  unsigned char *lv = NULL;
  size_t n2 = 0, n4 = 0, runs = 0;
  l4p_status st = cols ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t j = 0; !st && j < ds->n_free; j++)
    if (l4p_option_cardinality(l4p_space_option(ds->space, ds->free[j])) == 2)
      cols[n2++] = ds->free[j];
  for (size_t j = 0; !st && j < ds->n_free; j++)
    if (l4p_option_cardinality(l4p_space_option(ds->space, ds->free[j])) != 2)
      cols[n2 + n4++] = ds->free[j];
  if (!st && n2 + n4 > 0) {
    st = l4p__pbd_design(n2, n4, ds->s->rng, &lv, &runs);
    struct levels lev = {.cols = cols, .n2 = n2, .n4 = n4, .lv = lv};
    for (int fold = 0; !st && fold < 2; fold++) {
      lev.fold = fold;
      st = l4p__design_offer_rows(ds, runs, level_row, &lev);
    }
    if (!st)
      write_note(ds->s, runs, n2, n4, ds->got);
  }
  free(lv);
  free(cols);
  return st;
}

static l4p_status pbd_propose(struct l4p_sampler *s,
                              const struct l4p_history *h, size_t n,
                              double *out, size_t *n_out)
{
  return l4p__design_propose(s, h, n, out, n_out, pbd_build);
}

const struct l4p_sampler_ops l4p_sampler_pbd = {
    .name = "pbd",
    .summary = "Plackett-Burman screening design and its foldover, then "
               "random fill",
    .numeric_help = "two-valued options at their two values; others at "
                    "four levels, the quantiles 0, 1/3, 2/3, 1 of their "
                    "values or range; the random fill uses every value",
    .sequential = false,
    .create = l4p__noted_create,
    .propose = pbd_propose,
    .destroy = l4p__noted_destroy,
    .notes = l4p__noted_notes,
};
