/* Sampler instances: creation, the propose call and its safety net. Every
 * proposal is re-validated and de-duplicated here, whatever the
 * implementation did, so the invariants of sampler.h hold for all.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "sampler-int.h"
#include "util/failf.h"
#include "util/banned.h"

int l4p__taken_from_history(struct l4px_cfgset *set,
                            const struct l4p_history *h, size_t d)
{
  for (size_t k = 0; h && k < h->n; k++)
    if (l4px_cfgset_add(set, h->configs + k * d) < 0)
      return -1;
  for (size_t k = 0; h && k < h->n_failed; k++)
    if (l4px_cfgset_add(set, h->failed + k * d) < 0)
      return -1;
  return 0;
}

l4p_status l4p_sampler_new(const struct l4p_sampler_ops *ops,
                           const struct l4p_spec *spec,
                           const struct l4p_space *space, uint64_t seed,
                           size_t budget, struct l4p_sampler **out)
{
  return l4p_sampler_new_env(ops, spec, space, seed, budget, NULL, out);
}

l4p_status l4p_sampler_new_env(const struct l4p_sampler_ops *ops,
                               const struct l4p_spec *spec,
                               const struct l4p_space *space, uint64_t seed,
                               size_t budget, const struct l4p_sampler_env *env,
                               struct l4p_sampler **out)
{
  struct l4p_sampler *s = calloc(1, sizeof *s);
  if (!s || !(s->rng = l4p_rng_new(seed))) {
    free(s);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  s->ops = ops;
  s->spec = spec;
  s->space = space;
  s->seed = seed;
  s->budget = budget;
  if (env) {
    s->params = env->params;
    s->store = env->store;
    s->campaign = env->campaign;
    s->agent = env->agent;
  }
  l4p_status st = ops->create ? ops->create(s) : L4P_OK;
  if (st) {
    l4p_rng_free(s->rng);
    free(s);
    return st;
  }
  *out = s;
  return L4P_OK;
}

l4p_status l4p_sampler_propose(struct l4p_sampler *s,
                               const struct l4p_history *h, size_t n,
                               double *out, size_t *n_out)
{
  size_t d = l4p_space_n_options(s->space), got = 0;
  l4p_status st = s->ops->propose(s, h, n, out, &got);
  if (st)
    return st;
  struct l4px_cfgset taken;
  l4px_cfgset_init(&taken, d);
  if (l4p__taken_from_history(&taken, h, d) < 0) {
    l4px_cfgset_release(&taken);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  size_t kept = 0;
  for (size_t k = 0; k < got && k < n; k++) {
    double *cfg = out + k * d;
    if (l4p_space_validate(s->space, cfg) != L4P_OK) {
      l4px_cfgset_release(&taken);
      return l4p_failf_keep(L4P_ECONSTR,
                            "sampler '%s' proposed an invalid "
                            "configuration",
                            s->ops->name);
    }
    int added = l4px_cfgset_add(&taken, cfg);
    if (added < 0) {
      l4px_cfgset_release(&taken);
      return l4p_failf(L4P_ENOMEM, "out of memory");
    }
    if (added && kept != k)
      memmove(out + kept * d, cfg, d * sizeof *cfg);
    kept += (size_t)added;
  }
  l4px_cfgset_release(&taken);
  l4p_clear_error();
  *n_out = kept;
  return L4P_OK;
}

void l4p_sampler_free(struct l4p_sampler *s)
{
  if (!s)
    return;
  if (s->ops->destroy)
    s->ops->destroy(s);
  l4p_rng_free(s->rng);
  free(s);
}
