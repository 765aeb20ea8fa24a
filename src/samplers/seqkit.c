/* Helpers shared by the distance-based and sequential samplers (see
 * seqkit.h): what every one of them needs around its own idea.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seqkit.h"
#include "util/failf.h"
#include "util/banned.h"

/* Spaces up to this size are listed when rejection keeps hitting taken
 * configurations, so a nearly exhausted space still yields its last ones. */
#define LIST_LIMIT 200000

static uint64_t splitmix(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void l4p__seq_reseed(struct l4p_sampler *s, const struct l4p_history *h)
{
  uint64_t n = h ? h->n : 0, failed = h ? h->n_failed : 0;
  uint64_t mixed = splitmix(s->seed ^ splitmix(n ^ splitmix(failed)));
  /* l4p_rng_seed folds 64 bits into 32: fold here so no bits are lost */
  l4p_rng_seed(s->rng, mixed ^ (mixed >> 29));
}

/* The untaken configurations of a listed space, in random order. */
static l4p_status fill_listed(const struct l4p_space *space,
                              struct l4p_rng *rng, struct l4px_cfgset *taken,
                              size_t n, double *out, size_t *got)
{
  double *all = NULL;
  size_t n_all = 0, d = l4p_space_n_options(space);
  if (l4p_space_enumerate(space, LIST_LIMIT, &all, &n_all) != L4P_OK) {
    l4p_clear_error(); /* too big to list: give up as exhausted */
    return L4P_OK;
  }
  size_t *idx = malloc((n_all ? n_all : 1) * sizeof *idx);
  if (!idx) {
    free(all);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < n_all; k++)
    idx[k] = k;
  l4p_rng_shuffle(rng, idx, n_all);
  l4p_status st = L4P_OK;
  for (size_t k = 0; k < n_all && *got < n; k++) {
    const double *cfg = all + idx[k] * d;
    int added = l4px_cfgset_add(taken, cfg);
    if (added < 0) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
      break;
    }
    if (added)
      memcpy(out + (*got)++ * d, cfg, d * sizeof *cfg);
  }
  free(idx);
  free(all);
  return st;
}

l4p_status l4p__seq_fill_random(const struct l4p_space *space,
                                struct l4p_rng *rng, struct l4px_cfgset *taken,
                                size_t n, double *out, size_t *n_out)
{
  size_t d = l4p_space_n_options(space), got = 0, misses = 0;
  *n_out = 0;
  while (got < n && misses < 200 + 20 * n) {
    double *cfg = out + got * d;
    l4p_status st = l4p_space_sample_uniform(space, rng, cfg);
    if (st)
      return st;
    int added = l4px_cfgset_add(taken, cfg);
    if (added < 0)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    got += (size_t)added;
    misses += (size_t)!added;
  }
  l4p_status st = L4P_OK;
  if (got < n)
    st = fill_listed(space, rng, taken, n, out, &got);
  *n_out = got;
  return st;
}

l4p_status l4p__seq_objectives(const struct l4p_sampler *s,
                               const struct l4p_history *h, double **f,
                               size_t **rows, size_t *n_ok, size_t *m_out)
{
  size_t m = s->spec && h && h->values ? s->spec->n_objectives : 0;
  size_t n = m && h ? h->n : 0;
  *f = malloc((n ? n : 1) * (m ? m : 1) * sizeof **f);
  size_t *idx = malloc((n ? n : 1) * sizeof *idx);
  if (!*f || !idx) {
    free(*f);
    free(idx);
    *f = NULL;
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  size_t ok = 0;
  for (size_t k = 0; k < n; k++) {
    const double *v = h->values + k * m;
    bool finite = true;
    for (size_t j = 0; j < m; j++)
      finite &= isfinite(v[j]) != 0;
    if (!finite)
      continue;
    for (size_t j = 0; j < m; j++)
      (*f)[ok * m + j] =
          s->spec->objectives[j].goal == L4P_MAXIMIZE ? -v[j] : v[j];
    idx[ok++] = k;
  }
  if (rows)
    *rows = idx;
  else
    free(idx);
  *n_ok = ok;
  *m_out = m;
  return L4P_OK;
}

bool l4p__seq_is_free(const struct l4p_option *opt)
{
  if (opt->fixed)
    return false;
  size_t card = l4p_option_cardinality(opt);
  return card == 0 ? opt->max > opt->min : card > 1;
}

void l4p__seq_mutate(const struct l4p_option *opt, struct l4p_rng *rng,
                     double *v)
{
  if (!l4p__seq_is_free(opt))
    return;
  size_t card = l4p_option_cardinality(opt);
  if (card == 0) {
    /* polynomial mutation: small moves likely, the whole range possible */
    double u = l4p_rng_uniform(rng), eta = 20, delta;
    if (u < 0.5)
      delta = pow(2 * u, 1 / (eta + 1)) - 1;
    else
      delta = 1 - pow(2 * (1 - u), 1 / (eta + 1));
    double range = opt->max - opt->min, x = *v + delta * range;
    x = x < opt->min ? opt->min : x > opt->max ? opt->max : x;
    if (x == *v) /* stuck at a bound: anywhere else in the range */
      x = opt->min + l4p_rng_uniform(rng) * range;
    *v = x;
    return;
  }
  size_t k = l4p_option_nearest_index(opt, *v), to;
  bool ordered = opt->type == L4P_OPT_INT || opt->type == L4P_OPT_FLOAT;
  if (ordered && card > 2 && l4p_rng_uniform(rng) < 0.5) {
    bool up = k == 0 || (k + 1 < card && l4p_rng_below(rng, 2));
    to = up ? k + 1 : k - 1;
  } else {
    to = (size_t)l4p_rng_below(rng, card - 1);
    to += to >= k;
  }
  *v = l4p_option_value_at(opt, to);
}
