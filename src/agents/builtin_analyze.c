/* The builtin analyze role: the measured history in, trends out. Per
 * objective, each free option's influence is the spread of its fitted
 * level effects (analyze_fit.c) divided by the objective's measured
 * range, with a direction read from the effects in value order and the
 * best level for the objective's goal; the strongest options' pairs are
 * checked for interactions in the residuals; correlations, the Pareto
 * front and coverage gaps come from analyze_report.c.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "analyze-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

#define RIDGE_LAMBDA 1.0 /* on standardised y (tag-analyze-ridge) */
#define TOP_OPTIONS 4    /* options per objective checked in pairs */
#define MAX_INTERACTIONS 10
#define MAX_PARETO 20

static void view_release(struct l4p__history_view *h)
{
  free(h->configs);
  free(h->names);
  free(h->maximize);
  free(h->y);
  free(h->opt);
  free((size_t *)h->levels.L);
  free((size_t *)h->levels.lv);
  memset(h, 0, sizeof *h);
}

/* The free options the input lists, as space indices. */
static l4p_status read_options(const json_t *in, struct l4p__history_view *h)
{
  const json_t *list = json_object_get(in, "options"), *o;
  size_t i;
  h->opt = malloc((json_array_size(list) + 1) * sizeof *h->opt);
  if (!h->opt)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  json_array_foreach (list, i, o) {
    const char *name = json_string_value(json_object_get(o, "name"));
    int k = l4p_space_find(h->space, name);
    if (k < 0)
      return l4p_failf(L4P_EUSAGE,
                       "analyze input: option '%s' is not in "
                       "the space",
                       name);
    if (!l4p_space_option(h->space, (size_t)k)->fixed)
      h->opt[h->p++] = (size_t)k;
  }
  return L4P_OK;
}

/* The readable rows: their configurations, objective values and levels. */
static l4p_status read_rows(const json_t *in, struct l4p__history_view *h)
{
  const json_t *rows = json_object_get(in, "history"), *row;
  json_t *configs = json_array();
  size_t i, n_opt = l4p_space_n_options(h->space);
  json_array_foreach (rows, i, row)
    json_array_append(configs, json_object_get(row, "config"));
  struct l4p_agent_configs c;
  l4p_status st = l4p__read_configs_json(h->space, configs, &c);
  json_decref(configs);
  if (st)
    return st;
  size_t n = c.n;
  h->configs = malloc((n * n_opt + 1) * sizeof *h->configs);
  h->y = malloc((n * h->m + 1) * sizeof *h->y);
  size_t *L = malloc((h->p + 1) * sizeof *L);
  size_t *lv = malloc((n * h->p + 1) * sizeof *lv);
  h->levels = (struct l4p__levels){0, h->p, L, lv};
  if (!h->configs || !h->y || !L || !lv) {
    l4p_agent_configs_release(&c);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t f = 0; f < h->p; f++)
    L[f] = l4p_agent_levels(l4p_space_option(h->space, h->opt[f]));
  for (size_t r = 0; r < n; r++) {
    if (c.status[r] == L4P_CONFIG_INVALID)
      continue;
    const double *cfg = c.configs + r * n_opt;
    memcpy(h->configs + h->n * n_opt, cfg, n_opt * sizeof *cfg);
    for (size_t f = 0; f < h->p; f++)
      lv[h->n * h->p + f] = l4p_agent_level_of(
          l4p_space_option(h->space, h->opt[f]), cfg[h->opt[f]]);
    h->n++;
  }
  /* objective values, stored per objective, for the rows kept */
  for (size_t j = 0; j < h->m; j++) {
    size_t kept = 0;
    json_array_foreach (rows, i, row) {
      if (c.status[i] == L4P_CONFIG_INVALID)
        continue;
      json_t *v =
          json_object_get(json_object_get(row, "objectives"), h->names[j]);
      h->y[j * n + kept++] = json_is_number(v) ? json_number_value(v) : NAN;
    }
  }
  /* compact the per-objective blocks from stride n to stride h->n */
  for (size_t j = 1; j < h->m; j++)
    memmove(h->y + j * h->n, h->y + j * n, h->n * sizeof *h->y);
  h->levels.n = h->n;
  l4p_agent_configs_release(&c);
  return L4P_OK;
}

