/* Shared machinery of the design-based samplers (lhs, sobol, twise, pbd):
 * they build points over the free options, then every point goes through
 * the same funnel here: fixed options at their values, invalid points
 * repaired, duplicates (of the history, of failures, of each other)
 * dropped, and a uniform random fill when a design runs short. */
#ifndef L4P_DESIGN_INT_H
#define L4P_DESIGN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sampler-int.h"

/* One propose call of a design-based sampler. */
struct l4p__design {
  struct l4p_sampler *s;
  const struct l4p_space *space;
  size_t d;                 /* options per configuration */
  size_t n_free;            /* options the design varies */
  size_t *free;             /* their indices, in option order */
  double *base;             /* defaults, fixed options at fixed values */
  struct l4px_cfgset taken; /* history, failures and accepted points */
  double *out;              /* the caller's n x d array */
  size_t n, got;
  const struct l4p_history *h; /* the call's history, or NULL */
};

/* Offers a sampler's design points (l4p__design_offer, _offer_rows) until
 * the output is full or the design is spent; OK or the first error. */
typedef l4p_status l4p__design_build_fn(struct l4p__design *ds);

/* The propose op of a design-based sampler: start the call (s->rng
 * reseeded from the sampler's seed and the history's size, so the same
 * seed and history give the same proposals whatever came before), build
 * the design, fill what it left with uniform draws among valid, untaken
 * configurations, and release the call. Free options are those not fixed
 * and with more than one value. *n_out is the number proposed, set on
 * failure too. */
l4p_status l4p__design_propose(struct l4p_sampler *s,
                               const struct l4p_history *h, size_t n,
                               double *out, size_t *n_out,
                               l4p__design_build_fn *build);

/* Offer a candidate: repaired in place when invalid, then appended to the
 * output when new. *added says whether it was taken. ECONSTR only when no
 * valid configuration exists at all. */
l4p_status l4p__design_offer(struct l4p__design *ds, double *cfg, bool *added);

/* Fills in cfg, which holds ds->base on entry, the values row r of a
 * design gives the free options; arg is the sampler's own. */
typedef void l4p__design_row_fn(struct l4p__design *ds, size_t r, void *arg,
                                double *cfg);

/* Offer rows 0 .. n_rows - 1 of a design in order, each made by row over
 * the defaults, until the output is full. Stops at the first error of
 * l4p__design_offer (ECONSTR, ENOMEM). */
l4p_status l4p__design_offer_rows(struct l4p__design *ds, size_t n_rows,
                                  l4p__design_row_fn *row, void *arg);

/* The value of opt at unit coordinate u in [0, 1): the value of index
 * floor(u * cardinality), or min + u * (max - min) when continuous. */
double l4p__unit_value(const struct l4p_option *opt, double u);

/* Level l of n_levels (n_levels >= 2) spread evenly over the option's
 * value index space, ends included: the quantiles 0, 1/(n-1), ..., 1 of
 * its values (rounded to the nearest index), or of [min, max]. */
double l4p__level_value(const struct l4p_option *opt, size_t l,
                        size_t n_levels);

/* Samplers whose only state is a one-line note on their last propose
 * call (twise's excluded pairs, pbd's design size): ops create, destroy
 * and notes, and a setter taking ownership of the note. */
l4p_status l4p__noted_create(struct l4p_sampler *s);
void l4p__noted_destroy(struct l4p_sampler *s);
const char *l4p__noted_notes(struct l4p_sampler *s);
void l4p__noted_set(struct l4p_sampler *s, char *note);

/* A 64-bit mix of a seed with two counters (splitmix64 finaliser). */
uint64_t l4p__mix_seed(uint64_t seed, uint64_t a, uint64_t b);

/* Plackett-Burman design behind the pbd sampler (pbd.c): n2 two-level and
 * n4 four-level columns, one row per run, levels row-major into a new
 * n_rows x (n2 + n4) array (free() it), two-level columns first. Columns
 * are assigned, flipped and rows ordered at random from rng; the array is
 * orthogonal (every pair of columns shows each level pair equally often).
 * ENOMEM only. */
l4p_status l4p__pbd_design(size_t n2, size_t n4, struct l4p_rng *rng,
                           unsigned char **levels, size_t *n_rows);

#endif
