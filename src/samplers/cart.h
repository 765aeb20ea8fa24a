/* A small regression tree (CART: Breiman et al. 1984), the surrogate of
 * the flash sampler: binary splits "feature <= threshold" chosen to reduce
 * the squared error most, leaves predicting their mean. */
#ifndef L4P_SAMPLERS_CART_H
#define L4P_SAMPLERS_CART_H

#include <stddef.h>

#include "llm4perf/status.h"

struct l4p__cart_params {
  size_t min_leaf;  /* fewest samples in a leaf (>= 1) */
  size_t max_depth; /* 0: the root only */
};

struct l4p__cart;

/* Fit a tree to n rows of p features (x, row-major) and targets y. A split
 * is made only when both sides keep min_leaf rows and the error drops;
 * thresholds lie halfway between neighbouring distinct values, ties go to
 * the first feature. *tree gets a new tree (l4p__cart_free it); EUSAGE
 * when n is 0, ENOMEM. */
l4p_status l4p__cart_fit(const double *x, const double *y, size_t n, size_t p,
                         const struct l4p__cart_params *params,
                         struct l4p__cart **tree);

/* The prediction for one feature row of p values. */
double l4p__cart_predict(const struct l4p__cart *tree, const double *x);

/* Number of leaves (for tests). */
size_t l4p__cart_leaves(const struct l4p__cart *tree);

void l4p__cart_free(struct l4p__cart *tree);

#endif
