/* The builtin design role: an analysis in, a strategy as sampling weights
 * out (docs/AGENTS.md gives how a generator turns it into per-value
 * probabilities). Exploitation: each influential option's best value per
 * objective (from "best", else from the direction and the goal), each
 * weighted by its strength and shared among the objectives, so opposed
 * objectives pull towards the trade-off rather than one end; and the
 * values seen on the measured Pareto front. Exploration: a uniform share
 * that falls as the budget is used (tag-design-schedule) plus the
 * analysis's coverage gaps. Nothing is avoided: a performance model
 * needs every region, only in proportion.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* tag-design-schedule: explore = 0.8 - 0.6 * (measured / budget), so
 * 0.8 at the start and 0.2 when the budget is spent; 0.8 while the
 * analysis finds no option with strength >= MIN_STRENGTH. */
#define EXPLORE_START 0.8
#define EXPLORE_END 0.2
#define MIN_STRENGTH 0.05
#define EXPLOIT_SHARE 0.7 /* of the focus mass: best values */
#define FRONT_WEIGHT 0.3  /* values on the measured front */
#define GAP_SHARE 0.5     /* gaps get explore * GAP_SHARE */

struct design {
  json_t *options; /* the input's option list */
  json_t *focus;   /* entries being built */
  json_t *index;   /* "option\x1fvalues" -> position in focus */
  struct l4px_sb why;
};

static const json_t *find_option(const struct design *d, const char *name)
{
  size_t i;
  json_t *o;
  json_array_foreach (d->options, i, o) {
    if (!strcmp(json_string_value(json_object_get(o, "name")), name))
      return o;
  }
  return NULL;
}

/* Add weight to the entry (option, values), creating it when new. */
static void add_focus(struct design *d, const char *option, json_t *values,
                      double weight)
{
  char *key_values = json_dumps(values, JSON_COMPACT | JSON_ENCODE_ANY);
  struct l4px_sb key;
  l4px_sb_init(&key);
  l4px_sb_printf(&key, "%s\x1f%s", option, key_values ? key_values : "");
  free(key_values);
  json_t *at = json_object_get(d->index, key.buf);
  if (at) {
    json_t *e = json_array_get(d->focus, (size_t)json_integer_value(at));
    double w = json_real_value(json_object_get(e, "weight")) + weight;
    json_object_set_new(e, "weight", json_real(fmin(1, w)));
    json_decref(values);
  } else if (!l4px_sb_failed(&key)) {
    json_object_set_new(d->index, key.buf,
                        json_integer((json_int_t)json_array_size(d->focus)));
    json_array_append_new(d->focus,
                          json_pack("{s:s,s:o,s:f}", "option", option, "values",
                                    values, "weight", fmin(1, weight)));
  } else {
    json_decref(values);
  }
  l4px_sb_release(&key);
}

/* The lowest or highest value of an ordered option, or NULL. */
static json_t *extreme(const json_t *opt, bool highest)
{
  const char *type = json_string_value(json_object_get(opt, "type"));
  if (!strcmp(type, "enum"))
    return NULL;
  json_t *values = json_object_get(opt, "values");
  if (json_array_size(values))
    return json_incref(
        json_array_get(values, highest ? json_array_size(values) - 1 : 0));
  json_t *v = json_object_get(opt, highest ? "max" : "min");
  return v ? json_incref(v) : NULL;
}

/* The value an influence points to for a goal, or NULL. */
static json_t *target(const json_t *inf, const json_t *opt, bool maximize)
{
  json_t *best = json_object_get(inf, "best");
  if (best)
    return json_incref(best);
  const char *dir = json_string_value(json_object_get(inf, "direction"));
  if (!strcmp(dir, "increase"))
    return extreme(opt, maximize);
  if (!strcmp(dir, "decrease"))
    return extreme(opt, !maximize);
  return NULL;
}

static bool goal_max(const json_t *in, const char *objective)
{
  size_t i;
  json_t *o;
  json_array_foreach (json_object_get(in, "objectives"), i, o) {
    if (!strcmp(json_string_value(json_object_get(o, "name")), objective))
      return !strcmp(json_string_value(json_object_get(o, "goal")), "max");
  }
  return false;
}

/* Best values per objective; returns the strongest strength seen and
 * marks influential options in the object influential. */
