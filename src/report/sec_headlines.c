/* The headline counts of summary.json as tables: best in X of Y error
 * scenarios, pruning improved S in X of Y, best predicted front in X of
 * Y; one column for all systems and one per number of objectives, the
 * largest X of each column in bold.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/banned.h"

#define MAX_COLS 8

/* The objective counts of the list: 0 (all systems) first, ascending. */
static size_t columns(const struct l4p__rcounts *c, size_t *ks)
{
  size_t n = 0;
  for (size_t i = 0; i < c->n; i++) {
    size_t j = 0;
    while (j < n && ks[j] != c->c[i].k)
      j++;
    if (j == n && n < MAX_COLS)
      ks[n++] = c->c[i].k;
  }
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && ks[j - 1] > ks[j]; j--) {
      size_t t = ks[j];
      ks[j] = ks[j - 1];
      ks[j - 1] = t;
    }
  return n;
}

static const struct l4p__rcount *find(const struct l4p__rcounts *c,
                                      const struct l4p__rcount *row, size_t k)
{
  for (size_t i = 0; i < c->n; i++)
    if (c->c[i].k == k && c->c[i].pruned == row->pruned &&
        !strcmp(c->c[i].sampler, row->sampler))
      return &c->c[i];
  return NULL;
}

/* Is row the first of its (sampler, pruned) in the list? */
static bool first_of_row(const struct l4p__rcounts *c, size_t i)
{
  for (size_t j = 0; j < i; j++)
    if (c->c[j].pruned == c->c[i].pruned &&
        !strcmp(c->c[j].sampler, c->c[i].sampler))
      return false;
  return true;
}

/* The counts c as a table; pruning: rows name samplers, whose counts
 * are about their pruned variants, and show ties. */
static void table(struct l4p__doc *d, const struct l4p__rcounts *c,
                  const char *first, bool pruning)
{
  size_t ks[MAX_COLS], n = columns(c, ks), top[MAX_COLS] = {0};
  for (size_t i = 0; i < c->n; i++)
    for (size_t j = 0; j < n; j++)
      if (c->c[i].k == ks[j] && c->c[i].x > top[j] &&
          strcmp(c->c[i].sampler, "all"))
        top[j] = c->c[i].x;
  l4p__doc_table(d, n + 1);
  l4p__doc_cell(d, 0, false, "%s", first);
  for (size_t j = 0; j < n; j++) {
    if (ks[j])
      l4p__doc_cell(d, 0, false, "%zu objectives", ks[j]);
    else
      l4p__doc_cell(d, 0, false, "all systems");
  }
  for (size_t i = 0; i < c->n; i++) {
    if (!first_of_row(c, i))
      continue;
    bool all = !strcmp(c->c[i].sampler, "all");
    l4p__doc_cell(d, 0, false, "%s%s", all ? "all samplers" : c->c[i].sampler,
                  c->c[i].pruned && !pruning ? "+pruned" : "");
    for (size_t j = 0; j < n; j++) {
      const struct l4p__rcount *v = find(c, &c->c[i], ks[j]);
      if (!v)
        l4p__doc_cell(d, 0, false, L4P__NONE);
      else if (pruning && v->ties)
        l4p__doc_cell(d, 0, false, "%zu of %zu (%zu ties)", v->x, v->y,
                      v->ties);
      else
        l4p__doc_cell(d, 0, !all && v->x && v->x == top[j], "%zu of %zu", v->x,
                      v->y);
    }
  }
}

/* See report-int.h. */
l4p_status l4p__sec_headlines(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p__doc_heading(d, 2, "headlines", "Headlines");
  l4p__doc_text(d, "A treatment is best in a scenario when it has the "
                   "lowest mean among the treatments Scott-Knott ESD ranks "
                   "first; ties are best together, so a column's X can add up "
                   "to more than Y. Error scenarios are system x objective x "
                   "budget x model (MRE, %%); front scenarios are system x "
                   "budget x model (hypervolume ratio).");
  l4p__doc_heading(d, 3, NULL, "Best in X of Y error scenarios (MRE)");
  if (st->best.n)
    table(d, &st->best, "treatment", false);
  else
    l4p__doc_note(d, "No error scenario.");
  l4p__doc_heading(d, 3, NULL,
                   "Pruning improved the sampler in X of Y "
                   "scenarios (mean MRE with pruning below without)");
  if (st->pruning.n) {
    table(d, &st->pruning, "sampler", true);
    l4p__doc_note(d, "Ties: equal means with and without pruning, as where "
                     "the decisions prune nothing and both treatments share "
                     "their samples.");
  } else {
    l4p__doc_note(d, "No sampler runs both with and without pruning.");
  }
  l4p__doc_heading(d, 3, NULL,
                   "Best predicted Pareto front in X of Y "
                   "scenarios (hypervolume ratio)");
  if (st->best_front.n)
    table(d, &st->best_front, "treatment", false);
  else
    l4p__doc_note(d, "No front scenario.");
  return L4P_OK;
}
