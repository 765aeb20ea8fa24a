/* sobol: scrambled Sobol points over the free options (GSL's
 * gsl_qrng_sobol, up to 40 dimensions). The sequence starts at its first
 * point, the origin (GSL skips it), so the first 2^k points form a whole
 * net: each option's values are then exactly balanced when its number of
 * values is a power of two. Scrambling is Matousek's random linear
 * scramble (a random lower-triangular binary matrix per dimension, which
 * keeps the net property) followed by a random digital shift, both drawn
 * from the seed. Unit coordinates become values by value index
 * floor(u * cardinality), continuous ones min + u * (max - min).
 *
 * More than 40 free options: GSL's reverse Halton sequence (up to 1229
 * dimensions) with a random Cranley-Patterson shift per dimension, and
 * uniform random coordinates beyond 1229; balance at powers of two is then
 * lost. Repaired points that become duplicates are skipped and the
 * sequence continues; after MAX_POINTS_FACTOR points per wanted one, the
 * rest is filled uniformly at random.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>

#include "design-int.h"
#include "util/failf.h"
#include "util/banned.h"

#define SOBOL_MAX_DIM 40    /* gsl_qrng_sobol's limit */
#define HALTON_MAX_DIM 1229 /* gsl_qrng_reversehalton's limit */
#define BITS 30             /* GSL's Sobol points are multiples of 2^-30 */
#define MAX_POINTS_FACTOR 16

struct sobol {
  size_t dim;       /* free options when the sampler was created */
  uint32_t *rows;   /* dim x BITS scramble matrix rows (Sobol) */
  uint32_t *shift;  /* dim digital shifts (Sobol) */
  double *rotation; /* dim Cranley-Patterson shifts (Halton) */
};

static unsigned parity(uint32_t x)
{
  x ^= x >> 16;
  x ^= x >> 8;
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return x & 1u;
}

static uint32_t random_bits(struct l4p_rng *rng)
{
  return (uint32_t)l4p_rng_below(rng, (uint64_t)1 << BITS);
}

static size_t count_free(const struct l4p_space *space)
{
  size_t n = 0;
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    size_t card = l4p_option_cardinality(opt);
    n += !opt->fixed && (card > 1 || (card == 0 && opt->max > opt->min));
  }
  return n;
}

static void sobol_destroy(struct l4p_sampler *s)
{
  struct sobol *so = s->data;
  if (!so)
    return;
  free(so->rows);
  free(so->shift);
  free(so->rotation);
  free(so);
  s->data = NULL;
}

/* Draw the scramble once, from the seed alone, so every propose call of
 * a sampler walks the same sequence. */
static l4p_status sobol_create(struct l4p_sampler *s)
{
  struct sobol *so = calloc(1, sizeof *so);
  if (!so)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  s->data = so;
  so->dim = count_free(s->space);
  size_t dim = so->dim ? so->dim : 1;
  so->rows = malloc(dim * BITS * sizeof *so->rows);
  so->shift = malloc(dim * sizeof *so->shift);
  so->rotation = malloc(dim * sizeof *so->rotation);
  if (!so->rows || !so->shift || !so->rotation) {
    sobol_destroy(s);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t j = 0; j < so->dim; j++) {
    for (unsigned i = 0; i < BITS; i++) {
      /* output digit i (0 = most significant) mixes input digits 0..i */
      uint32_t diagonal = 1u << (BITS - 1 - i);
      uint32_t above = ((1u << BITS) - 1) & ~((diagonal << 1) - 1);
      so->rows[j * BITS + i] = (random_bits(s->rng) & above) | diagonal;
    }
    so->shift[j] = random_bits(s->rng);
    so->rotation[j] = l4p_rng_uniform(s->rng);
  }
  return L4P_OK;
}

/* Scrambled coordinate of an unscrambled Sobol coordinate x in [0, 1). */
static double scramble(const struct sobol *so, size_t j, double x)
{
  uint32_t in = (uint32_t)ldexp(x, BITS), out = 0;
  const uint32_t *rows = so->rows + j * BITS;
  for (unsigned i = 0; i < BITS; i++)
    out |= parity(rows[i] & in) << (BITS - 1 - i);
  return ldexp((double)(out ^ so->shift[j]), -BITS);
}

/* Point number k of the scrambled sequence into u (dim coordinates). */
static void next_point(const struct sobol *so, gsl_qrng *q, size_t k,
                       struct l4p_rng *rng, double *raw, double *u)
{
  size_t dim = so->dim;
  if (dim <= SOBOL_MAX_DIM) {
    if (k == 0)
      memset(raw, 0, dim * sizeof *raw);
    else
      gsl_qrng_get(q, raw);
    for (size_t j = 0; j < dim; j++)
      u[j] = scramble(so, j, raw[j]);
    return;
  }
  size_t low = dim < HALTON_MAX_DIM ? dim : HALTON_MAX_DIM;
  gsl_qrng_get(q, raw);
  for (size_t j = 0; j < dim; j++) {
    double v = j < low ? raw[j] + so->rotation[j] : l4p_rng_uniform(rng);
    u[j] = v >= 1 ? v - 1 : v;
  }
}

/* The sequence being walked, and its scratch coordinates. */
struct walk {
  const struct sobol *so;
  gsl_qrng *q;
  double *raw, *u; /* dim each */
};

/* Point k of the sequence as option values. */
static void walk_row(struct l4p__design *ds, size_t k, void *arg, double *cfg)
{
  struct walk *w = arg;
  next_point(w->so, w->q, k, ds->s->rng, w->raw, w->u);
  for (size_t j = 0; j < ds->n_free; j++) {
    size_t i = ds->free[j];
    cfg[i] = l4p__unit_value(l4p_space_option(ds->space, i), w->u[j]);
  }
}

/* Points of the sequence, at most MAX_POINTS_FACTOR per wanted one. */
static l4p_status sobol_build(struct l4p__design *ds)
{
  size_t dim = ds->n_free;
  struct walk w = {.so = ds->s->data};
  w.raw = malloc((dim ? dim : 1) * sizeof *w.raw);
  w.u = malloc((dim ? dim : 1) * sizeof *w.u);
  l4p_status st = L4P_OK;
  if (!w.raw || !w.u)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  else if (dim && dim == w.so->dim)
    w.q = dim <= SOBOL_MAX_DIM
              ? gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dim)
              : gsl_qrng_alloc(
                    gsl_qrng_reversehalton,
                    (unsigned)(dim < HALTON_MAX_DIM ? dim : HALTON_MAX_DIM));
  if (!st && dim && dim == w.so->dim && !w.q)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && w.q)
    st = l4p__design_offer_rows(ds, MAX_POINTS_FACTOR * ds->n + 1024, walk_row,
                                &w);
  if (w.q)
    gsl_qrng_free(w.q);
  free(w.raw);
  free(w.u);
  return st;
}

static l4p_status sobol_propose(struct l4p_sampler *s,
                                const struct l4p_history *h, size_t n,
                                double *out, size_t *n_out)
{
  return l4p__design_propose(s, h, n, out, n_out, sobol_build);
}

const struct l4p_sampler_ops l4p_sampler_sobol = {
    .name = "sobol",
    .summary = "scrambled Sobol sequence, snapped to valid values",
    .numeric_help = "a unit coordinate u picks value index "
                    "floor(u * values), continuous options min + u * "
                    "(max - min); balanced at powers of two",
    .sequential = false,
    .create = sobol_create,
    .propose = sobol_propose,
    .destroy = sobol_destroy,
};
