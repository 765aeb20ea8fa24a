/* Unit tests for configuration spaces (src/space/ without the spec files):
 * option domains, value text forms, constraint expressions, validation,
 * exact counting, uniform sampling, repair, enumeration, encoding,
 * distances, pruning, cloning and configuration keys. Counting, repair
 * and enumeration are checked against a brute-force walk over the full
 * product of the domains on small random constrained spaces.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/rng.h"
#include "llm4perf/space.h"
#include "testutil.h"

/* Exact comparison of doubles (cmocka 1.1 only compares integers). */
#define assert_same(got, want)                                          \
  do {                                                                  \
    double got_ = (got), want_ = (want);                                \
    if (!(got_ == want_))                                               \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_);       \
  } while (0)

#define assert_near(got, want)                                          \
  do {                                                                  \
    double got_ = (got), want_ = (want);                                \
    if (!(fabs(got_ - want_) <= 1e-9))                                  \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_);       \
  } while (0)

/* The call fails with status want and a message containing msg. */
#define assert_fails(call, want, msg)                                   \
  do {                                                                  \
    l4p_status st_ = (call);                                            \
    if (st_ != (want))                                                  \
      fail_msg("%s gave %s (%s), expected %s", #call,                   \
               l4p_status_name(st_), l4p_last_error(),                  \
               l4p_status_name(want));                                  \
    if (!strstr(l4p_last_error(), (msg)))                               \
      fail_msg("%s: message '%s' lacks '%s'", #call, l4p_last_error(),  \
               (msg));                                                  \
  } while (0)

/* ---------------------------------------------------------- builders */

static struct l4p_option opt_bool(const char *name, double def)
{
  return (struct l4p_option){.name = (char *)name, .type = L4P_OPT_BOOL,
                             .default_value = def};
}

static struct l4p_option opt_int(const char *name, double min, double max,
                                 double step, double def)
{
  return (struct l4p_option){.name = (char *)name, .type = L4P_OPT_INT,
                             .min = min, .max = max, .step = step,
                             .default_value = def};
}

static struct l4p_option opt_float(const char *name, double min, double max,
                                   double step, double def)
{
  return (struct l4p_option){.name = (char *)name, .type = L4P_OPT_FLOAT,
                             .min = min, .max = max, .step = step,
                             .default_value = def};
}

static struct l4p_option opt_list(const char *name, enum l4p_option_type t,
                                  double *values, size_t n, double def)
{
  return (struct l4p_option){.name = (char *)name, .type = t,
                             .n_values = n, .values = values,
                             .default_value = def};
}

static struct l4p_option opt_enum(const char *name, char **labels, size_t n,
                                  double def)
{
  return (struct l4p_option){.name = (char *)name, .type = L4P_OPT_ENUM,
                             .n_values = n, .labels = labels,
                             .default_value = def};
}

static void add(struct l4p_space *s, struct l4p_option o)
{
  l4p_status st = l4p_space_add_option(s, &o);
  if (st)
    fail_msg("adding '%s': %s", o.name, l4p_last_error());
}

static void constrain(struct l4p_space *s, const char *text)
{
  l4p_status st = l4p_space_add_constraint(s, text);
  if (st)
    fail_msg("constraint '%s': %s", text, l4p_last_error());
}

static char *me_labels[] = {"dia", "hex", "umh"};

/* ------------------------------------------------------- brute force */

/* Every valid configuration of a space without continuous options, by
 * walking the full product of the (free) domains and validating each. */
struct cfglist {
  size_t n, d;
  double *cfg;  /* n x d */
  size_t total; /* size of the product walked */
};

static void brute_force(const struct l4p_space *s, struct cfglist *out)
{
  size_t d = l4p_space_n_options(s);
  size_t total = 1;
  for (size_t i = 0; i < d; i++) {
    const struct l4p_option *o = l4p_space_option(s, i);
    size_t card = o->fixed ? 1 : l4p_option_cardinality(o);
    assert_true(card > 0);
    total *= card;
  }
  out->d = d;
  out->n = 0;
  out->total = total;
  out->cfg = malloc((total ? total : 1) * (d ? d : 1) * sizeof(double));
  assert_non_null(out->cfg);
  double *cfg = malloc((d ? d : 1) * sizeof *cfg);
  for (size_t code = 0; code < total; code++) {
    size_t rest = code;
    for (size_t i = d; i-- > 0;) {
      const struct l4p_option *o = l4p_space_option(s, i);
      size_t card = o->fixed ? 1 : l4p_option_cardinality(o);
      cfg[i] = o->fixed ? o->fixed_value
                        : l4p_option_value_at(o, rest % card);
      rest /= card;
    }
    if (l4p_space_validate(s, cfg) == L4P_OK)
      memcpy(out->cfg + out->n++ * d, cfg, d * sizeof *cfg);
  }
  free(cfg);
}

static ptrdiff_t find_cfg(const struct cfglist *l, const double *cfg)
{
  for (size_t k = 0; k < l->n; k++)
    if (memcmp(l->cfg + k * l->d, cfg, l->d * sizeof *cfg) == 0)
      return (ptrdiff_t)k;
  return -1;
}

/* A random space of 2..6 discrete options and 1..4 random constraints
 * (some with dashed names, some unsatisfiable). */
static struct l4p_space *random_space(struct l4p_rng *rng)
{
  static char *labels[] = {"l0", "l1", "l2", "l3"};
  static double list[] = {-3, 0, 2, 7, 8};
  struct l4p_space *s = l4p_space_new();
  assert_non_null(s);
  size_t n = 2 + (size_t)l4p_rng_below(rng, 5);
  for (size_t i = 0; i < n; i++) {
    char name[16];
    snprintf(name, sizeof name, i % 3 == 2 ? "o-%zu" : "o%zu", i);
    switch (l4p_rng_below(rng, 5)) {
    case 0:
      add(s, opt_bool(name, 0));
      break;
    case 1: {
      double lo = -2 + (double)l4p_rng_below(rng, 4);
      double step = 1 + (double)l4p_rng_below(rng, 2);
      add(s, opt_int(name, lo, lo + 4, step, lo));
      break;
    }
    case 2:
      add(s, opt_list(name, L4P_OPT_INT, list, 3 + l4p_rng_below(rng, 3),
                      0));
      break;
    case 3:
      add(s, opt_enum(name, labels, 2 + l4p_rng_below(rng, 3), 0));
      break;
    default:
      add(s, opt_float(name, 0, 1, 0.25, 0.5));
    }
  }
  /* atoms over one option, combined in pairs */
  size_t n_cons = 1 + (size_t)l4p_rng_below(rng, 4);
  for (size_t c = 0; c < n_cons; c++) {
    char atoms[2][96];
    for (int k = 0; k < 2; k++) {
      size_t i = (size_t)l4p_rng_below(rng, n);
      const struct l4p_option *o = l4p_space_option(s, i);
      size_t card = l4p_option_cardinality(o);
      size_t v = (size_t)l4p_rng_below(rng, card);
      bool neg = l4p_rng_below(rng, 2);
      switch (o->type) {
      case L4P_OPT_BOOL:
        snprintf(atoms[k], sizeof atoms[k], "%s{%s}", neg ? "!" : "",
                 o->name);
        break;
      case L4P_OPT_ENUM:
        snprintf(atoms[k], sizeof atoms[k], "{%s} %s '%s'", o->name,
                 neg ? "!=" : "==", o->labels[v]);
        break;
      default:
        snprintf(atoms[k], sizeof atoms[k], "{%s} %s %.17g", o->name,
                 neg ? "<=" : ">", l4p_option_value_at(o, v));
      }
    }
    static const char *const ops[] = {"||", "&&", "->", "+"};
    const char *op = ops[l4p_rng_below(rng, 4)];
    char text[256];
    if (op[0] == '+')
      snprintf(text, sizeof text, "(%s) + (%s) == 1", atoms[0], atoms[1]);
    else
      snprintf(text, sizeof text, "%s %s %s", atoms[0], op, atoms[1]);
    constrain(s, text);
  }
  return s;
}

/* The exact count of s as decimal text (compared as a string). */
static char *count_text(const struct l4p_space *s, bool *exact)
{
  struct l4p_space_size size;
  l4p_status st = l4p_space_count(s, &size);
  if (st)
    fail_msg("count: %s", l4p_last_error());
  if (exact)
    *exact = size.exact;
  assert_false(size.infinite);
  return size.decimal;
}

static void assert_count(const struct l4p_space *s, size_t want)
{
  bool exact;
  char *got = count_text(s, &exact);
  char text[32];
  snprintf(text, sizeof text, "%zu", want);
  assert_string_equal(got, text);
  assert_true(exact);
  free(got);
}

/* ---------------------------------------------------------- domains */

static void test_domain_bool(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("b", 1));
  const struct l4p_option *o = l4p_space_option(s, 0);
  assert_int_equal(l4p_option_cardinality(o), 2);
  assert_same(l4p_option_value_at(o, 0), 0);
  assert_same(l4p_option_value_at(o, 1), 1);
  assert_same(l4p_option_snap(o, 0.7), 1);
  assert_same(l4p_option_snap(o, 0.2), 0);
  assert_same(l4p_option_snap(o, -5), 0);
  assert_same(l4p_option_snap(o, 9), 1);
  assert_same(l4p_option_snap(o, NAN), 0);
  assert_same(l4p_option_snap(o, INFINITY), 1);
  assert_same(l4p_option_snap(o, -INFINITY), 0);
  assert_true(l4p_option_contains(o, 0));
  assert_true(l4p_option_contains(o, 1));
  assert_false(l4p_option_contains(o, 0.5));
  assert_false(l4p_option_contains(o, 2));
  assert_false(l4p_option_contains(o, NAN));
  assert_false(l4p_option_contains(o, INFINITY));
  assert_same(o->default_value, 1);
  l4p_space_free(s);
}

