/* Internals of the configuration space shared by its files: the space
 * struct, compiled constraint expressions and the "groups" analysis that
 * splits options into independent blocks linked by constraints. */
#ifndef L4P_SPACE_INT_H
#define L4P_SPACE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llm4perf/space.h"

/* Groups whose free value combinations exceed this are not enumerated:
 * counting becomes an upper bound and sampling falls back to rejection. */
#define L4P__GROUP_ENUM_LIMIT (1u << 22)

struct l4p__expr;

struct l4p__constraint {
  char *text;
  struct l4p__expr *expr;
  size_t n_vars;
  size_t *vars; /* option indices the expression reads */
};

/* A set of options linked (transitively) by constraints, with its valid
 * assignments when small enough to list. Each valid assignment is stored
 * as a mixed-radix number over the members' value indices. */
struct l4p__group {
  size_t n_members;
  size_t *members; /* option indices, ascending */
  size_t n_constraints;
  size_t *constraints; /* constraint indices */
  bool enumerated;     /* valid[] holds every valid assignment */
  size_t n_valid;
  uint32_t *valid;
};

struct l4p__analysis {
  size_t n_groups;
  struct l4p__group *groups;
  int *group_of; /* option -> group index, -1 when unconstrained */
};

struct l4p_space {
  size_t n_options, cap_options;
  struct l4p_option *options;
  size_t n_constraints, cap_constraints;
  struct l4p__constraint *constraints;
  size_t n_features;
  /* computed on first use, dropped whenever the space changes */
  pthread_mutex_t lock;
  struct l4p__analysis *analysis;
};

/* Parse text into an expression over space's options. */
l4p_status l4p__expr_parse(const struct l4p_space *space, const char *text,
                           struct l4p__expr **expr, size_t **vars,
                           size_t *n_vars);
double l4p__expr_eval(const struct l4p__expr *expr, const double *cfg);
/* Truth of an expression value: non-zero and not NaN (x/0 is false). */
static inline bool l4p__truth(double v)
{
  return v != 0 && v == v;
}
void l4p__expr_free(struct l4p__expr *expr);
/* How far cfg is from giving expr the truth value want: 0 when it does,
 * else at least 1, growing with the gap of failed comparisons (x >= 70
 * at x = 60 is 11). Lets repair make progress where no single change
 * satisfies a constraint (a sum of many options, "exactly one of"). */
double l4p__expr_violation(const struct l4p__expr *expr, const double *cfg,
                           bool want);

/* The groups analysis, computed once per space state (thread-safe).
 * NULL when out of memory (message set). */
const struct l4p__analysis *l4p__space_analysis(const struct l4p_space *space);
void l4p__analysis_free(struct l4p__analysis *a);
/* Forget the analysis after a change. */
void l4p__space_changed(struct l4p_space *space);

/* Does cfg satisfy the constraints of group g? */
bool l4p__group_satisfied(const struct l4p_space *space,
                          const struct l4p__group *g, const double *cfg);
/* Write valid assignment k of group g into cfg. */
void l4p__group_apply(const struct l4p_space *space, const struct l4p__group *g,
                      uint32_t code, double *cfg);
/* Number of values option i can take: 1 when fixed, else cardinality. */
size_t l4p__free_cardinality(const struct l4p_option *opt);

/* One option's share of l4p_space_distance, in [0, 1] (encode.c). */
double l4p__option_distance(const struct l4p_option *opt, double a, double b);

/* Option bookkeeping (option.c). */
l4p_status l4p__option_copy(struct l4p_option *dst,
                            const struct l4p_option *src);
void l4p__option_release(struct l4p_option *opt);
l4p_status l4p__option_check(const struct l4p_option *opt);

#endif
