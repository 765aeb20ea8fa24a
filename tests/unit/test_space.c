/* Unit tests for configuration spaces (src/space/ without the spec files):
 * option domains, value text forms, validation, encoding, distances,
 * pruning (fix and unfix), cloning and configuration keys. Constraint
 * expressions are in test_space_expr.c; counting, sampling, repair and
 * enumeration in test_space_count.c; the builders they share are in
 * space_build.c.
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
#include "space_build.h"

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
  assert_fails(l4p_space_add_option(
                   s, &(struct l4p_option){.name = "x", .type = L4P_OPT_BOOL}),
               L4P_EUSAGE, "option 'x' is defined twice");
  assert_fails(
      l4p_space_add_option(
          s, &(struct l4p_option){.name = "a b", .type = L4P_OPT_BOOL}),
      L4P_EUSAGE, "option name 'a b'");
  assert_fails(l4p_space_add_option(
                   s, &(struct l4p_option){.name = "", .type = L4P_OPT_BOOL}),
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
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "has too many values");
  o = opt_float("y", 0, 1, 1e-17, 0);
  assert_fails(l4p_space_add_option(s, &o), L4P_EDOMAIN, "has too many values");
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
  assert_fails(l4p_value_parse(s, 1, "23 ", &v), L4P_EDOMAIN, "not a number");
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
  assert_fails(l4p_value_parse(s, 5, "nan", &v), L4P_EDOMAIN, "not a number");
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
  o.cli = (struct l4p_cli){
      .flag = "-L", .form = L4P_CLI_ATTACHED, .omit_default = true};
  add(s, o);
  struct l4p_option sw = opt_bool("fast", 1);
  sw.cli = (struct l4p_cli){
      .flag = "--fast", .false_flag = "--no-fast", .form = L4P_CLI_SWITCH};
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
        fail_msg("configurations %zu and %zu share key '%s'", j, k, keys[k]);
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
  assert_int_equal(l4p_space_config_from_key(s, "plain,1,2", back), L4P_EPARSE);
  assert_int_equal(l4p_space_config_from_key(s, "plain,10", back), L4P_EDOMAIN);
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
      cmocka_unit_test(test_validate),
      cmocka_unit_test(test_encode_decode),
      cmocka_unit_test(test_distance),
      cmocka_unit_test(test_fix_unfix),
      cmocka_unit_test(test_clone),
      cmocka_unit_test(test_config_key),
      cmocka_unit_test(test_config_key_escapes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