static void test_domain_int_range(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_int("crf", 0, 51, 1, 23));
  add(s, opt_int("ref", 1, 11, 3, 4)); /* 1 4 7 10: 11 is off the grid */
  add(s, opt_int("neg", -5, -1, 2, -3));
  const struct l4p_option *crf = l4p_space_option(s, 0);
  assert_int_equal(l4p_option_cardinality(crf), 52);
  assert_same(l4p_option_value_at(crf, 51), 51);
  assert_same(l4p_option_snap(crf, 60), 51);
  assert_same(l4p_option_snap(crf, -1), 0);
  assert_same(l4p_option_snap(crf, 2.4), 2);
  assert_same(l4p_option_snap(crf, 2.6), 3);
  assert_same(l4p_option_snap(crf, 1e300), 51);
  assert_same(l4p_option_snap(crf, INFINITY), 51);
  assert_same(l4p_option_snap(crf, -INFINITY), 0);
  assert_same(l4p_option_snap(crf, NAN), 0);
  assert_int_equal(l4p_option_nearest_index(crf, 17.2), 17);
  assert_true(l4p_option_contains(crf, 0));
  assert_true(l4p_option_contains(crf, 51));
  assert_false(l4p_option_contains(crf, 52));
  assert_false(l4p_option_contains(crf, 2.5));
  assert_false(l4p_option_contains(crf, -NAN));

  const struct l4p_option *ref = l4p_space_option(s, 1);
  assert_int_equal(l4p_option_cardinality(ref), 4);
  assert_same(l4p_option_value_at(ref, 3), 10);
  assert_same(l4p_option_snap(ref, 11), 10);
  assert_same(l4p_option_snap(ref, 5.4), 4);
  assert_same(l4p_option_snap(ref, 5.6), 7);
  assert_true(l4p_option_contains(ref, 7));
  assert_false(l4p_option_contains(ref, 11));
  assert_false(l4p_option_contains(ref, 5));

  const struct l4p_option *neg = l4p_space_option(s, 2);
  assert_int_equal(l4p_option_cardinality(neg), 3);
  assert_same(l4p_option_value_at(neg, 1), -3);
  assert_same(l4p_option_snap(neg, 0), -1);
  assert_false(l4p_option_contains(neg, -2));
  l4p_space_free(s);
}

static void test_domain_int_values(void **state)
{
  struct l4p_space *s = l4p_space_new();
  double vals[] = {8, 1, 4, 2}; /* unsorted on input */
  add(s, opt_list("threads", L4P_OPT_INT, vals, 4, 4));
  const struct l4p_option *o = l4p_space_option(s, 0);
  assert_same(vals[0], 8); /* the caller's array is left alone */
  assert_int_equal(l4p_option_cardinality(o), 4);
  assert_same(o->values[0], 1);
  assert_same(o->values[3], 8);
  assert_same(o->min, 1);
  assert_same(o->max, 8);
  assert_same(l4p_option_value_at(o, 2), 4);
  assert_same(l4p_option_snap(o, 5), 4);
  assert_same(l4p_option_snap(o, 6), 4); /* tie: the lower value */
  assert_same(l4p_option_snap(o, 6.5), 8);
  assert_same(l4p_option_snap(o, 100), 8);
  assert_same(l4p_option_snap(o, -100), 1);
  assert_same(l4p_option_snap(o, INFINITY), 8);
  assert_same(l4p_option_snap(o, -INFINITY), 1);
  assert_same(l4p_option_snap(o, NAN), 1);
  assert_same(l4p_option_snap(o, 1.4), 1);
  assert_int_equal(l4p_option_nearest_index(o, 3.1), 2);
  assert_true(l4p_option_contains(o, 2));
  assert_false(l4p_option_contains(o, 3));
  assert_false(l4p_option_contains(o, 0));
  l4p_space_free(s);
}

static void test_domain_float(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_float("q", 0, 1, 0.1, 0.5));
  add(s, opt_float("r", -1, 1, 0, 0));
  double vals[] = {0.5, 0.25, 2};
  add(s, opt_list("v", L4P_OPT_FLOAT, vals, 3, 2));
  const struct l4p_option *q = l4p_space_option(s, 0);
  assert_int_equal(l4p_option_cardinality(q), 11);
  assert_near(l4p_option_value_at(q, 3), 0.3);
  assert_near(l4p_option_snap(q, 0.34), 0.3);
  assert_near(l4p_option_snap(q, 7), 1);
  assert_true(l4p_option_contains(q, 0.3));
  assert_true(l4p_option_contains(q, 1));
  assert_false(l4p_option_contains(q, 0.35));
  assert_false(l4p_option_contains(q, 1.1));

  const struct l4p_option *r = l4p_space_option(s, 1);
  assert_int_equal(l4p_option_cardinality(r), 0);
  assert_same(l4p_option_snap(r, 5), 1);
  assert_same(l4p_option_snap(r, -5), -1);
  assert_same(l4p_option_snap(r, 0.123), 0.123);
  assert_same(l4p_option_snap(r, NAN), -1);
  assert_same(l4p_option_snap(r, INFINITY), 1);
  assert_same(l4p_option_snap(r, -INFINITY), -1);
  assert_true(l4p_option_contains(r, 0.123));
  assert_true(l4p_option_contains(r, -1));
  assert_false(l4p_option_contains(r, 1.0001));
  assert_false(l4p_option_contains(r, NAN));

  const struct l4p_option *v = l4p_space_option(s, 2);
  assert_int_equal(l4p_option_cardinality(v), 3);
  assert_same(l4p_option_value_at(v, 0), 0.25);
  assert_same(l4p_option_snap(v, 1.3), 2);
  assert_same(l4p_option_snap(v, 0.3), 0.25);
  assert_false(l4p_option_contains(v, 1));
  l4p_space_free(s);
}

static void test_domain_enum(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_enum("me", me_labels, 3, 1));
  const struct l4p_option *o = l4p_space_option(s, 0);
  assert_int_equal(l4p_option_cardinality(o), 3);
  assert_same(l4p_option_value_at(o, 2), 2);
  assert_same(l4p_option_snap(o, 7), 2);
  assert_same(l4p_option_snap(o, -1), 0);
  assert_same(l4p_option_snap(o, 1.4), 1);
  assert_same(l4p_option_snap(o, INFINITY), 2);
  assert_true(l4p_option_contains(o, 1));
  assert_false(l4p_option_contains(o, 1.5));
  assert_false(l4p_option_contains(o, 3));
  assert_string_equal(o->labels[1], "hex");
  assert_true(o->labels != me_labels); /* copied */
  l4p_space_free(s);
}

static void test_add_option_checks(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_int("x", 0, 5, 1, 0));
  assert_fails(l4p_space_add_option(s, &(struct l4p_option){
                   .name = "x", .type = L4P_OPT_BOOL}),
               L4P_EUSAGE, "option 'x' is defined twice");
  assert_fails(l4p_space_add_option(s, &(struct l4p_option){
                   .name = "a b", .type = L4P_OPT_BOOL}),
               L4P_EUSAGE, "option name 'a b'");
  assert_fails(l4p_space_add_option(s, &(struct l4p_option){
                   .name = "", .type = L4P_OPT_BOOL}),
               L4P_EUSAGE, "option name ''");
  struct l4p_option o = opt_int("y", 0, 51, 1, 60);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "option 'y': default 60 is outside its domain");
  o = opt_int("y", 5, 1, 1, 1);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "option 'y': empty range [5, 1]");
  o = opt_int("y", 0.5, 3, 1, 1);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "integer bounds");
  o = opt_int("y", 0, 3, 0, 1);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "step of at least");
  o = opt_float("y", 0, 3, -1, 1);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "step must be");
  o = opt_int("y", 0, 1e19, 1, 1); /* 2^64 would wrap the cardinality */
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "has too many values");
  o = opt_float("y", 0, 1, 1e-17, 0);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "has too many values");
  double dup[] = {1, 2, 1};
  o = opt_list("y", L4P_OPT_INT, dup, 3, 1);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "distinct");
  double frac[] = {1, 2.5};
  o = opt_list("y", L4P_OPT_INT, frac, 2, 1);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "int value 2.5 not allowed");
  char *twice[] = {"a", "b", "a"};
  o = opt_enum("y", twice, 3, 0);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "option 'y': value 'a' listed twice");
  o = opt_enum("y", twice, 0, 0);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "without values");
  o = opt_enum("y", me_labels, 3, 3);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "default 3");
  o = opt_bool("y", 0.5);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "default 0.5");
  o = opt_int("y", 0, 9, 1, 1);
  o.fixed = true;
  o.fixed_value = 10;
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN,
               "fixed value 10 is outside");
  /* nothing half-added */
  assert_int_equal(l4p_space_n_options(s), 1);
  assert_int_equal(l4p_space_n_features(s), 1);
  assert_int_equal(l4p_space_find(s, "y"), -1);
  add(s, opt_int("rc.look-ahead:2+", 0, 9, 1, 1));
  assert_int_equal(l4p_space_find(s, "rc.look-ahead:2+"), 1);
  l4p_space_free(s);
  l4p_space_free(NULL);
}

