/* Builders and checks shared by the configuration-space unit tests
 * (test_space.c, test_space_expr.c, test_space_count.c): options made in
 * one call, options and constraints added or the test failed, the
 * brute-force list of valid configurations that counting, repair and
 * enumeration are checked against, small random constrained spaces, and
 * the exact count as text.
 * Include after cmocka's prerequisites and cmocka.h. */
#ifndef L4P_SPACE_BUILD_H
#define L4P_SPACE_BUILD_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "llm4perf/rng.h"
#include "llm4perf/space.h"
#include "testutil.h" /* assert_same */

/* Doubles equal within 1e-9 (cmocka 1.1 only compares integers). */
#define assert_near(got, want)                                    \
  do {                                                            \
    double got_ = (got), want_ = (want);                          \
    if (!(fabs(got_ - want_) <= 1e-9))                            \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_); \
  } while (0)

/* The call fails with status want and a message containing msg. */
#define assert_fails(call, want, msg)                                          \
  do {                                                                         \
    l4p_status st_ = (call);                                                   \
    if (st_ != (want))                                                         \
      fail_msg("%s gave %s (%s), expected %s", #call, l4p_status_name(st_),    \
               l4p_last_error(), l4p_status_name(want));                       \
    if (!strstr(l4p_last_error(), (msg)))                                      \
      fail_msg("%s: message '%s' lacks '%s'", #call, l4p_last_error(), (msg)); \
  } while (0)

/* ---------------------------------------------------------- builders */

/* Option descriptions for l4p_space_add_option, which copies them: name,
 * values and labels stay the caller's. */
struct l4p_option opt_bool(const char *name, double def);
struct l4p_option opt_int(const char *name, double min, double max, double step,
                          double def);
struct l4p_option opt_float(const char *name, double min, double max,
                            double step, double def);
struct l4p_option opt_list(const char *name, enum l4p_option_type t,
                           double *values, size_t n, double def);
struct l4p_option opt_enum(const char *name, char **labels, size_t n,
                           double def);

/* Add the option, or the constraint, to s; fail the test when refused. */
void add(struct l4p_space *s, struct l4p_option o);
void constrain(struct l4p_space *s, const char *text);

/* x264's motion estimation labels: dia, hex, umh. */
extern char *me_labels[3];

/* ------------------------------------------------------- brute force */

/* Every valid configuration of a space without continuous options, by
 * walking the full product of the (free) domains and validating each. */
struct cfglist {
  size_t n, d;
  double *cfg;  /* n x d */
  size_t total; /* size of the product walked */
};

/* Fill out with the valid configurations of s in product order (fixed
 * options at their value); out->cfg is the caller's to free(). */
void brute_force(const struct l4p_space *s, struct cfglist *out);
/* The index of cfg in l, or -1 when absent. */
ptrdiff_t find_cfg(const struct cfglist *l, const double *cfg);

/* A random space of 2..6 discrete options and 1..4 random constraints
 * (some with dashed names, some unsatisfiable); l4p_space_free() it. */
struct l4p_space *random_space(struct l4p_rng *rng);

/* ---------------------------------------------------------- counting */

/* The exact count of s as decimal text (compared as a string; free() it).
 * *exact, when exact is not NULL, says whether the count is exact. */
char *count_text(const struct l4p_space *s, bool *exact);
/* The count of s is exactly want. */
void assert_count(const struct l4p_space *s, size_t want);

#endif
