/* The configuration space object: building it (options, constraints,
 * pruning), looking options up, and checking configurations against
 * domains and constraints.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

struct l4p_space *l4p_space_new(void)
{
  struct l4p_space *space = calloc(1, sizeof *space);
  if (space)
    pthread_mutex_init(&space->lock, NULL);
  return space;
}

static void release_constraint(struct l4p__constraint *c)
{
  free(c->text);
  l4p__expr_free(c->expr);
  free(c->vars);
}

void l4p_space_free(struct l4p_space *space)
{
  if (!space)
    return;
  for (size_t i = 0; i < space->n_options; i++)
    l4p__option_release(&space->options[i]);
  free(space->options);
  for (size_t i = 0; i < space->n_constraints; i++)
    release_constraint(&space->constraints[i]);
  free(space->constraints);
  l4p__analysis_free(space->analysis);
  pthread_mutex_destroy(&space->lock);
  free(space);
}

void l4p__space_changed(struct l4p_space *space)
{
  pthread_mutex_lock(&space->lock);
  l4p__analysis_free(space->analysis);
  space->analysis = NULL;
  pthread_mutex_unlock(&space->lock);
}

struct l4p_space *l4p_space_clone(const struct l4p_space *space)
{
  struct l4p_space *copy = l4p_space_new();
  if (!copy)
    return NULL;
  for (size_t i = 0; i < space->n_options; i++)
    if (l4p_space_add_option(copy, &space->options[i]))
      goto fail;
  for (size_t i = 0; i < space->n_constraints; i++)
    if (l4p_space_add_constraint(copy, space->constraints[i].text))
      goto fail;
  return copy;
fail:
  l4p_space_free(copy);
  return NULL;
}

l4p_status l4p_space_add_option(struct l4p_space *space,
                                const struct l4p_option *opt)
{
  if (opt->name && l4p_space_find(space, opt->name) >= 0)
    return l4p_failf(L4P_EUSAGE, "option '%s' is defined twice", opt->name);
  if (space->n_options == space->cap_options) {
    size_t cap = space->cap_options ? space->cap_options * 2 : 16;
    struct l4p_option *grown = realloc(space->options, cap * sizeof *grown);
    if (!grown)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    space->options = grown;
    space->cap_options = cap;
  }
  struct l4p_option *dst = &space->options[space->n_options];
  l4p_status st = l4p__option_copy(dst, opt);
  if (st)
    return st;
  if ((st = l4p__option_check(dst)) ||
      (dst->fixed && !l4p_option_contains(dst, dst->fixed_value) &&
       (st = l4p_failf(L4P_EDOMAIN,
                       "option '%s': fixed value %g is outside "
                       "its domain",
                       dst->name, dst->fixed_value)))) {
    l4p__option_release(dst);
    return st;
  }
  /* keep the domain's own double for a value given approximately ("0.3"
   * is the grid point 0 + 3 * 0.1 = 0.30000000000000004), as
   * l4p_value_parse does, so defaults equal sampled values exactly */
  if (l4p_option_cardinality(dst)) {
    dst->default_value = l4p_option_snap(dst, dst->default_value);
    if (dst->fixed)
      dst->fixed_value = l4p_option_snap(dst, dst->fixed_value);
  }
  space->n_options++;
  space->n_features += dst->type == L4P_OPT_ENUM ? dst->n_values : 1;
  l4p__space_changed(space);
  return L4P_OK;
}