/* ----------------------------------------------------- value text */

static void test_value_parse_format(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("b", 0));
  add(s, opt_int("crf", 0, 51, 1, 23));
  add(s, opt_int("ref", 1, 10, 3, 1));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_float("q", 0, 1, 0.1, 0.5));
  add(s, opt_float("r", -1, 1, 0, 0));
  double vals[] = {1, 2, 4};
  add(s, opt_list("t", L4P_OPT_INT, vals, 3, 1));
  double v;
  const char *yes[] = {"1", "true", "TRUE", "yes", "On"};
  const char *no[] = {"0", "false", "No", "off"};
  for (size_t k = 0; k < 5; k++) {
    assert_int_equal(l4p_value_parse(s, 0, yes[k], &v), L4P_OK);
    assert_same(v, 1);
  }
  for (size_t k = 0; k < 4; k++) {
    assert_int_equal(l4p_value_parse(s, 0, no[k], &v), L4P_OK);
    assert_same(v, 0);
  }
  assert_fails(l4p_value_parse(s, 0, "maybe", &v), L4P_EDOMAIN,
               "option 'b': value 'maybe' is outside {0, 1}");
  assert_int_equal(l4p_value_parse(s, 1, "23", &v), L4P_OK);
  assert_same(v, 23);
  assert_int_equal(l4p_value_parse(s, 1, "2e1", &v), L4P_OK);
  assert_same(v, 20);
  v = -7;
  assert_fails(l4p_value_parse(s, 1, "60", &v), L4P_EDOMAIN,
               "option 'crf': value '60' is outside [0, 51]");
  assert_same(v, -7); /* untouched on failure */
  assert_fails(l4p_value_parse(s, 1, "2.5", &v), L4P_EDOMAIN,
               "option 'crf': value '2.5' is not an integer");
  assert_fails(l4p_value_parse(s, 1, "fast", &v), L4P_EDOMAIN,
               "option 'crf': value 'fast' is not a number");
  assert_fails(l4p_value_parse(s, 1, "", &v), L4P_EDOMAIN, "not a number");
  assert_fails(l4p_value_parse(s, 1, "23 ", &v), L4P_EDOMAIN,
               "not a number");
  assert_fails(l4p_value_parse(s, 2, "2", &v), L4P_EDOMAIN,
               "option 'ref': value '2' is outside [1, 10] in steps of 3");
  assert_int_equal(l4p_value_parse(s, 3, "umh", &v), L4P_OK);
  assert_same(v, 2);
  assert_fails(l4p_value_parse(s, 3, "xyz", &v), L4P_EDOMAIN,
               "option 'me': value 'xyz' is outside {dia, hex, umh}");
  assert_fails(l4p_value_parse(s, 3, "HEX", &v), L4P_EDOMAIN, "'HEX'");
  assert_fails(l4p_value_parse(s, 4, "0.35", &v), L4P_EDOMAIN,
               "option 'q': value '0.35' is outside [0, 1] in steps of "
               "0.1");
  assert_fails(l4p_value_parse(s, 5, "1.5", &v), L4P_EDOMAIN,
               "option 'r': value '1.5' is outside [-1, 1]");
  assert_fails(l4p_value_parse(s, 5, "nan", &v), L4P_EDOMAIN,
               "not a number");
  assert_fails(l4p_value_parse(s, 6, "3", &v), L4P_EDOMAIN,
               "option 't': value '3' is outside {1, 2, 4}");
  assert_int_equal(l4p_value_parse(s, 5, "0.123", &v), L4P_OK);
  assert_same(v, 0.123);
  /* the parsed value of a grid point is the grid's own double */
  assert_int_equal(l4p_value_parse(s, 4, "0.3", &v), L4P_OK);
  assert_same(v, l4p_option_value_at(l4p_space_option(s, 4), 3));
  /* and so are defaults and fixed values given as 0.5, 0.3 */
  assert_same(l4p_space_option(s, 4)->default_value,
              l4p_option_value_at(l4p_space_option(s, 4), 5));
  assert_int_equal(l4p_space_fix(s, 4, 0.3), L4P_OK);
  assert_same(l4p_space_option(s, 4)->fixed_value, v);
  double cfg7[7];
  l4p_space_default_config(s, cfg7);
  assert_same(cfg7[4], v);
  assert_int_equal(l4p_space_validate(s, cfg7), L4P_OK);
  l4p_space_unfix(s, 4);

  /* format then parse gives back every discrete value exactly */
  char buf[64];
  for (size_t i = 0; i < l4p_space_n_options(s); i++) {
    const struct l4p_option *o = l4p_space_option(s, i);
    for (size_t k = 0; k < l4p_option_cardinality(o); k++) {
      double want = l4p_option_value_at(o, k);
      l4p_value_format(s, i, want, buf, sizeof buf);
      assert_int_equal(l4p_value_parse(s, i, buf, &v), L4P_OK);
      assert_same(v, want);
    }
  }
  const double cont[] = {0.1, 1.0 / 3, -0.999999999999, 1e-300, 0};
  for (size_t k = 0; k < 5; k++) {
    l4p_value_format(s, 5, cont[k], buf, sizeof buf);
    assert_int_equal(l4p_value_parse(s, 5, buf, &v), L4P_OK);
    assert_same(v, cont[k]);
  }
  l4p_value_format(s, 5, 0.1, buf, sizeof buf);
  assert_string_equal(buf, "0.1"); /* shortest form */
  l4p_value_format(s, 0, 1, buf, sizeof buf);
  assert_string_equal(buf, "1");
  l4p_value_format(s, 1, 23, buf, sizeof buf);
  assert_string_equal(buf, "23");
  l4p_value_format(s, 3, 1, buf, sizeof buf);
  assert_string_equal(buf, "hex");
  /* negative zero prints as zero */
  l4p_value_format(s, 1, -0.0, buf, sizeof buf);
  assert_string_equal(buf, "0");
  l4p_value_format(s, 5, -0.0, buf, sizeof buf);
  assert_string_equal(buf, "0");
  /* always terminated, even when cut */
  l4p_value_format(s, 3, 2, buf, 3);
  assert_string_equal(buf, "um");
  l4p_space_free(s);
}

/* ------------------------------------------------------ expressions */

/* a b c: bool; x y: int 0..10; me: enum; aq, aq-mode: int 0..3;
 * rc.lookahead: int 0..60. */
enum { A, B, C, X, Y, ME, AQ, AQM, RCL, N_EXPR_OPTS };

static struct l4p_space *expr_space(void)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_bool("b", 0));
  add(s, opt_bool("c", 0));
  add(s, opt_int("x", 0, 10, 1, 0));
  add(s, opt_int("y", 0, 10, 1, 0));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_int("aq", 0, 3, 1, 0));
  add(s, opt_int("aq-mode", 0, 3, 1, 0));
  add(s, opt_int("rc.lookahead", 0, 60, 1, 0));
  return s;
}

/* Does constraint text hold on the configuration given by the values? */
static bool holds(const char *text, double a, double b, double c, double x,
                  double y, double me, double aq, double aqm)
{
  struct l4p_space *s = expr_space();
  constrain(s, text);
  double cfg[N_EXPR_OPTS] = {a, b, c, x, y, me, aq, aqm, 40};
  bool r = l4p_space_satisfies(s, cfg);
  l4p_space_free(s);
  return r;
}

#define H(text, a, b, c, x, y) holds(text, a, b, c, x, y, 0, 0, 0)

static void test_expr_logic(void **state)
{
  /* && binds tighter than || */
  assert_true(H("a || b && c", 1, 0, 0, 0, 0));
  assert_false(H("(a || b) && c", 1, 0, 0, 0, 0));
  assert_true(H("b && c || a", 1, 0, 0, 0, 0));
  /* ! binds tighter than && and || */
  assert_true(H("!a && b", 0, 1, 0, 0, 0));
  assert_false(H("!a && b", 1, 1, 0, 0, 0));
  assert_true(H("!a || b", 0, 0, 0, 0, 0));
  assert_true(H("!!a", 1, 0, 0, 0, 0));
  /* ! over a comparison: !(x > 3) */
  assert_true(H("!x > 3", 0, 0, 0, 2, 0));
  assert_false(H("!x > 3", 0, 0, 0, 5, 0));
  /* implication: truth table, lowest precedence, right associative */
  assert_false(H("a -> b", 1, 0, 0, 0, 0));
  assert_true(H("a -> b", 0, 0, 0, 0, 0));
  assert_true(H("a -> b", 0, 1, 0, 0, 0));
  assert_true(H("a -> b", 1, 1, 0, 0, 0));
  assert_false(H("a => b", 1, 0, 0, 0, 0));
  assert_false(H("a || b -> c", 1, 0, 0, 0, 0));
  assert_true(H("a || b -> c", 0, 0, 0, 0, 0));
  assert_true(H("a -> b -> c", 0, 0, 0, 0, 0));  /* (a -> (b -> c)) */
  assert_false(H("a -> b -> c", 1, 1, 0, 0, 0));
  assert_false(H("(a -> b) -> c", 0, 0, 0, 0, 0));
  assert_true(H("a && b -> c || x > 2", 1, 1, 0, 3, 0));
  /* words and single-character operators */
  assert_true(H("a and b", 1, 1, 0, 0, 0));
  assert_false(H("a and b", 1, 0, 0, 0, 0));
  assert_true(H("a or b", 0, 1, 0, 0, 0));
  assert_true(H("not a", 0, 0, 0, 0, 0));
  assert_true(H("a & b | c", 0, 0, 1, 0, 0));
  assert_true(H("x = 3", 0, 0, 0, 3, 0));
  /* constants */
  assert_true(H("true", 0, 0, 0, 0, 0));
  assert_false(H("false", 0, 0, 0, 0, 0));
  assert_true(H("!false", 0, 0, 0, 0, 0));
  assert_true(H("false || a", 1, 0, 0, 0, 0));
  assert_true(H("a == true", 1, 0, 0, 0, 0));
  assert_true(H("b == false", 1, 0, 0, 0, 0));
}