static l4p_status read_view(const struct l4p_space *space, const json_t *in,
                            struct l4p__history_view *h)
{
  memset(h, 0, sizeof *h);
  h->space = space;
  const json_t *objs = json_object_get(in, "objectives"), *o;
  size_t i;
  h->names = malloc((json_array_size(objs) + 1) * sizeof *h->names);
  h->maximize = malloc((json_array_size(objs) + 1) * sizeof *h->maximize);
  if (!h->names || !h->maximize)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  json_array_foreach (objs, i, o) {
    h->names[h->m] = json_string_value(json_object_get(o, "name"));
    h->maximize[h->m++] =
        !strcmp(json_string_value(json_object_get(o, "goal")), "max");
  }
  l4p_status st = read_options(in, h);
  return st ? st : read_rows(in, h);
}

/* "increase", "decrease", "mixed" or "none" from effects in level order
 * (enums have no order: mixed). */
static const char *direction(const struct l4p_option *opt, const double *e,
                             size_t L, double strength)
{
  if (strength < 0.01)
    return "none";
  if (opt->type == L4P_OPT_ENUM)
    return "mixed";
  double up = 0, down = 0, prev = NAN;
  for (size_t k = 0; k < L; k++) {
    if (!isfinite(e[k]))
      continue;
    if (isfinite(prev)) {
      up += e[k] > prev ? e[k] - prev : 0;
      down += e[k] < prev ? prev - e[k] : 0;
    }
    prev = e[k];
  }
  if (down <= 0.1 * (up + down))
    return "increase";
  if (up <= 0.1 * (up + down))
    return "decrease";
  return "mixed";
}

/* The level best for the goal: for a monotone trend the measured end it
 * points to (the ridge penalty shrinks a sparsely measured end level,
 * which must not hide the trend); else the best fitted effect. L when
 * no level was measured. */
static size_t best_level(const double *e, size_t L, const char *dir,
                         bool maximize)
{
  size_t best = L, first = L, last = L;
  for (size_t k = 0; k < L; k++)
    if (isfinite(e[k])) {
      first = first == L ? k : first;
      last = k;
      if (best == L || (maximize ? e[k] > e[best] : e[k] < e[best]))
        best = k;
    }
  bool up = !strcmp(dir, "increase"), down = !strcmp(dir, "decrease");
  if (up || down)
    return up == maximize ? last : first;
  return best;
}

struct influence {
  size_t f;
  double strength;
};

static int by_strength(const void *a, const void *b)
{
  const struct influence *x = a, *y = b;
  if (x->strength != y->strength)
    return x->strength > y->strength ? -1 : 1;
  return x->f < y->f ? -1 : x->f > y->f;
}

/* Influences on objective j (sorted, strongest first, into inf[]). */
static json_t *influences(const struct l4p__history_view *h, size_t j,
                          const struct l4p__effects *e, struct influence *inf)
{
  for (size_t f = 0; f < h->p; f++) {
    const double *eff = e->effect + e->offset[f];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < h->levels.L[f]; k++)
      if (isfinite(eff[k])) {
        lo = fmin(lo, eff[k]);
        hi = fmax(hi, eff[k]);
      }
    inf[f].f = f;
    inf[f].strength =
        hi > lo && e->range > 0 ? fmin(1, (hi - lo) / e->range) : 0;
  }
  qsort(inf, h->p, sizeof *inf, by_strength);
  json_t *list = json_array();
  for (size_t t = 0; t < h->p; t++) {
    size_t f = inf[t].f, L = h->levels.L[f];
    const struct l4p_option *opt = l4p_space_option(h->space, h->opt[f]);
    const double *eff = e->effect + e->offset[f];
    const char *dir = direction(opt, eff, L, inf[t].strength);
    size_t best = best_level(eff, L, dir, h->maximize[j]);
    json_t *o = json_pack("{s:s,s:s,s:f}", "option", opt->name, "direction",
                          dir, "strength", inf[t].strength);
    if (best < L && inf[t].strength >= 0.01)
      json_object_set_new(
          o, "best", l4p__value_json(opt, l4p_agent_level_value(opt, best)));
    json_array_append_new(list, o);
  }
  return list;
}

static int by_pair_strength(const void *a, const void *b)
{
  double x = json_real_value(json_object_get(*(json_t *const *)a, "strength"));
  double y = json_real_value(json_object_get(*(json_t *const *)b, "strength"));
  return x > y ? -1 : x < y;
}

