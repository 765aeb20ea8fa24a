/* Internals shared by sampler implementations: the registry's entries and
 * helpers every sampler uses (the set of configurations already taken). */
#ifndef L4P_SAMPLER_INT_H
#define L4P_SAMPLER_INT_H

#include "llm4perf/sampler.h"
#include "util/cfgset.h"

extern const struct l4p_sampler_ops l4p_sampler_random;
extern const struct l4p_sampler_ops l4p_sampler_lhs;
extern const struct l4p_sampler_ops l4p_sampler_sobol;
extern const struct l4p_sampler_ops l4p_sampler_twise;
extern const struct l4p_sampler_ops l4p_sampler_pbd;
extern const struct l4p_sampler_ops l4p_sampler_dds;
extern const struct l4p_sampler_ops l4p_sampler_ddiv;
extern const struct l4p_sampler_ops l4p_sampler_flash;
extern const struct l4p_sampler_ops l4p_sampler_nsga3;
extern const struct l4p_sampler_ops l4p_sampler_llm4perf;

/* Fill set with the history's measured and failed configurations.
 * -1 when out of memory. */
int l4p__taken_from_history(struct l4px_cfgset *set,
                            const struct l4p_history *h, size_t d);

#endif
