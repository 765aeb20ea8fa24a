/* Counting the valid configurations of a space exactly: the product over
 * groups of their valid assignments times the value counts of the options
 * no constraint touches, in arbitrary precision.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "space-int.h"
#include "util/bignum.h"
#include "util/failf.h"
#include "util/banned.h"

l4p_status l4p_space_count(const struct l4p_space *space,
                           struct l4p_space_size *size)
{
  const struct l4p__analysis *a = l4p__space_analysis(space);
  if (!a)
    return l4p_failf_keep(L4P_ENOMEM, "out of memory");
  struct l4px_bignum count;
  l4px_bignum_init(&count, 1);
  size->infinite = false;
  size->exact = true;
  for (size_t i = 0; i < space->n_options; i++) {
    if (a->group_of[i] >= 0 && a->groups[a->group_of[i]].enumerated)
      continue;
    size_t card = l4p__free_cardinality(&space->options[i]);
    if (card == 0)
      size->infinite = true;
    else
      l4px_bignum_mul(&count, card);
    if (a->group_of[i] >= 0)
      size->exact = false; /* group too big to list: an upper bound */
  }
  for (size_t g = 0; g < a->n_groups; g++) {
    if (!a->groups[g].enumerated)
      continue;
    l4px_bignum_mul(&count, a->groups[g].n_valid);
    if (a->groups[g].n_valid == 0) {
      /* a listed group with no valid assignment: exactly 0 valid
       * configurations, however many the continuous or unlisted options
       * would otherwise contribute */
      size->infinite = false;
      size->exact = true;
      break;
    }
  }
  size->decimal =
      size->infinite ? strdup("infinite") : l4px_bignum_decimal(&count);
  size->approx = size->infinite ? INFINITY : l4px_bignum_double(&count);
  bool oom = count.oom || !size->decimal;
  l4px_bignum_release(&count);
  if (oom)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

l4p_status l4p_space_check_satisfiable(const struct l4p_space *space,
                                       size_t *constraint)
{
  const struct l4p__analysis *a = l4p__space_analysis(space);
  if (!a)
    return l4p_failf_keep(L4P_ENOMEM, "out of memory");
  for (size_t g = 0; g < a->n_groups; g++) {
    const struct l4p__group *grp = &a->groups[g];
    if (!grp->enumerated || grp->n_valid > 0)
      continue;
    *constraint = grp->constraints[grp->n_constraints - 1];
    if (grp->n_constraints == 1)
      return l4p_failf(L4P_ECONSTR, "constraint '%s' can never hold",
                       space->constraints[*constraint].text);
    return l4p_failf(L4P_ECONSTR,
                     "constraints cannot all hold together: "
                     "'%s' contradicts %zu other%s on the same options",
                     space->constraints[*constraint].text,
                     grp->n_constraints - 1, grp->n_constraints > 2 ? "s" : "");
  }
  return L4P_OK;
}