static double exploit(struct design *d, const json_t *in,
                      const json_t *analysis, json_t *influential)
{
  const json_t *objs = json_object_get(analysis, "objectives"), *o, *inf;
  size_t m = json_array_size(objs), j, i;
  double strongest = 0;
  json_array_foreach (objs, j, o) {
    const char *name = json_string_value(json_object_get(o, "name"));
    bool maximize = goal_max(in, name);
    json_array_foreach (json_object_get(o, "influences"), i, inf) {
      const char *option = json_string_value(json_object_get(inf, "option"));
      double s = json_number_value(json_object_get(inf, "strength"));
      const json_t *opt = find_option(d, option);
      strongest = fmax(strongest, opt ? s : 0);
      json_t *v = opt && s >= MIN_STRENGTH ? target(inf, opt, maximize) : NULL;
      if (!v)
        continue;
      json_object_set_new(influential, option, json_true());
      char *shown = json_dumps(v, JSON_ENCODE_ANY);
      l4px_sb_printf(&d->why, "%s %s -> %s (%s, %.2f)",
                     d->why.len ? ";" : " exploit:", option,
                     shown ? shown : "?", name, s);
      free(shown);
      add_focus(d, option, json_pack("[o]", v),
                EXPLOIT_SHARE * s / (double)(m ? m : 1));
    }
  }
  return strongest;
}

/* The values influential options take on the measured front. */
static void front(struct design *d, const json_t *analysis,
                  const json_t *influential)
{
  const char *option;
  json_t *flag;
  json_object_foreach ((json_t *)influential, option, flag) {
    json_t *values = json_array(), *p;
    size_t i;
    json_array_foreach (json_object_get(analysis, "pareto"), i, p) {
      json_t *v = json_object_get(json_object_get(p, "config"), option);
      bool seen = false;
      size_t k;
      json_t *w;
      json_array_foreach (values, k, w)
        seen |= json_equal(v, w);
      if (v && !seen)
        json_array_append(values, v);
    }
    if (json_array_size(values))
      add_focus(d, option, values, FRONT_WEIGHT);
    else
      json_decref(values);
  }
}

l4p_status l4p__builtin_design(const struct l4p_agent_ctx *ctx,
                               const json_t *in, json_t **out)
{
  (void)ctx;
  const json_t *analysis = json_object_get(in, "analysis");
  struct design d = {
      json_object_get(in, "options"), json_array(), json_object(), {0}};
  l4px_sb_init(&d.why);
  double measured = (double)json_integer_value(json_object_get(in, "measured"));
  double budget = (double)json_integer_value(json_object_get(in, "budget"));
  double left = (double)json_integer_value(json_object_get(in, "budget_left"));
  if (budget < measured + left)
    budget = measured + left;
  double used = budget > 0 ? fmin(1, measured / budget) : 0;
  json_t *influential = json_object();
  double strongest = exploit(&d, in, analysis, influential);
  front(&d, analysis, influential);
  double explore = EXPLORE_START - (EXPLORE_START - EXPLORE_END) * used;
  if (strongest < MIN_STRENGTH)
    explore = EXPLORE_START;
  size_t i;
  json_t *g;
  json_array_foreach (json_object_get(analysis, "gaps"), i, g) {
    const char *option = json_string_value(json_object_get(g, "option"));
    json_t *values = json_object_get(g, "values");
    if (find_option(&d, option) && json_array_size(values))
      add_focus(&d, option, json_incref(values), GAP_SHARE * explore);
  }
  struct l4px_sb text;
  l4px_sb_init(&text);
  l4px_sb_printf(&text,
                 "explore %.2f: %.0f of %.0f measured (0.8 - 0.6 x "
                 "the share used%s).%s%s",
                 explore, measured, budget,
                 strongest < MIN_STRENGTH ? "; no influential option yet, "
                                            "so 0.8"
                                          : "",
                 d.why.buf, d.why.len ? "." : "");
  if (json_object_size(influential))
    l4px_sb_puts(&text, " Front values of influential options are "
                        "favoured; gaps get explore x 0.5.");
  l4px_sb_puts(&text, " Nothing is avoided: the model needs every region.");
  bool oom = l4px_sb_failed(&text) || l4px_sb_failed(&d.why);
  *out = oom ? NULL
             : json_pack("{s:f,s:o,s:[],s:s}", "explore", explore, "focus",
                         d.focus, "avoid", "rationale", text.buf);
  if (oom)
    json_decref(d.focus);
  json_decref(d.index);
  json_decref(influential);
  l4px_sb_release(&text);
  l4px_sb_release(&d.why);
  return *out ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