static void test_expr_arithmetic(void **state)
{
  assert_true(H("x + y * 2 == 7", 0, 0, 0, 1, 3));
  assert_false(H("(x + y) * 2 == 7", 0, 0, 0, 1, 3));
  assert_true(H("x - y - 1 == 0", 0, 0, 0, 5, 4)); /* left associative */
  assert_true(H("x / 2 == 2.5", 0, 0, 0, 5, 0));
  assert_true(H("x % 3 == 2", 0, 0, 0, 5, 0));
  assert_true(H("-x + 10 == y", 0, 0, 0, 3, 7));
  assert_true(H("--x == x", 0, 0, 0, 3, 0));
  assert_true(H("x * -2 < -5", 0, 0, 0, 3, 0));
  assert_true(H("x > y", 0, 0, 0, 3, 2));
  assert_false(H("x > y", 0, 0, 0, 3, 3));
  assert_true(H("x >= y", 0, 0, 0, 3, 3));
  assert_true(H("x <= y", 0, 0, 0, 3, 3));
  assert_false(H("x < y", 0, 0, 0, 3, 3));
  assert_true(H("x != y", 0, 0, 0, 3, 4));
  assert_true(H(".5 < 1 && 1e1 == 10", 0, 0, 0, 0, 0));
  assert_true(H("a + b + c == 2", 1, 0, 1, 0, 0)); /* bools are 0/1 */
  /* x / 0 and x % 0 are NaN: false, and their negation true */
  assert_false(H("x / y > 0", 0, 0, 0, 3, 0));
  assert_false(H("x / y <= 0", 0, 0, 0, 3, 0));
  assert_true(H("!(x / y > 0)", 0, 0, 0, 3, 0));
  assert_false(H("x % y == 0", 0, 0, 0, 3, 0));
  /* 0.1 * 3 == 0.3 despite rounding */
  assert_true(H("x * 0.1 == 0.3", 0, 0, 0, 3, 0));
  /* whitespace is optional */
  assert_true(H("x>2&&!a||b", 0, 0, 0, 3, 0));
}

static void test_expr_names_labels(void **state)
{
  /* enum options compare with labels, either side, both quote styles */
  assert_true(holds("me == 'hex'", 0, 0, 0, 0, 0, 1, 0, 0));
  assert_false(holds("me == 'hex'", 0, 0, 0, 0, 0, 2, 0, 0));
  assert_true(holds("'umh' == me", 0, 0, 0, 0, 0, 2, 0, 0));
  assert_true(holds("me != \"dia\"", 0, 0, 0, 0, 0, 1, 0, 0));
  assert_true(holds("me = 'dia'", 0, 0, 0, 0, 0, 0, 0, 0));
  assert_true(holds("me == 'umh' -> x > 3", 0, 0, 0, 0, 0, 1, 0, 0));
  assert_false(holds("me == 'umh' -> x > 3", 0, 0, 0, 0, 0, 2, 0, 0));
  /* names containing '-', '.': longest existing option wins */
  assert_true(holds("aq-mode == 2", 0, 0, 0, 0, 0, 0, 1, 2));
  assert_false(holds("aq-mode == 2", 0, 0, 0, 0, 0, 0, 2, 1));
  assert_true(holds("aq-mode-1 == aq", 0, 0, 0, 0, 0, 0, 2, 3));
  assert_true(holds("aq - 1 == 1", 0, 0, 0, 0, 0, 0, 2, 0));
  assert_true(holds("x-y == 1", 0, 0, 0, 5, 4, 0, 0, 0)); /* no "x-y" */
  assert_true(holds("rc.lookahead == 40", 0, 0, 0, 0, 0, 0, 0, 0));
  /* braced names */
  assert_true(holds("{aq-mode} == 3", 0, 0, 0, 0, 0, 0, 0, 3));
  assert_true(holds("{x} > 1 && {rc.lookahead} > x", 0, 0, 0, 2, 0, 0, 0,
                    0));

  struct l4p_space *s = expr_space();
  constrain(s, "aq-mode > 0 || {a}");
  assert_int_equal(l4p_space_n_constraints(s), 1);
  assert_string_equal(l4p_space_constraint_text(s, 0), "aq-mode > 0 || {a}");
  l4p_space_free(s);
}

/* Names that look like numbers or keywords: x264's 8x8dct needs no
 * braces; options called "not" or "true" are reached through braces. */
static void test_expr_odd_names(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("8x8dct", 0));
  add(s, opt_bool("cabac", 0));
  add(s, opt_bool("not", 0));
  add(s, opt_bool("true", 0));
  add(s, opt_int("2", 0, 9, 1, 0));
  constrain(s, "8x8dct -> cabac");
  constrain(s, "8 > 7 && 0x10 == 16 && 1e1 == 10"); /* still numbers */
  constrain(s, "{not} || {true} || 2 > 5");        /* 2: the number */
  constrain(s, "{2} != 3");
  assert_int_equal(l4p_space_n_constraints(s), 4);
  double cfg[5] = {1, 0, 1, 0, 0};
  assert_false(l4p_space_satisfies(s, cfg)); /* 8x8dct without cabac */
  cfg[1] = 1;
  assert_true(l4p_space_satisfies(s, cfg));
  cfg[2] = 0; /* neither "not" nor "true" */
  assert_false(l4p_space_satisfies(s, cfg));
  cfg[3] = 1;
  assert_true(l4p_space_satisfies(s, cfg));
  cfg[4] = 3;
  assert_false(l4p_space_satisfies(s, cfg));
  /* 3 * 3 of the four bools' 16 combinations, 9 of 10 values of {2} */
  assert_count(s, 81);
  l4p_space_free(s);
}

/* Adding text to a fresh expression space fails with want and msg. */
static void expr_fails(const char *text, l4p_status want, const char *msg)
{
  struct l4p_space *s = expr_space();
  l4p_status st = l4p_space_add_constraint(s, text);
  if (st != want)
    fail_msg("'%s' gave %s (%s), expected %s", text, l4p_status_name(st),
             l4p_last_error(), l4p_status_name(want));
  if (!strstr(l4p_last_error(), msg))
    fail_msg("'%s': message '%s' lacks '%s'", text, l4p_last_error(), msg);
  assert_int_equal(l4p_space_n_constraints(s), 0);
  l4p_space_free(s);
}

static void test_expr_errors(void **state)
{
  expr_fails("x >", L4P_EPARSE,
             "constraint 'x >': column 4: unexpected end of expression");
  expr_fails("", L4P_EPARSE, "column 1: unexpected end of expression");
  expr_fails("x > > 3", L4P_EPARSE,
             "column 5: expected a value, an option or '('");
  expr_fails("(a && b", L4P_EPARSE, "column 8: expected ')'");
  expr_fails("a && (b || c))", L4P_EPARSE,
             "column 14: unexpected text after the expression");
  expr_fails("a $ b", L4P_EPARSE, "column 3: unexpected character");
  expr_fails("x 3", L4P_EPARSE,
             "column 3: unexpected text after the expression");
  expr_fails("x == y == 1", L4P_EPARSE, "column 8: unexpected text");
  expr_fails("a ->", L4P_EPARSE, "column 5: unexpected end");
  expr_fails("x + !a", L4P_EPARSE, "column 5: expected a value");
  expr_fails("me == 'dia", L4P_EPARSE,
             "column 7: unterminated quoted name or label");
  expr_fails("{aq-mode > 1", L4P_EPARSE, "column 1: unterminated");
  /* labels belong next to an enum option */
  expr_fails("'dia'", L4P_EPARSE,
             "column 1: a quoted label must be compared with an enum");
  expr_fails("x + 'dia' > 1", L4P_EPARSE,
             "column 5: a quoted label must be compared");
  expr_fails("x == 'dia'", L4P_EPARSE,
             "column 6: a quoted label can only be compared with an enum "
             "option");
  /* unknown names and labels are usage errors */
  expr_fails("zz > 1", L4P_EUSAGE,
             "constraint 'zz > 1': column 1: unknown option 'zz'");
  expr_fails("a && aq_mode", L4P_EUSAGE,
             "column 6: unknown option 'aq_mode'");
  expr_fails("{no such} || a", L4P_EUSAGE, "unknown option 'no such'");
  expr_fails("me == 'foo'", L4P_EUSAGE,
             "constraint 'me == 'foo'': option 'me' has no value 'foo'");
  expr_fails("'HEX' != me", L4P_EUSAGE, "has no value 'HEX'");
}

/* ------------------------------------------------------- validation */

