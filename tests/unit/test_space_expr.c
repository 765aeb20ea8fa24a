/* Unit tests for the constraint expressions of configuration spaces
 * (src/space/): precedence and associativity of the logic and arithmetic
 * operators, constants, enum labels, names with '-' and '.', braced and
 * odd names, and parse and usage errors. The rest of the space tests are
 * in test_space.c; the builders used here are in space_build.c.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "llm4perf/space.h"
#include "space_build.h"

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
  assert_true(H("a -> b -> c", 0, 0, 0, 0, 0)); /* (a -> (b -> c)) */
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
  assert_true(holds("{x} > 1 && {rc.lookahead} > x", 0, 0, 0, 2, 0, 0, 0, 0));

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
  constrain(s, "{not} || {true} || 2 > 5");         /* 2: the number */
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
  expr_fails("a && aq_mode", L4P_EUSAGE, "column 6: unknown option 'aq_mode'");
  expr_fails("{no such} || a", L4P_EUSAGE, "unknown option 'no such'");
  expr_fails("me == 'foo'", L4P_EUSAGE,
             "constraint 'me == 'foo'': option 'me' has no value 'foo'");
  expr_fails("'HEX' != me", L4P_EUSAGE, "has no value 'HEX'");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expr_logic),
      cmocka_unit_test(test_expr_arithmetic),
      cmocka_unit_test(test_expr_names_labels),
      cmocka_unit_test(test_expr_odd_names),
      cmocka_unit_test(test_expr_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
