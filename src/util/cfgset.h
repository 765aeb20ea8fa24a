/* A hash set of configurations (arrays of d doubles), for de-duplicating
 * proposals against each other and against what was already measured. */
#ifndef L4P_UTIL_CFGSET_H
#define L4P_UTIL_CFGSET_H

#include <stdbool.h>
#include <stddef.h>

struct l4px_cfgset {
  size_t d, n, cap;
  double *items; /* cap x d */
  bool *used;
};

void l4px_cfgset_init(struct l4px_cfgset *set, size_t d);
void l4px_cfgset_release(struct l4px_cfgset *set);
bool l4px_cfgset_contains(const struct l4px_cfgset *set, const double *cfg);
/* Add cfg; returns 1 when added, 0 when already present, -1 on ENOMEM. */
int l4px_cfgset_add(struct l4px_cfgset *set, const double *cfg);

#endif