static void test_validate(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 10, 1, 3));
  add(s, opt_enum("me", me_labels, 3, 1));
  add(s, opt_float("f", 0, 1, 0, 0.5));
  constrain(s, "a -> x > 5");
  constrain(s, "me == 'umh' -> f < 0.5");
  double cfg[4];
  l4p_space_default_config(s, cfg);
  assert_same(cfg[0], 0);
  assert_same(cfg[1], 3);
  assert_same(cfg[2], 1);
  assert_same(cfg[3], 0.5);
  assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
  assert_true(l4p_space_satisfies(s, cfg));

  cfg[0] = 1;
  assert_fails(l4p_space_validate(s, cfg), L4P_ECONSTR,
               "constraint 'a -> x > 5' is violated");
  assert_false(l4p_space_satisfies(s, cfg));
  cfg[1] = 6;
  assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
  cfg[2] = 2;
  assert_fails(l4p_space_validate(s, cfg), L4P_ECONSTR,
               "constraint 'me == 'umh' -> f < 0.5' is violated");
  cfg[3] = 0.25;
  assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);

  /* domains are checked before constraints, first bad option named */
  cfg[1] = 11;
  cfg[2] = 0;
  cfg[3] = 7;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN,
               "option 'x': value 11 is outside its domain");
  assert_true(l4p_space_satisfies(s, cfg)); /* domains not checked */
  cfg[1] = 6.5;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN, "option 'x'");
  cfg[1] = 6;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN,
               "option 'f': value 7 is outside");
  cfg[3] = NAN;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN, "option 'f'");
  cfg[3] = 0.25;
  cfg[0] = 0.5;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN, "option 'a'");
  cfg[0] = 1;
  cfg[2] = 3;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN, "option 'me'");
  cfg[2] = 0;

  /* a fixed option only accepts its fixed value */
  assert_int_equal(l4p_space_fix(s, 1, 8), L4P_OK);
  l4p_space_default_config(s, cfg);
  assert_same(cfg[1], 8);
  cfg[1] = 9;
  assert_fails(l4p_space_validate(s, cfg), L4P_EDOMAIN,
               "option 'x' is fixed at 8 by pruning");
  l4p_space_free(s);
}

/* ---------------------------------------------------------- counting */

static void test_count_vs_brute_force(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(2024);
  size_t zero = 0, cut = 0;
  for (int round = 0; round < 60; round++) {
    struct l4p_space *s = random_space(rng);
    struct cfglist all;
    brute_force(s, &all);
    bool exact;
    char *got = count_text(s, &exact);
    char want[32];
    snprintf(want, sizeof want, "%zu", all.n);
    if (strcmp(got, want) != 0 || !exact) {
      for (size_t c = 0; c < l4p_space_n_constraints(s); c++)
        print_message("  %s\n", l4p_space_constraint_text(s, c));
      fail_msg("round %d: count %s, brute force %s", round, got, want);
    }
    struct l4p_space_size size;
    assert_int_equal(l4p_space_count(s, &size), L4P_OK);
    assert_same(size.approx, (double)all.n);
    free(size.decimal);
    size_t bad;
    assert_int_equal(l4p_space_check_satisfiable(s, &bad),
                     all.n ? L4P_OK : L4P_ECONSTR);
    zero += all.n == 0;
    cut += all.n > 0 && all.n < all.total;
    free(got);
    free(all.cfg);
    l4p_space_free(s);
  }
  /* the random spaces are mostly cut down by their constraints, and a
   * few are empty */
  assert_true(cut >= 30);
  assert_true(zero >= 1);
  l4p_rng_free(rng);
}

static void test_count_huge(void **state)
{
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 100; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  char want[128];
  want[0] = '1';
  memset(want + 1, '0', 100);
  want[101] = '\0';
  struct l4p_space_size size;
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  assert_string_equal(size.decimal, want);
  assert_true(size.exact);
  assert_false(size.infinite);
  assert_true(fabs(size.approx / 1e100 - 1) < 1e-12);
  free(size.decimal);

  /* 79 of the 100 pairs (o0, o1) have a sum above 5 */
  constrain(s, "o0 + o1 > 5");
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  want[0] = '7';
  want[1] = '9';
  want[100] = '\0';
  assert_string_equal(size.decimal, want);
  assert_true(size.exact);
  free(size.decimal);

  /* a second, independent group multiplies in: o2 < o3 has 45 pairs */
  constrain(s, "o2 < o3");
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  memcpy(want, "3555", 4);
  memset(want + 4, '0', 96);
  want[100] = '\0';
  assert_string_equal(size.decimal, want);
  assert_true(size.exact);
  free(size.decimal);
  l4p_space_free(s);
}

static void test_count_special(void **state)
{
  struct l4p_space_size size;
  /* a free continuous option makes the space infinite */
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_float("f", 0, 1, 0, 0.5));
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  assert_true(size.infinite);
  assert_string_equal(size.decimal, "infinite");
  assert_true(isinf(size.approx));
  free(size.decimal);
  /* ... unless it is fixed */
  assert_int_equal(l4p_space_fix(s, 1, 0.25), L4P_OK);
  assert_count(s, 2);
  l4p_space_unfix(s, 1);
  /* nothing valid is nothing, continuous options or not */
  constrain(s, "a && !a");
  assert_int_equal(l4p_space_count(s, &size), L4P_OK);
  assert_false(size.infinite);
  assert_true(size.exact);
  assert_string_equal(size.decimal, "0");
  assert_same(size.approx, 0);
  free(size.decimal);
  l4p_space_free(s);

  /* a constant constraint is a group of its own */
  s = l4p_space_new();
  add(s, opt_int("x", 0, 4, 1, 0));
  constrain(s, "1 < 2");
  assert_count(s, 5);
  constrain(s, "2 < 1");
  assert_count(s, 0);
  size_t bad = 99;
  assert_fails(l4p_space_check_satisfiable(s, &bad), L4P_ECONSTR,
               "'2 < 1' can never hold");
  assert_int_equal(bad, 1);
  l4p_space_free(s);

  /* no options at all: one (empty) configuration */
  s = l4p_space_new();
  assert_count(s, 1);
  l4p_space_free(s);
}

static void test_count_big_group(void **state)
{
  /* eight linked options with 10^8 combinations: too many to list, so
   * the count is the product, flagged as an upper bound */
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  add(s, opt_bool("free", 0));
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 40");
  bool exact;
  char *got = count_text(s, &exact);
  assert_string_equal(got, "200000000");
  assert_false(exact);
  free(got);
  size_t bad;
  assert_int_equal(l4p_space_check_satisfiable(s, &bad), L4P_OK);
  l4p_space_free(s);

  /* 2^12 bool combinations times 2^52 + 1 values pass 2^64: the group
   * must not be taken for a small one when the product wraps around */
  s = l4p_space_new();
  struct l4px_text {
    char buf[512];
  } text = {{0}};
  size_t len = 0;
  for (int i = 0; i < 12; i++) {
    char name[8];
    snprintf(name, sizeof name, "b%d", i);
    add(s, opt_bool(name, 0));
    len += (size_t)snprintf(text.buf + len, sizeof text.buf - len, "%s + ",
                            name);
  }
  add(s, opt_int("x", 0, 4503599627370496.0, 1, 0));
  snprintf(text.buf + len, sizeof text.buf - len, "x >= 0");
  constrain(s, text.buf);
  got = count_text(s, &exact);
  assert_string_equal(got, "18446744073709555712");
  assert_false(exact);
  free(got);
  l4p_space_free(s);
}

/* ---------------------------------------------------------- sampling */

/* The 0.999 quantile of chi-square with k degrees of freedom
 * (Wilson-Hilferty; within a fraction of a percent for k > 20). */
static double chi2_quantile_999(double k)
{
  double z = 3.0902, h = 2 / (9 * k);
  return k * pow(1 - h + z * sqrt(h), 3);
}

