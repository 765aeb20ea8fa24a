/* The engine of the distance-based samplers dds and ddiv (Kaltenecker et
 * al., "Distance-Based Sampling of Software Configuration Spaces",
 * ICSE'19). The distance of a configuration is the number of free options
 * that are "on", i.e. away from their "off" value: false for a bool, the
 * first label for an enum, the smallest value for a number. Options that
 * are fixed or have a single value never count. */
#ifndef L4P_SAMPLERS_DISTANCE_INT_H
#define L4P_SAMPLERS_DISTANCE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "sampler-int.h"

/* Propose up to n configurations: each draws a distance uniformly among
 * those that still have untaken valid configurations, then a configuration
 * at that distance. Plain (diversified false): which options are on, and
 * their values, uniformly at random. Diversified: the options, and the
 * values (in up to 16 bins per option), least often chosen so far in the
 * history and this call, ties at random.
 *
 * Spaces small enough to list are sampled exactly from their list, larger
 * ones constructively: switch d options on, repair, and keep the result
 * only when it is still at distance d and new (a bounded number of tries,
 * after which the distance is dropped for this call). When no distance is
 * left the rest is filled with uniform draws. s->rng is reseeded from the
 * seed and the history. */
l4p_status l4p__distance_propose(struct l4p_sampler *s,
                                 const struct l4p_history *h, size_t n,
                                 double *out, size_t *n_out, bool diversified);

/* The distance of cfg from the all-off configuration of space. */
size_t l4p__distance_of(const struct l4p_space *space, const double *cfg);

#endif
