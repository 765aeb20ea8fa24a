/* Listing every valid configuration of a small space. The space factors
 * into independent parts (each unconstrained free option, each group's
 * valid assignments), so the valid configurations are exactly the mixed-
 * radix product of the parts: nothing invalid is ever generated.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/banned.h"

struct part {
  size_t option; /* SIZE_MAX for a group */
  const struct l4p__group *group;
  size_t n; /* choices */
};

l4p_status l4p_space_enumerate(const struct l4p_space *space, size_t limit,
                               double **cfgs, size_t *n_out)
{
  const struct l4p__analysis *a = l4p__space_analysis(space);
  if (!a)
    return l4p_failf_keep(L4P_ENOMEM, "out of memory");
  size_t d = space->n_options;
  struct part *parts = malloc((d + a->n_groups + 1) * sizeof *parts);
  if (!parts)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t n_parts = 0;
  double total = 1;
  for (size_t i = 0; i < d; i++) {
    if (a->group_of[i] >= 0)
      continue;
    size_t card = l4p__free_cardinality(&space->options[i]);
    parts[n_parts++] = (struct part){i, NULL, card};
    total *= (double)card;
    if (card == 0) {
      free(parts);
      return l4p_failf(L4P_EUSAGE,
                       "option '%s' is continuous: the space "
                       "cannot be enumerated",
                       space->options[i].name);
    }
  }
  for (size_t g = 0; g < a->n_groups; g++) {
    if (!a->groups[g].enumerated) {
      free(parts);
      return l4p_failf(L4P_EUSAGE, "the space is too large to enumerate");
    }
    parts[n_parts++] =
        (struct part){SIZE_MAX, &a->groups[g], a->groups[g].n_valid};
    total *= (double)a->groups[g].n_valid;
  }
  if (total > (double)limit) {
    free(parts);
    return l4p_failf(L4P_EUSAGE,
                     "the space has %.0f configurations, more "
                     "than the limit of %zu",
                     total, limit);
  }
  size_t n = (size_t)total;
  double *out = malloc((n ? n : 1) * (d ? d : 1) * sizeof *out);
  size_t *digit = calloc(n_parts + 1, sizeof *digit);
  if (!out || !digit) {
    free(out);
    free(digit);
    free(parts);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t r = 0; r < n; r++) {
    double *cfg = out + r * d;
    l4p_space_default_config(space, cfg);
    for (size_t p = 0; p < n_parts; p++) {
      if (parts[p].group)
        l4p__group_apply(space, parts[p].group, parts[p].group->valid[digit[p]],
                         cfg);
      else
        cfg[parts[p].option] =
            space->options[parts[p].option].fixed
                ? space->options[parts[p].option].fixed_value
                : l4p_option_value_at(&space->options[parts[p].option],
                                      digit[p]);
    }
    /* advance the last part fastest, so the first part varies slowest */
    for (size_t p = n_parts; p-- > 0;) {
      if (++digit[p] < parts[p].n)
        break;
      digit[p] = 0;
    }
  }
  free(digit);
  free(parts);
  *cfgs = out;
  *n_out = n;
  return L4P_OK;
}