static void test_sample_uniform_chi2(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_bool("b", 0));
  add(s, opt_int("x", 0, 3, 1, 2));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_int("z", 0, 2, 1, 0));
  add(s, opt_int("g", -4, 4, 4, 0)); /* -4 0 4 */
  constrain(s, "a -> x >= 2");
  constrain(s, "me == 'hex' -> !b");
  constrain(s, "g + x != 4");
  struct cfglist all;
  brute_force(s, &all);
  assert_count(s, all.n);
  assert_true(all.n > 100);
  size_t per_cell = 150, draws = all.n * per_cell;
  size_t *seen = calloc(all.n, sizeof *seen);
  struct l4p_rng *rng = l4p_rng_new(7);
  double cfg[6];
  for (size_t t = 0; t < draws; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
    ptrdiff_t k = find_cfg(&all, cfg);
    assert_true(k >= 0);
    seen[k]++;
  }
  double chi2 = 0;
  for (size_t k = 0; k < all.n; k++) {
    double d = (double)seen[k] - (double)per_cell;
    chi2 += d * d / (double)per_cell;
    assert_true(seen[k] > 0);
  }
  double limit = chi2_quantile_999((double)(all.n - 1));
  if (!(chi2 < limit))
    fail_msg("chi-square %.1f over %zu cells exceeds %.1f", chi2, all.n,
             limit);
  /* and it is not suspiciously perfect either (0.001 quantile ~ k/2) */
  assert_true(chi2 > (double)(all.n - 1) / 2);
  free(seen);
  free(all.cfg);
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_sample_rejection_and_continuous(void **state)
{
  /* a group too big to list is drawn by rejection: still always valid */
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  add(s, opt_float("f", 0, 1, 0, 0.5));
  add(s, opt_float("u", -2, 2, 0, 0));
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 40");
  constrain(s, "f > 0.5");
  struct l4p_rng *rng = l4p_rng_new(11);
  double cfg[10], fsum = 0, usum = 0;
  int n = 2000;
  for (int t = 0; t < n; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
    assert_true(cfg[8] > 0.5 && cfg[8] <= 1);
    assert_true(cfg[9] >= -2 && cfg[9] <= 2);
    fsum += cfg[8];
    usum += cfg[9];
  }
  /* uniform on (0.5, 1] and [-2, 2]: means 0.75 and 0 (sd/sqrt(n) tiny) */
  assert_true(fabs(fsum / n - 0.75) < 0.02);
  assert_true(fabs(usum / n) < 0.1);
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_sample_unsatisfiable(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 5, 1, 0));
  constrain(s, "x > 10");
  struct l4p_rng *rng = l4p_rng_new(1);
  double cfg[2];
  assert_fails(l4p_space_sample_uniform(s, rng, cfg), L4P_ECONSTR,
               "no configuration satisfies 'x > 10'");
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_sample_deterministic(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 100, 1, 0));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_float("f", 0, 1, 0, 0));
  constrain(s, "a -> x > 50");
  struct l4p_rng *r1 = l4p_rng_new(42), *r2 = l4p_rng_new(42),
                 *r3 = l4p_rng_new(43);
  double c1[4], c2[4], c3[4];
  bool differs = false;
  for (int t = 0; t < 50; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, r1, c1), L4P_OK);
    assert_int_equal(l4p_space_sample_uniform(s, r2, c2), L4P_OK);
    assert_int_equal(l4p_space_sample_uniform(s, r3, c3), L4P_OK);
    assert_memory_equal(c1, c2, sizeof c1);
    differs |= memcmp(c1, c3, sizeof c1) != 0;
  }
  assert_true(differs);
  /* reseeding restarts the stream; a clone samples the same */
  struct l4p_space *copy = l4p_space_clone(s);
  l4p_rng_seed(r1, 42);
  l4p_rng_seed(r2, 42);
  for (int t = 0; t < 20; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, r1, c1), L4P_OK);
    assert_int_equal(l4p_space_sample_uniform(copy, r2, c2), L4P_OK);
    assert_memory_equal(c1, c2, sizeof c1);
  }
  l4p_space_free(copy);
  l4p_rng_free(r1);
  l4p_rng_free(r2);
  l4p_rng_free(r3);
  l4p_space_free(s);
}

/* ------------------------------------------------------------ repair */

static void snap_all(const struct l4p_space *s, double *cfg)
{
  for (size_t i = 0; i < l4p_space_n_options(s); i++) {
    const struct l4p_option *o = l4p_space_option(s, i);
    cfg[i] = o->fixed ? o->fixed_value : l4p_option_snap(o, cfg[i]);
  }
}

static void test_repair_nearest(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(99);
  int checked = 0;
  for (int round = 0; round < 60; round++) {
    struct l4p_space *s = random_space(rng);
    size_t d = l4p_space_n_options(s);
    if (round % 2) {
      size_t i = (size_t)l4p_rng_below(rng, d);
      const struct l4p_option *o = l4p_space_option(s, i);
      double v = l4p_option_value_at(
          o, (size_t)l4p_rng_below(rng, l4p_option_cardinality(o)));
      assert_int_equal(l4p_space_fix(s, i, v), L4P_OK);
    }
    struct cfglist all;
    brute_force(s, &all);
    double cfg[8], snapped[8], before[8];
    if (all.n == 0) {
      l4p_space_default_config(s, cfg);
      assert_int_equal(l4p_space_repair(s, cfg), L4P_ECONSTR);
      free(all.cfg);
      l4p_space_free(s);
      continue;
    }
    for (int t = 0; t < 20; t++) {
      for (size_t i = 0; i < d; i++) {
        const struct l4p_option *o = l4p_space_option(s, i);
        cfg[i] = o->min - 2 + l4p_rng_uniform(rng) * (o->max - o->min + 4);
        if (l4p_rng_below(rng, 2))
          cfg[i] = l4p_option_snap(o, cfg[i]);
      }
      memcpy(snapped, cfg, sizeof cfg);
      memcpy(before, cfg, sizeof cfg);
      snap_all(s, snapped);
      l4p_status st = l4p_space_repair(s, cfg);
      if (st)
        fail_msg("round %d: repair: %s", round, l4p_last_error());
      assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
      double best = INFINITY;
      for (size_t k = 0; k < all.n; k++) {
        double dist = l4p_space_distance(s, snapped, all.cfg + k * d);
        best = dist < best ? dist : best;
      }
      double got = l4p_space_distance(s, snapped, cfg);
      if (fabs(got - best) > 1e-9)
        fail_msg("round %d: repaired at distance %g, nearest is %g", round,
                 got, best);
      /* a valid configuration is its own repair */
      double again[8];
      memcpy(again, cfg, sizeof again);
      assert_int_equal(l4p_space_repair(s, again), L4P_OK);
      assert_memory_equal(again, cfg, d * sizeof *cfg);
      checked++;
    }
    free(all.cfg);
    l4p_space_free(s);
  }
  assert_true(checked > 400);
  l4p_rng_free(rng);
}

static void test_repair_snap_fixed_unsat(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 51, 1, 0));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_float("f", 0, 1, 0, 0));
  add(s, opt_float("q", 0, 1, 0.25, 0));
  /* no constraints: values are only snapped into their domains */
  double cfg[5] = {0.7, 60, 7.3, 5, 0.3};
  assert_int_equal(l4p_space_repair(s, cfg), L4P_OK);
  assert_same(cfg[0], 1);
  assert_same(cfg[1], 51);
  assert_same(cfg[2], 2);
  assert_same(cfg[3], 1);
  assert_same(cfg[4], 0.25);
  double nan_cfg[5] = {NAN, NAN, NAN, NAN, NAN};
  assert_int_equal(l4p_space_repair(s, nan_cfg), L4P_OK);
  assert_int_equal(l4p_space_validate(s, nan_cfg), L4P_OK);

  /* a fixed option is reset, and the repair moves the others instead */
  constrain(s, "x > 5 || a");
  assert_int_equal(l4p_space_fix(s, 1, 3), L4P_OK);
  double c2[5] = {0, 40, 0, 0.5, 0.5};
  assert_int_equal(l4p_space_repair(s, c2), L4P_OK);
  assert_same(c2[1], 3);
  assert_same(c2[0], 1);
  assert_same(c2[3], 0.5);
  assert_int_equal(l4p_space_validate(s, c2), L4P_OK);
  /* fixing a the other way leaves nothing */
  assert_int_equal(l4p_space_fix(s, 0, 0), L4P_OK);
  assert_fails(l4p_space_repair(s, c2), L4P_ECONSTR, "x > 5 || a");
  l4p_space_free(s);

  s = l4p_space_new();
  add(s, opt_bool("a", 0));
  constrain(s, "a && !a");
  double c3[1] = {1};
  assert_fails(l4p_space_repair(s, c3), L4P_ECONSTR, "a && !a");
  l4p_space_free(s);

  s = l4p_space_new();
  add(s, opt_int("x", 0, 5, 1, 0));
  add(s, opt_bool("b", 0));
  constrain(s, "x > 10");
  double c4[2] = {3, 1};
  assert_fails(l4p_space_repair(s, c4), L4P_ECONSTR, "x > 10");
  l4p_space_free(s);
}

static void test_repair_greedy(void **state)
{
  /* a group too big to list is repaired by single-option moves, each
   * fixing a violation at the least distance */
  struct l4p_space *s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 0");
  constrain(s, "o0 > 5");
  constrain(s, "o1 != o2");
  double cfg[8] = {0};
  double orig[8] = {0};
  assert_int_equal(l4p_space_repair(s, cfg), L4P_OK);
  assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
  assert_near(l4p_space_distance(s, orig, cfg), 7.0 / 9);
  l4p_space_free(s);

  /* no single change satisfies a sum over many options: the repair and
   * the sampler (rejection rarely succeeds) still find the corner */
  s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 >= 72");
  double zeros[8] = {0};
  memcpy(cfg, zeros, sizeof cfg);
  l4p_status st = l4p_space_repair(s, cfg);
  if (st)
    fail_msg("repair: %s", l4p_last_error());
  for (int i = 0; i < 8; i++)
    assert_same(cfg[i], 9);
  struct l4p_rng *rng = l4p_rng_new(1);
  for (int t = 0; t < 3; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_int_equal(l4p_space_validate(s, cfg), L4P_OK);
  }
  l4p_rng_free(rng);
  l4p_space_free(s);

  /* "exactly one of three" proposed with all three on, inside a group of
   * 23 linked bools (2^23 combinations: not listed) */
  s = l4p_space_new();
  char chain[512] = "";
  size_t len = 0;
  for (int i = 0; i < 23; i++) {
    char name[8];
    snprintf(name, sizeof name, "b%d", i);
    add(s, opt_bool(name, 0));
    len += (size_t)snprintf(chain + len, sizeof chain - len, "%s%s",
                            i ? " || " : "", name);
  }
  constrain(s, chain);
  constrain(s, "b0 + b1 + b2 == 1");
  double ones[23], fixed_up[23];
  for (int i = 0; i < 23; i++)
    ones[i] = 1;
  memcpy(fixed_up, ones, sizeof ones);
  st = l4p_space_repair(s, fixed_up);
  if (st)
    fail_msg("repair: %s", l4p_last_error());
  assert_int_equal(l4p_space_validate(s, fixed_up), L4P_OK);
  assert_near(l4p_space_distance(s, ones, fixed_up), 2);
  l4p_space_free(s);
}

/* -------------------------------------------------------- enumerate */

