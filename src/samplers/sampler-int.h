/* Internals shared by sampler implementations: the registry's entries and
 * helpers every sampler uses (the set of configurations already taken). */
#ifndef L4P_SAMPLER_INT_H
#define L4P_SAMPLER_INT_H

#include "llm4perf/sampler.h"
#include "util/cfgset.h"

extern const struct l4p_sampler_ops l4p_sampler_random;

/* Fill set with the history's measured and failed configurations.
 * -1 when out of memory. */
int l4p__taken_from_history(struct l4px_cfgset *set,
                            const struct l4p_history *h, size_t d);

#endif
