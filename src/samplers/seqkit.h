/* Helpers shared by the distance-based samplers (dds, ddiv) and the
 * sequential ones (flash, nsga3): per-call reseeding, so proposals depend
 * only on the seed and the history; uniform random fill; the history's
 * objectives as minimised values; per-type mutation of one option. */
#ifndef L4P_SAMPLERS_SEQKIT_H
#define L4P_SAMPLERS_SEQKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sampler-int.h"

/* Reseed s->rng from s->seed and the history's size (measured and failed
 * counts). A campaign's history only grows, so every call gets a fresh
 * stream, and a resumed campaign proposes what an uninterrupted one
 * would have proposed from the same history. */
void l4p__seq_reseed(struct l4p_sampler *s, const struct l4p_history *h);

/* Draw up to n valid configurations that are not in taken, uniformly
 * among those, into out (n x n_options), adding each to taken. *n_out
 * says how many: fewer than n only when the space is exhausted. ECONSTR
 * when the constraints admit nothing, ENOMEM. */
l4p_status l4p__seq_fill_random(const struct l4p_space *space,
                                struct l4p_rng *rng, struct l4px_cfgset *taken,
                                size_t n, double *out, size_t *n_out);

/* The measured objectives as values to minimise (maximised objectives
 * negated), for the history rows whose values are all finite: *f gets a
 * new n_ok x m array and *rows (may be NULL) a new array of their history
 * indices (free() both). *m is the spec's objective count (0 without a
 * spec or values, and then *n_ok is 0). ENOMEM only. */
l4p_status l4p__seq_objectives(const struct l4p_sampler *s,
                               const struct l4p_history *h, double **f,
                               size_t **rows, size_t *n_ok, size_t *m);

/* Can option opt take more than one value? (Not fixed, and a domain
 * wider than one value.) */
bool l4p__seq_is_free(const struct l4p_option *opt);

/* Change *v to a different allowed value of opt, by type: a bool flips,
 * an enum takes another label at random, a discrete number moves one
 * step (half the time) or to any other value, a continuous one gets a
 * polynomial perturbation (distribution index 20) within its range.
 * Options that are not free are left alone. */
void l4p__seq_mutate(const struct l4p_option *opt, struct l4p_rng *rng,
                     double *v);

#endif