static void test_enumerate(void **state)
{
  struct l4p_rng *rng = l4p_rng_new(5);
  for (int round = 0; round < 40; round++) {
    struct l4p_space *s = random_space(rng);
    struct cfglist all;
    brute_force(s, &all);
    double *cfgs = NULL;
    size_t n = 99;
    assert_int_equal(l4p_space_enumerate(s, 100000, &cfgs, &n), L4P_OK);
    assert_int_equal(n, all.n);
    size_t d = all.d;
    struct cfglist got = {n, d, cfgs, n};
    for (size_t k = 0; k < n; k++) {
      assert_int_equal(l4p_space_validate(s, cfgs + k * d), L4P_OK);
      assert_true(find_cfg(&all, cfgs + k * d) >= 0);
      assert_true(find_cfg(&got, cfgs + k * d) == (ptrdiff_t)k);
    }
    if (n > 1) {
      assert_fails(l4p_space_enumerate(s, n - 1, &cfgs, &n), L4P_EUSAGE,
                   "more than the limit");
      assert_int_equal(n, all.n); /* outputs untouched */
      assert_true(cfgs == got.cfg);
    }
    free(got.cfg);
    free(all.cfg);
    l4p_space_free(s);
  }
  l4p_rng_free(rng);
}

static void test_enumerate_order_and_refusals(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 2, 1, 0));
  add(s, opt_enum("m", me_labels, 2, 0));
  double *cfgs;
  size_t n;
  assert_int_equal(l4p_space_enumerate(s, 12, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 12);
  for (size_t k = 0; k < n; k++) {
    assert_same(cfgs[k * 3 + 0], (double)(k / 6));
    assert_same(cfgs[k * 3 + 1], (double)(k / 2 % 3));
    assert_same(cfgs[k * 3 + 2], (double)(k % 2));
  }
  free(cfgs);
  /* fixed options keep their value */
  assert_int_equal(l4p_space_fix(s, 1, 2), L4P_OK);
  assert_int_equal(l4p_space_enumerate(s, 12, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 4);
  for (size_t k = 0; k < n; k++)
    assert_same(cfgs[k * 3 + 1], 2);
  free(cfgs);
  /* unsatisfiable: an empty list */
  constrain(s, "x < 2");
  cfgs = NULL;
  assert_int_equal(l4p_space_enumerate(s, 12, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 0);
  free(cfgs);
  l4p_space_free(s);

  s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_float("f", 0, 1, 0, 0));
  assert_fails(l4p_space_enumerate(s, 1000, &cfgs, &n), L4P_EUSAGE,
               "option 'f' is continuous");
  constrain(s, "a -> f > 0.5");
  assert_int_equal(l4p_space_enumerate(s, 1000, &cfgs, &n), L4P_EUSAGE);
  l4p_space_free(s);

  s = l4p_space_new();
  for (int i = 0; i < 8; i++) {
    char name[8];
    snprintf(name, sizeof name, "o%d", i);
    add(s, opt_int(name, 0, 9, 1, 0));
  }
  constrain(s, "o0 + o1 + o2 + o3 + o4 + o5 + o6 + o7 > 70");
  assert_int_equal(l4p_space_enumerate(s, SIZE_MAX, &cfgs, &n), L4P_EUSAGE);
  l4p_space_free(s);
}

/* ---------------------------------------------- encoding, distance */

static struct l4p_space *mixed_space(void)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("b", 0));
  add(s, opt_int("x", 0, 10, 2, 4));
  add(s, opt_enum("me", me_labels, 3, 1));
  add(s, opt_float("f", 0, 1, 0.25, 0.5));
  double vals[] = {1, 2, 4};
  add(s, opt_list("t", L4P_OPT_INT, vals, 3, 1));
  return s;
}

static void test_encode_decode(void **state)
{
  struct l4p_space *s = mixed_space();
  assert_int_equal(l4p_space_n_features(s), 7);
  const char *names[] = {"b", "x", "me=dia", "me=hex", "me=umh", "f", "t"};
  char buf[64];
  for (size_t j = 0; j < 7; j++) {
    l4p_space_feature_name(s, j, buf, sizeof buf);
    assert_string_equal(buf, names[j]);
  }
  l4p_space_feature_name(s, 7, buf, sizeof buf);
  assert_string_equal(buf, "?");

  double cfg[5] = {1, 6, 2, 0.75, 4}, feat[7], back[5];
  l4p_space_encode(s, cfg, feat);
  const double want[7] = {1, 6, 0, 0, 1, 0.75, 4};
  assert_memory_equal(feat, want, sizeof want);

  /* every configuration survives encode then decode */
  double *cfgs;
  size_t n;
  assert_int_equal(l4p_space_enumerate(s, 10000, &cfgs, &n), L4P_OK);
  assert_int_equal(n, 2 * 6 * 3 * 5 * 3);
  for (size_t k = 0; k < n; k++) {
    l4p_space_encode(s, cfgs + k * 5, feat);
    double ones = feat[2] + feat[3] + feat[4];
    assert_same(ones, 1);
    l4p_space_decode(s, feat, back);
    assert_memory_equal(back, cfgs + k * 5, sizeof back);
  }
  free(cfgs);

  /* decoding snaps numbers and takes the largest one-hot feature */
  const double rough[7] = {0.6, 6.9, 0.2, 0.7, 0.4, 0.3, 2.9};
  l4p_space_decode(s, rough, back);
  const double snapped[5] = {1, 6, 1, 0.25, 2};
  assert_memory_equal(back, snapped, sizeof snapped);
  const double far[7] = {-3, 99, -1, -2, -0.5, 7, -10};
  l4p_space_decode(s, far, back);
  assert_int_equal(l4p_space_validate(s, back), L4P_OK);
  assert_same(back[2], 2);
  l4p_space_free(s);
}

static void test_distance(void **state)
{
  struct l4p_space *s = mixed_space();
  double a[5] = {1, 6, 2, 0.75, 4}, b[5] = {0, 2, 0, 0.25, 1};
  assert_same(l4p_space_distance(s, a, a), 0);
  /* 1 + 4/10 + 1 + 0.5 + 3/3 */
  assert_near(l4p_space_distance(s, a, b), 3.9);
  assert_same(l4p_space_distance(s, a, b), l4p_space_distance(s, b, a));
  double c[5] = {1, 8, 2, 0.75, 4};
  assert_near(l4p_space_distance(s, a, c), 0.2);
  /* out-of-domain values still contribute at most 1 per option */
  double wild[5] = {5, -100, 7, 30, 1000};
  assert_true(l4p_space_distance(s, a, wild) <= 5);
  assert_near(l4p_space_distance(s, a, wild), 5);

  struct l4p_rng *rng = l4p_rng_new(3);
  double *cfgs;
  size_t n;
  assert_int_equal(l4p_space_enumerate(s, 10000, &cfgs, &n), L4P_OK);
  for (int t = 0; t < 500; t++) {
    const double *p = cfgs + 5 * l4p_rng_below(rng, n);
    const double *q = cfgs + 5 * l4p_rng_below(rng, n);
    const double *r = cfgs + 5 * l4p_rng_below(rng, n);
    double pq = l4p_space_distance(s, p, q);
    assert_same(pq, l4p_space_distance(s, q, p));
    assert_true(pq >= 0 && pq <= 5);
    assert_true((pq == 0) == (memcmp(p, q, 5 * sizeof *p) == 0));
    /* a metric: the triangle inequality holds */
    assert_true(pq <= l4p_space_distance(s, p, r) +
                          l4p_space_distance(s, r, q) + 1e-12);
  }
  free(cfgs);
  l4p_rng_free(rng);

  /* an option with a single value contributes 0 or 1 */
  struct l4p_space *one = l4p_space_new();
  double only[] = {3};
  add(one, opt_list("k", L4P_OPT_INT, only, 1, 3));
  double p1[1] = {3}, p2[1] = {4};
  assert_same(l4p_space_distance(one, p1, p1), 0);
  assert_same(l4p_space_distance(one, p1, p2), 1);
  l4p_space_free(one);
  l4p_space_free(s);
}

/* ------------------------------------------------- pruning, cloning */

static void test_fix_unfix(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("a", 0));
  add(s, opt_int("x", 0, 9, 1, 0));
  add(s, opt_enum("me", me_labels, 3, 0));
  constrain(s, "a -> x > 4");
  assert_count(s, 45);
  assert_int_equal(l4p_space_n_free(s), 3);

  assert_int_equal(l4p_space_fix(s, 1, 2), L4P_OK);
  assert_int_equal(l4p_space_n_free(s), 2);
  assert_count(s, 3);
  struct cfglist all;
  brute_force(s, &all);
  assert_int_equal(all.n, 3);
  free(all.cfg);
  struct l4p_rng *rng = l4p_rng_new(8);
  double cfg[3];
  for (int t = 0; t < 100; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_same(cfg[0], 0);
    assert_same(cfg[1], 2);
  }
  l4p_space_unfix(s, 1);
  assert_count(s, 45);
  assert_int_equal(l4p_space_fix(s, 2, 1), L4P_OK);
  assert_count(s, 15);
  for (int t = 0; t < 100; t++) {
    assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_OK);
    assert_same(cfg[2], 1);
  }
  /* fixing an unconstrained option again replaces the value */
  assert_int_equal(l4p_space_fix(s, 2, 2), L4P_OK);
  assert_count(s, 15);
  l4p_space_default_config(s, cfg);
  assert_same(cfg[2], 2);

  assert_fails(l4p_space_fix(s, 1, 10), L4P_EDOMAIN,
               "option 'x': cannot fix at 10");
  assert_fails(l4p_space_fix(s, 1, 3.5), L4P_EDOMAIN,
               "option 'x': cannot fix at 3.5");
  assert_fails(l4p_space_fix(s, 2, 5), L4P_EDOMAIN, "option 'me'");
  assert_int_equal(l4p_space_n_free(s), 2);

  /* fixing into a contradiction: nothing to count, sample or repair */
  assert_int_equal(l4p_space_fix(s, 0, 1), L4P_OK);
  assert_int_equal(l4p_space_fix(s, 1, 2), L4P_OK);
  assert_count(s, 0);
  assert_int_equal(l4p_space_sample_uniform(s, rng, cfg), L4P_ECONSTR);
  assert_int_equal(l4p_space_repair(s, cfg), L4P_ECONSTR);
  size_t bad;
  assert_int_equal(l4p_space_check_satisfiable(s, &bad), L4P_ECONSTR);
  assert_int_equal(bad, 0);
  l4p_space_unfix(s, 0);
  l4p_space_unfix(s, 1);
  l4p_space_unfix(s, 2);
  assert_count(s, 45);
  assert_int_equal(l4p_space_n_free(s), 3);
  l4p_rng_free(rng);
  l4p_space_free(s);
}

