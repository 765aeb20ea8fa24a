/* dds: distance-based sampling (Kaltenecker et al., ICSE'19). Uniform
 * sampling over-represents configurations with about half of their options
 * on; dds first draws the distance from the all-off configuration (the
 * number of options on) uniformly, then a configuration at that distance,
 * so small and large configurations are sampled as often as middle ones.
 * The engine is shared with ddiv (distance.c).
 * SPDX-License-Identifier: MIT */
#include "distance-int.h"
#include "util/banned.h"

static l4p_status dds_propose(struct l4p_sampler *s,
                              const struct l4p_history *h, size_t n,
                              double *out, size_t *n_out)
{
  return l4p__distance_propose(s, h, n, out, n_out, false);
}

const struct l4p_sampler_ops l4p_sampler_dds = {
    .name = "dds",
    .summary = "distance-based: distances from all-off drawn uniformly",
    .numeric_help = "a number counts as 'on' when above its smallest value "
                    "(one unit of distance, however far); an 'on' number "
                    "takes any larger allowed value with equal probability, "
                    "continuous ones uniformly in (min, max]",
    .sequential = false,
    .propose = dds_propose,
};
