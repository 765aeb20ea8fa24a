/* The builders and checks declared in space_build.h, shared by the
 * configuration-space unit tests; they fail the running test (cmocka) on
 * anything unexpected.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "space_build.h"

/* ---------------------------------------------------------- builders */

/* The option descriptions of space_build.h: only the fields given set. */
struct l4p_option opt_bool(const char *name, double def)
{
  return (struct l4p_option){
      .name = (char *)name, .type = L4P_OPT_BOOL, .default_value = def};
}

struct l4p_option opt_int(const char *name, double min, double max, double step,
                          double def)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = L4P_OPT_INT,
                             .min = min,
                             .max = max,
                             .step = step,
                             .default_value = def};
}

struct l4p_option opt_float(const char *name, double min, double max,
                            double step, double def)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = L4P_OPT_FLOAT,
                             .min = min,
                             .max = max,
                             .step = step,
                             .default_value = def};
}

struct l4p_option opt_list(const char *name, enum l4p_option_type t,
                           double *values, size_t n, double def)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = t,
                             .n_values = n,
                             .values = values,
                             .default_value = def};
}

struct l4p_option opt_enum(const char *name, char **labels, size_t n,
                           double def)
{
  return (struct l4p_option){.name = (char *)name,
                             .type = L4P_OPT_ENUM,
                             .n_values = n,
                             .labels = labels,
                             .default_value = def};
}

/* Add o to s, or fail the test with the library's message. */
void add(struct l4p_space *s, struct l4p_option o)
{
  l4p_status st = l4p_space_add_option(s, &o);
  if (st)
    fail_msg("adding '%s': %s", o.name, l4p_last_error());
}

/* Add the constraint text to s, or fail the test with the message. */
void constrain(struct l4p_space *s, const char *text)
{
  l4p_status st = l4p_space_add_constraint(s, text);
  if (st)
    fail_msg("constraint '%s': %s", text, l4p_last_error());
}

/* See space_build.h. */
char *me_labels[3] = {"dia", "hex", "umh"};

/* ------------------------------------------------------- brute force */

/* Walk the product of the free domains in order, the last option fastest,
 * and keep what validates (see struct cfglist in space_build.h). */
void brute_force(const struct l4p_space *s, struct cfglist *out)
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
      cfg[i] = o->fixed ? o->fixed_value : l4p_option_value_at(o, rest % card);
      rest /= card;
    }
    if (l4p_space_validate(s, cfg) == L4P_OK)
      memcpy(out->cfg + out->n++ * d, cfg, d * sizeof *cfg);
  }
  free(cfg);
}

/* A linear search comparing the values byte for byte. */
ptrdiff_t find_cfg(const struct cfglist *l, const double *cfg)
{
  for (size_t k = 0; k < l->n; k++)
    if (memcmp(l->cfg + k * l->d, cfg, l->d * sizeof *cfg) == 0)
      return (ptrdiff_t)k;
  return -1;
}

/* A random space of 2..6 discrete options and 1..4 random constraints
 * (some with dashed names, some unsatisfiable). */
struct l4p_space *random_space(struct l4p_rng *rng)
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
      add(s, opt_list(name, L4P_OPT_INT, list, 3 + l4p_rng_below(rng, 3), 0));
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
        snprintf(atoms[k], sizeof atoms[k], "%s{%s}", neg ? "!" : "", o->name);
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

/* ---------------------------------------------------------- counting */

/* The exact count of s as decimal text (compared as a string); fails
 * the test when counting fails or the space is infinite. */
char *count_text(const struct l4p_space *s, bool *exact)
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

/* count_text() equals want, and the count is exact. */
void assert_count(const struct l4p_space *s, size_t want)
{
  bool exact;
  char *got = count_text(s, &exact);
  char text[32];
  snprintf(text, sizeof text, "%zu", want);
  assert_string_equal(got, text);
  assert_true(exact);
  free(got);
}