l4p_status l4p_space_add_constraint(struct l4p_space *space, const char *text)
{
  if (space->n_constraints == space->cap_constraints) {
    size_t cap = space->cap_constraints ? space->cap_constraints * 2 : 8;
    struct l4p__constraint *grown =
        realloc(space->constraints, cap * sizeof *grown);
    if (!grown)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    space->constraints = grown;
    space->cap_constraints = cap;
  }
  struct l4p__constraint c = {0};
  l4p_status st = l4p__expr_parse(space, text, &c.expr, &c.vars, &c.n_vars);
  if (st)
    return st;
  if (!(c.text = strdup(text))) {
    release_constraint(&c);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  space->constraints[space->n_constraints++] = c;
  l4p__space_changed(space);
  return L4P_OK;
}

size_t l4p_space_n_options(const struct l4p_space *space)
{
  return space->n_options;
}

const struct l4p_option *l4p_space_option(const struct l4p_space *space,
                                          size_t i)
{
  return &space->options[i];
}

int l4p_space_find(const struct l4p_space *space, const char *name)
{
  for (size_t i = 0; i < space->n_options; i++)
    if (strcmp(space->options[i].name, name) == 0)
      return (int)i;
  return -1;
}

size_t l4p_space_n_constraints(const struct l4p_space *space)
{
  return space->n_constraints;
}

const char *l4p_space_constraint_text(const struct l4p_space *space, size_t i)
{
  return space->constraints[i].text;
}

l4p_status l4p_space_fix(struct l4p_space *space, size_t i, double value)
{
  struct l4p_option *opt = &space->options[i];
  if (!l4p_option_contains(opt, value)) {
    /* %g, not l4p_value_format: that rounds 3.5 to "4" for an int and
     * maps any number to a label for an enum, hiding the bad value */
    char text[64];
    snprintf(text, sizeof text, "%g", value);
    return l4p_failf(L4P_EDOMAIN,
                     "option '%s': cannot fix at %s, outside "
                     "its domain",
                     opt->name, text);
  }
  opt->fixed = true;
  opt->fixed_value =
      l4p_option_cardinality(opt) ? l4p_option_snap(opt, value) : value;
  l4p__space_changed(space);
  return L4P_OK;
}

void l4p_space_unfix(struct l4p_space *space, size_t i)
{
  space->options[i].fixed = false;
  l4p__space_changed(space);
}

size_t l4p_space_n_free(const struct l4p_space *space)
{
  size_t n = 0;
  for (size_t i = 0; i < space->n_options; i++)
    n += !space->options[i].fixed;
  return n;
}

void l4p_space_default_config(const struct l4p_space *space, double *cfg)
{
  for (size_t i = 0; i < space->n_options; i++) {
    const struct l4p_option *opt = &space->options[i];
    cfg[i] = opt->fixed ? opt->fixed_value : opt->default_value;
  }
}

bool l4p_space_satisfies(const struct l4p_space *space, const double *cfg)
{
  for (size_t c = 0; c < space->n_constraints; c++)
    if (!l4p__truth(l4p__expr_eval(space->constraints[c].expr, cfg)))
      return false;
  return true;
}

l4p_status l4p_space_validate(const struct l4p_space *space, const double *cfg)
{
  for (size_t i = 0; i < space->n_options; i++) {
    const struct l4p_option *opt = &space->options[i];
    char text[64];
    if (!l4p_option_contains(opt, cfg[i])) {
      snprintf(text, sizeof text, "%g", cfg[i]);
      return l4p_failf(L4P_EDOMAIN,
                       "option '%s': value %s is outside its "
                       "domain",
                       opt->name, text);
    }
    if (opt->fixed && cfg[i] != opt->fixed_value) {
      l4p_value_format(space, i, opt->fixed_value, text, sizeof text);
      return l4p_failf(L4P_EDOMAIN, "option '%s' is fixed at %s by pruning",
                       opt->name, text);
    }
  }
  for (size_t c = 0; c < space->n_constraints; c++)
    if (!l4p__truth(l4p__expr_eval(space->constraints[c].expr, cfg)))
      return l4p_failf(L4P_ECONSTR, "constraint '%s' is violated",
                       space->constraints[c].text);
  return L4P_OK;
}

char *l4p_space_config_key(const struct l4p_space *space, const double *cfg)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t i = 0; i < space->n_options; i++) {
    char text[256];
    l4p_value_format(space, i, cfg[i], text, sizeof text);
    if (i)
      l4px_sb_putc(&sb, ',');
    for (const char *p = text; *p; p++) {
      if (*p == ',' || *p == '\\')
        l4px_sb_putc(&sb, '\\'); /* labels may hold commas */
      l4px_sb_putc(&sb, *p);
    }
  }
  return l4px_sb_detach(&sb);
}

l4p_status l4p_space_config_from_key(const struct l4p_space *space,
                                     const char *key, double *cfg)
{
  const char *p = key;
  for (size_t i = 0; i < space->n_options; i++) {
    char text[256];
    size_t n = 0;
    for (; *p && *p != ','; p++) {
      if (*p == '\\' && p[1])
        p++;
      if (n + 1 < sizeof text)
        text[n++] = *p;
    }
    text[n] = '\0';
    if ((i + 1 < space->n_options) != (*p == ','))
      return l4p_failf(L4P_EPARSE,
                       "configuration key '%s' does not have "
                       "%zu values",
                       key, space->n_options);
    if (*p == ',')
      p++;
    l4p_status st = l4p_value_parse(space, i, text, &cfg[i]);
    if (st)
      return st;
  }
  return L4P_OK;
}
