/* CART regression trees for the flash sampler's surrogate (cart.h). Grown
 * depth first over an index array that each split partitions in place;
 * nodes live in one growing array. With a few hundred rows and tens of
 * features a fit takes well under a millisecond per level.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "util/failf.h"
#include "util/banned.h"

struct node {
  int feature;      /* -1 for a leaf */
  double threshold; /* go left when x[feature] <= threshold */
  double value;     /* mean target of the node's rows */
  size_t left, right;
};

struct l4p__cart {
  size_t n_nodes, cap;
  struct node *nodes;
  size_t p;
};

struct pair {
  double x, y;
};

struct fit {
  const double *x, *y;
  size_t p;
  struct l4p__cart_params params;
  struct l4p__cart *tree;
  size_t *idx;        /* row indices, partitioned by the splits */
  struct pair *pairs; /* scratch for sorting one feature */
};

static int by_x(const void *a, const void *b)
{
  double u = ((const struct pair *)a)->x, v = ((const struct pair *)b)->x;
  return (u > v) - (u < v);
}

/* The best split of rows idx[lo, hi): *feature -1 when none helps. */
static void best_split(struct fit *g, size_t lo, size_t hi, double mean,
                       int *feature, double *threshold)
{
  size_t n = hi - lo, min_leaf = g->params.min_leaf;
  double best = 1e-12; /* gain must beat rounding noise */
  *feature = -1;
  for (size_t f = 0; f < g->p; f++) {
    for (size_t k = 0; k < n; k++) {
      size_t r = g->idx[lo + k];
      g->pairs[k] = (struct pair){g->x[r * g->p + f], g->y[r] - mean};
    }
    qsort(g->pairs, n, sizeof *g->pairs, by_x);
    double total = 0, left = 0;
    for (size_t k = 0; k < n; k++)
      total += g->pairs[k].y;
    for (size_t k = 0; k + 1 < n; k++) {
      left += g->pairs[k].y;
      size_t nl = k + 1, nr = n - nl;
      if (g->pairs[k].x == g->pairs[k + 1].x || nl < min_leaf || nr < min_leaf)
        continue;
      /* squared error saved by the split, targets centred on the mean */
      double right = total - left;
      double gain = left * left / (double)nl + right * right / (double)nr;
      if (gain > best) {
        best = gain;
        *feature = (int)f;
        *threshold = (g->pairs[k].x + g->pairs[k + 1].x) / 2;
      }
    }
  }
}

static long add_node(struct l4p__cart *t, double value)
{
  if (t->n_nodes == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 16;
    struct node *nodes = realloc(t->nodes, cap * sizeof *nodes);
    if (!nodes)
      return -1;
    t->nodes = nodes;
    t->cap = cap;
  }
  t->nodes[t->n_nodes] = (struct node){-1, 0, value, 0, 0};
  return (long)t->n_nodes++;
}

/* Grow the subtree of rows idx[lo, hi); *at gets its node index. */
static l4p_status grow(struct fit *g, size_t lo, size_t hi, size_t depth,
                       size_t *at)
{
  double mean = 0;
  for (size_t k = lo; k < hi; k++)
    mean += g->y[g->idx[k]];
  mean /= (double)(hi - lo);
  long id = add_node(g->tree, mean);
  if (id < 0)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  *at = (size_t)id;
  if (depth >= g->params.max_depth || hi - lo < 2 * g->params.min_leaf)
    return L4P_OK;
  int f;
  double thr = 0;
  best_split(g, lo, hi, mean, &f, &thr);
  if (f < 0)
    return L4P_OK;
  size_t mid = lo;
  for (size_t k = lo; k < hi; k++)
    if (g->x[g->idx[k] * g->p + (size_t)f] <= thr) {
      size_t t = g->idx[k];
      g->idx[k] = g->idx[mid];
      g->idx[mid++] = t;
    }
  size_t left, right;
  l4p_status st = grow(g, lo, mid, depth + 1, &left);
  if (!st)
    st = grow(g, mid, hi, depth + 1, &right);
  if (st)
    return st;
  struct node *nd = &g->tree->nodes[id]; /* after growth: may have moved */
  nd->feature = f;
  nd->threshold = thr;
  nd->left = left;
  nd->right = right;
  return L4P_OK;
}

l4p_status l4p__cart_fit(const double *x, const double *y, size_t n, size_t p,
                         const struct l4p__cart_params *params,
                         struct l4p__cart **tree)
{
  *tree = NULL;
  if (n == 0)
    return l4p_failf(L4P_EUSAGE, "cannot fit a tree to no rows");
  struct fit g = {x,
                  y,
                  p,
                  *params,
                  calloc(1, sizeof *g.tree),
                  malloc(n * sizeof *g.idx),
                  malloc(n * sizeof *g.pairs)};
  if (g.params.min_leaf == 0)
    g.params.min_leaf = 1;
  l4p_status st = L4P_OK;
  if (!g.tree || !g.idx || !g.pairs)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st) {
    g.tree->p = p;
    for (size_t k = 0; k < n; k++)
      g.idx[k] = k;
    size_t root;
    st = grow(&g, 0, n, 0, &root);
  }
  free(g.idx);
  free(g.pairs);
  if (st) {
    l4p__cart_free(g.tree);
    return st;
  }
  *tree = g.tree;
  return L4P_OK;
}

double l4p__cart_predict(const struct l4p__cart *tree, const double *x)
{
  const struct node *nd = &tree->nodes[0];
  while (nd->feature >= 0)
    nd = &tree->nodes[x[nd->feature] <= nd->threshold ? nd->left : nd->right];
  return nd->value;
}

size_t l4p__cart_leaves(const struct l4p__cart *tree)
{
  size_t leaves = 0;
  for (size_t k = 0; k < tree->n_nodes; k++)
    leaves += tree->nodes[k].feature < 0;
  return leaves;
}

void l4p__cart_free(struct l4p__cart *tree)
{
  if (!tree)
    return;
  free(tree->nodes);
  free(tree);
}