/* Interactions among objective j's strongest options, added to pairs. */
static void interactions(const struct l4p__history_view *h, size_t j,
                         const struct l4p__effects *e,
                         const struct influence *inf, json_t *pairs)
{
  size_t top = 0;
  while (top < h->p && top < TOP_OPTIONS && inf[top].strength >= 0.05)
    top++;
  for (size_t a = 0; a < top; a++)
    for (size_t b = a + 1; b < top; b++) {
      double s = l4p__interaction(&h->levels, e, inf[a].f, inf[b].f);
      if (s < 0.05)
        continue;
      json_array_append_new(
          pairs, json_pack("{s:[s,s],s:s,s:f}", "options",
                           l4p_space_option(h->space, h->opt[inf[a].f])->name,
                           l4p_space_option(h->space, h->opt[inf[b].f])->name,
                           "objective", h->names[j], "strength", s));
    }
}

/* Keep the strongest MAX_INTERACTIONS pairs. */
static json_t *strongest(json_t *pairs)
{
  size_t n = json_array_size(pairs);
  json_t **v = malloc((n + 1) * sizeof *v), *out = json_array();
  for (size_t k = 0; v && k < n; k++)
    v[k] = json_array_get(pairs, k);
  if (v)
    qsort(v, n, sizeof *v, by_pair_strength);
  for (size_t k = 0; v && k < n && k < MAX_INTERACTIONS; k++)
    json_array_append(out, v[k]);
  free(v);
  json_decref(pairs);
  return out;
}

/* One paragraph a person (or the design prompt) can read. */
static json_t *summary(const struct l4p__history_view *h, const json_t *objs,
                       const json_t *corr, size_t front, const json_t *gaps)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb, "%zu configurations measured.", h->n);
  size_t j, i;
  json_t *o, *inf;
  json_array_foreach (objs, j, o) {
    l4px_sb_printf(&sb, " %s:", json_string_value(json_object_get(o, "name")));
    size_t shown = 0;
    json_array_foreach (json_object_get(o, "influences"), i, inf) {
      double s = json_real_value(json_object_get(inf, "strength"));
      if (shown == 3 || s < 0.05)
        break;
      l4px_sb_printf(&sb, "%s %s (%s, %.2f)", shown ? "," : "",
                     json_string_value(json_object_get(inf, "option")),
                     json_string_value(json_object_get(inf, "direction")), s);
      shown++;
    }
    l4px_sb_puts(&sb, shown ? "." : " no clear influence yet.");
  }
  json_array_foreach (corr, i, o)
    l4px_sb_printf(&sb, " %s and %s: r = %.2f.",
                   json_string_value(json_object_get(o, "a")),
                   json_string_value(json_object_get(o, "b")),
                   json_real_value(json_object_get(o, "r")));
  if (h->m > 1)
    l4px_sb_printf(&sb,
                   " The measured Pareto front holds %zu "
                   "configurations.",
                   front);
  if (json_array_size(gaps))
    l4px_sb_printf(&sb,
                   " %zu options have values rarely or never "
                   "measured.",
                   json_array_size(gaps));
  json_t *text = l4px_sb_failed(&sb) ? NULL : json_string(sb.buf);
  l4px_sb_release(&sb);
  return text;
}

l4p_status l4p__builtin_analyze(const struct l4p_agent_ctx *ctx,
                                const json_t *in, json_t **out)
{
  if (!ctx || !ctx->space)
    return l4p_failf(L4P_EUSAGE, "the builtin analyzer needs the space");
  struct l4p__history_view h;
  l4p_status st = read_view(ctx->space, in, &h);
  struct influence *inf = malloc((h.p + 1) * sizeof *inf);
  if (!st && !inf)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  json_t *objs = json_array(), *pairs = json_array();
  for (size_t j = 0; !st && j < h.m; j++) {
    struct l4p__effects e;
    if ((st = l4p__fit_effects(&h.levels, h.y + j * h.n, RIDGE_LAMBDA, &e)))
      break;
    json_t *list = influences(&h, j, &e, inf);
    interactions(&h, j, &e, inf, pairs);
    json_array_append_new(
        objs, json_pack("{s:s,s:o}", "name", h.names[j], "influences", list));
    l4p__effects_release(&e);
  }
  if (!st) {
    size_t front;
    json_t *corr = l4p__report_correlations(&h);
    json_t *pareto = l4p__report_pareto(&h, MAX_PARETO, &front);
    json_t *gaps = l4p__report_gaps(&h);
    json_t *text = summary(&h, objs, corr, front, gaps);
    *out = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "objectives", objs,
                     "interactions", strongest(pairs), "correlations", corr,
                     "pareto", pareto, "gaps", gaps, "summary", text);
    objs = pairs = NULL;
    if (!*out)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  json_decref(objs);
  json_decref(pairs);
  free(inf);
  view_release(&h);
  return st;
}