static void test_clone(void **state)
{
  struct l4p_space *s = mixed_space();
  struct l4p_option o = opt_int("level", 1, 9, 1, 5);
  o.doc = "effort";
  o.cli = (struct l4p_cli){.flag = "-L", .form = L4P_CLI_ATTACHED,
                           .omit_default = true};
  add(s, o);
  struct l4p_option sw = opt_bool("fast", 1);
  sw.cli = (struct l4p_cli){.flag = "--fast", .false_flag = "--no-fast",
                            .form = L4P_CLI_SWITCH};
  add(s, sw);
  constrain(s, "me == 'umh' -> x > 2");
  constrain(s, "fast || level < 5");
  assert_int_equal(l4p_space_fix(s, 3, 0.75), L4P_OK);
  struct l4p_space *c = l4p_space_clone(s);
  assert_non_null(c);
  assert_int_equal(l4p_space_n_options(c), l4p_space_n_options(s));
  assert_int_equal(l4p_space_n_features(c), l4p_space_n_features(s));
  assert_int_equal(l4p_space_n_free(c), l4p_space_n_free(s));
  for (size_t i = 0; i < l4p_space_n_options(s); i++) {
    const struct l4p_option *p = l4p_space_option(s, i);
    const struct l4p_option *q = l4p_space_option(c, i);
    assert_string_equal(p->name, q->name);
    assert_true(p->name != q->name);
    assert_int_equal(p->type, q->type);
    assert_int_equal(p->n_values, q->n_values);
    for (size_t k = 0; k < p->n_values; k++) {
      if (p->type == L4P_OPT_ENUM)
        assert_string_equal(p->labels[k], q->labels[k]);
      else
        assert_same(p->values[k], q->values[k]);
    }
    assert_same(p->min, q->min);
    assert_same(p->max, q->max);
    assert_same(p->step, q->step);
    assert_same(p->default_value, q->default_value);
    assert_int_equal(p->fixed, q->fixed);
    assert_same(p->fixed_value, q->fixed_value);
    assert_int_equal(p->doc == NULL, q->doc == NULL);
    if (p->doc)
      assert_string_equal(p->doc, q->doc);
    assert_int_equal(p->cli.form, q->cli.form);
    assert_int_equal(p->cli.omit_default, q->cli.omit_default);
    assert_int_equal(p->cli.flag == NULL, q->cli.flag == NULL);
    if (p->cli.flag)
      assert_string_equal(p->cli.flag, q->cli.flag);
    assert_int_equal(p->cli.false_flag == NULL, q->cli.false_flag == NULL);
    if (p->cli.false_flag)
      assert_string_equal(p->cli.false_flag, q->cli.false_flag);
  }
  assert_int_equal(l4p_space_n_constraints(c), 2);
  assert_string_equal(l4p_space_constraint_text(c, 1), "fast || level < 5");
  bool exact;
  char *n1 = count_text(s, &exact), *n2 = count_text(c, &exact);
  assert_string_equal(n1, n2);
  free(n1);
  free(n2);
  /* the copy is independent */
  l4p_space_unfix(c, 3);
  assert_true(l4p_space_option(s, 3)->fixed);
  l4p_space_free(s);
  double cfg[7] = {0, 4, 2, 0.5, 1, 4, 1};
  assert_int_equal(l4p_space_validate(c, cfg), L4P_OK);
  l4p_space_free(c);
}

static void test_config_key(void **state)
{
  struct l4p_space *s = l4p_space_new();
  add(s, opt_bool("b", 0));
  add(s, opt_bool("c", 0));
  add(s, opt_int("crf", 0, 51, 1, 23));
  add(s, opt_enum("me", me_labels, 3, 0));
  add(s, opt_float("f", -1, 1, 0, 0));
  double cfg[5] = {1, 0, 23, 0, 0.25};
  char *key = l4p_space_config_key(s, cfg);
  assert_string_equal(key, "1,0,23,dia,0.25");
  free(key);
  /* -0 is the same number as 0: the same configuration, the same key */
  double z1[5] = {0, 0, 0, 0, 0}, z2[5] = {-0.0, 0, -0.0, 0, -0.0};
  char *k1 = l4p_space_config_key(s, z1), *k2 = l4p_space_config_key(s, z2);
  assert_string_equal(k1, k2);
  assert_string_equal(k1, "0,0,0,dia,0");
  free(k1);
  free(k2);
  l4p_space_free(s);

  /* distinct configurations, distinct keys */
  s = mixed_space();
  double *cfgs;
  size_t n;
  assert_int_equal(l4p_space_enumerate(s, 10000, &cfgs, &n), L4P_OK);
  char **keys = calloc(n, sizeof *keys);
  for (size_t k = 0; k < n; k++)
    assert_non_null(keys[k] = l4p_space_config_key(s, cfgs + k * 5));
  for (size_t k = 0; k < n; k++)
    for (size_t j = 0; j < k; j++)
      if (strcmp(keys[k], keys[j]) == 0)
        fail_msg("configurations %zu and %zu share key '%s'", j, k,
                 keys[k]);
  /* every key reads back to its configuration */
  for (size_t k = 0; k < n; k++) {
    double back[5];
    assert_int_equal(l4p_space_config_from_key(s, keys[k], back), L4P_OK);
    assert_memory_equal(back, cfgs + k * 5, sizeof back);
  }
  for (size_t k = 0; k < n; k++)
    free(keys[k]);
  free(keys);
  free(cfgs);
  l4p_space_free(s);
}

/* Labels holding commas or backslashes survive the key round trip; keys
 * of the wrong shape are refused. */
static void test_config_key_escapes(void **state)
{
  static char *labels[] = {"a,b", "c\\d", "plain"};
  struct l4p_space *s = l4p_space_new();
  add(s, opt_enum("odd", labels, 3, 0));
  add(s, opt_int("n", 0, 9, 1, 0));
  for (int k = 0; k < 3; k++) {
    double cfg[2] = {k, 7}, back[2];
    char *key = l4p_space_config_key(s, cfg);
    assert_int_equal(l4p_space_config_from_key(s, key, back), L4P_OK);
    assert_memory_equal(back, cfg, sizeof cfg);
    free(key);
  }
  double back[2];
  assert_int_equal(l4p_space_config_from_key(s, "plain", back), L4P_EPARSE);
  assert_int_equal(l4p_space_config_from_key(s, "plain,1,2", back),
                   L4P_EPARSE);
  assert_int_equal(l4p_space_config_from_key(s, "plain,10", back),
                   L4P_EDOMAIN);
  l4p_space_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_domain_bool),
      cmocka_unit_test(test_domain_int_range),
      cmocka_unit_test(test_domain_int_values),
      cmocka_unit_test(test_domain_float),
      cmocka_unit_test(test_domain_enum),
      cmocka_unit_test(test_add_option_checks),
      cmocka_unit_test(test_value_parse_format),
      cmocka_unit_test(test_expr_logic),
      cmocka_unit_test(test_expr_arithmetic),
      cmocka_unit_test(test_expr_names_labels),
      cmocka_unit_test(test_expr_odd_names),
      cmocka_unit_test(test_expr_errors),
      cmocka_unit_test(test_validate),
      cmocka_unit_test(test_count_vs_brute_force),
      cmocka_unit_test(test_count_huge),
      cmocka_unit_test(test_count_special),
      cmocka_unit_test(test_count_big_group),
      cmocka_unit_test(test_sample_uniform_chi2),
      cmocka_unit_test(test_sample_rejection_and_continuous),
      cmocka_unit_test(test_sample_unsatisfiable),
      cmocka_unit_test(test_sample_deterministic),
      cmocka_unit_test(test_repair_nearest),
      cmocka_unit_test(test_repair_snap_fixed_unsat),
      cmocka_unit_test(test_repair_greedy),
      cmocka_unit_test(test_enumerate),
      cmocka_unit_test(test_enumerate_order_and_refusals),
      cmocka_unit_test(test_encode_decode),
      cmocka_unit_test(test_distance),
      cmocka_unit_test(test_fix_unfix),
      cmocka_unit_test(test_clone),
      cmocka_unit_test(test_config_key),
      cmocka_unit_test(test_config_key_escapes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
