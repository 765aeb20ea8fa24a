/* ddiv: diversified distance-based sampling (Kaltenecker et al., ICSE'19).
 * Like dds it draws a distance from the all-off configuration uniformly,
 * but instead of switching random options on it prefers the options (and,
 * for enums and numbers, the values) chosen least often so far, so every
 * option appears about equally often across the sample. Counts include the
 * history, so a resumed or extended campaign keeps balancing.
 * SPDX-License-Identifier: MIT */
#include "distance-int.h"
#include "util/banned.h"

static l4p_status ddiv_propose(struct l4p_sampler *s,
                               const struct l4p_history *h, size_t n,
                               double *out, size_t *n_out)
{
  return l4p__distance_propose(s, h, n, out, n_out, true);
}

const struct l4p_sampler_ops l4p_sampler_ddiv = {
    .name = "ddiv",
    .summary = "distance-based, balancing how often each option is on",
    .numeric_help = "a number counts as 'on' when above its smallest value; "
                    "an 'on' number takes a value from its least used bin "
                    "(up to 16 equal bins over its larger values, or over "
                    "(min, max] when continuous)",
    .sequential = false,
    .propose = ddiv_propose,
};
