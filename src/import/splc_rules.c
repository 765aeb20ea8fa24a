/* The rules and rows of an SPL Conqueror import, once splc.c has turned
 * the model's options into a space: the feature tree, implied and excluded
 * options and the model's constraint texts become llm4perf constraints,
 * and each measured row becomes a table row (group members folded into
 * their enum's label).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/table.h"
#include "splc-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* ---- expressions for options ---- */

/* Append an option name as the expression parser reads it: plain
 * identifiers as they are, others ("8x8dct", "and") in braces. */
static void put_name(struct l4px_sb *out, const char *name)
{
  static const char *const words[] = {"and", "or", "not", "true", "false"};
  bool plain = isalpha((unsigned char)name[0]) || name[0] == '_';
  for (const char *p = name; *p && plain; p++)
    plain = isalnum((unsigned char)*p) || *p == '_';
  for (size_t k = 0; k < sizeof words / sizeof *words && plain; k++)
    plain = strcmp(name, words[k]) != 0;
  l4px_sb_printf(out, plain ? "%s" : "{%s}", name);
}

/* Append 'label' (or "label" when it holds a single quote). */
static void put_label(struct l4px_sb *out, const char *label)
{
  char q = strchr(label, '\'') ? '"' : '\'';
  l4px_sb_printf(out, "%c%s%c", q, label, q);
}

/* Append the expression that holds when binary option i is selected:
 * "1" when it always is, a group test for group members. */
static void selected(const struct l4p__splc *s, size_t i, struct l4px_sb *out)
{
  const struct l4p__splc_bin *b = &s->bins[i];
  const struct l4p__splc_group *g = b->group >= 0 ? &s->groups[b->group] : NULL;
  const struct l4p_option *e = NULL;
  switch (b->kind) {
  case L4P__BIN_ALWAYS:
    l4px_sb_puts(out, "1");
    break;
  case L4P__BIN_PLAIN:
    put_name(out, s->m.bin[i].name);
    break;
  case L4P__BIN_GROUP:
    if (!g->has_none) {
      l4px_sb_puts(out, "1");
      break;
    }
    l4px_sb_putc(out, '(');
    put_name(out, s->m.bin[i].name);
    l4px_sb_puts(out, " != 'none')");
    break;
  case L4P__BIN_CHILD:
    e = l4p_space_option(s->spec->space, (size_t)s->bins[g->parent].option);
    l4px_sb_putc(out, '(');
    put_name(out, e->name);
    l4px_sb_puts(out, " == ");
    put_label(out, e->labels[(size_t)b->label + g->has_none]);
    l4px_sb_putc(out, ')');
    break;
  }
}

static bool resolve(void *ctx, const char *name, struct l4px_sb *out,
                    bool *binary)
{
  const struct l4p__splc *s = ctx;
  int i = l4p__splc_find_bin(s, name);
  *binary = i >= 0;
  if (i >= 0)
    selected(s, (size_t)i, out);
  else if (l4p__splc_find_num(s, name) >= 0)
    put_name(out, name);
  else
    return false;
  return true;
}

/* Add text as a constraint unless it is trivially true or already there;
 * errors name the model line it came from. */
static l4p_status add_constraint(struct l4p__splc *s, const char *text,
                                 int line)
{
  struct l4p_space *space = s->spec->space;
  if (!strcmp(text, "1"))
    return L4P_OK;
  for (size_t i = 0; i < l4p_space_n_constraints(space); i++)
    if (strcmp(l4p_space_constraint_text(space, i), text) == 0)
      return L4P_OK;
  l4p_status st = l4p_space_add_constraint(space, text);
  if (st) {
    char where[256];
    snprintf(where, sizeof where, "%s:%d", s->fm, line);
    l4p_error_prefix(where);
  }
  return st;
}

/* Translate model text; errors name the model line and the text. */
static l4p_status translate(struct l4p__splc *s, const char *text, int line,
                            struct l4px_sb *out, struct l4px_sb *binaries)
{
  l4p_status st = l4p__splc_translate(text, resolve, s, out, binaries);
  if (st) {
    char where[512];
    snprintf(where, sizeof where, "%s:%d: constraint '%s'", s->fm, line, text);
    l4p_error_prefix(where);
  }
  return st;
}

/* Add "a -> b" (or b alone when a always holds). */
static l4p_status add_implication(struct l4p__splc *s, const char *a,
                                  const char *b, int line)
{
  if (!strcmp(b, "1"))
    return L4P_OK;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  if (strcmp(a, "1"))
    l4px_sb_printf(&sb, "%s -> %s", a, b);
  else
    l4px_sb_puts(&sb, b);
  l4p_status st = l4px_sb_failed(&sb) ? l4p_failf(L4P_ENOMEM, "out of memory")
                                      : add_constraint(s, sb.buf, line);
  l4px_sb_release(&sb);
  return st;
}

/* Parent links: a selected option selects its parent, and a mandatory
 * option is selected with its parent. Group members need neither: their
 * enum says both. */
static l4p_status tree_rules(struct l4p__splc *s, size_t i)
{
  const struct l4p__splc_bin *b = &s->bins[i];
  if (b->parent < 0 || (b->kind != L4P__BIN_PLAIN && b->kind != L4P__BIN_GROUP))
    return L4P_OK;
  struct l4px_sb me, up;
  l4px_sb_init(&me);
  l4px_sb_init(&up);
  selected(s, i, &me);
  selected(s, (size_t)b->parent, &up);
  int line = s->m.bin[i].line;
  l4p_status st = add_implication(s, me.buf, up.buf, line);
  if (!st && !s->m.bin[i].optional && strcmp(up.buf, "1"))
    st = add_implication(s, up.buf, me.buf, line);
  l4px_sb_release(&me);
  l4px_sb_release(&up);
  return st;
}

/* Are binary options i and the one named other members of one group? */
static bool siblings(const struct l4p__splc *s, size_t i, const char *other)
{
  int j = l4p__splc_find_bin(s, other);
  return j >= 0 && s->bins[i].kind == L4P__BIN_CHILD &&
         s->bins[j].kind == L4P__BIN_CHILD &&
         s->bins[i].group == s->bins[j].group;
}

/* impliedOptions: "a -> b"; excludedOptions outside a group:
 * "!(a && b)", written with the two sides in name order so that the
 * mirrored exclusion in the other option is recognised as a duplicate. */
static l4p_status link_rules(struct l4p__splc *s, size_t i)
{
  const struct l4p__splc_binary *mb = &s->m.bin[i];
  struct l4px_sb me, other, text;
  l4px_sb_init(&me);
  l4px_sb_init(&other);
  l4px_sb_init(&text);
  selected(s, i, &me);
  l4p_status st = L4P_OK;
  for (size_t k = 0; k < mb->implied.n && !st; k++) {
    l4px_sb_reset(&other);
    st = translate(s, mb->implied.items[k], mb->line, &other, NULL);
    if (!st)
      st = add_implication(s, me.buf, other.buf, mb->line);
  }
  for (size_t k = 0; k < mb->excluded.n && !st; k++) {
    if (siblings(s, i, mb->excluded.items[k]))
      continue;
    l4px_sb_reset(&other);
    l4px_sb_reset(&text);
    st = translate(s, mb->excluded.items[k], mb->line, &other, NULL);
    if (st)
      break;
    bool mine_first = strcmp(me.buf, other.buf) < 0;
    l4px_sb_printf(&text, "!(%s && %s)", mine_first ? me.buf : other.buf,
                   mine_first ? other.buf : me.buf);
    st = l4px_sb_failed(&text) ? l4p_failf(L4P_ENOMEM, "out of memory")
                               : add_constraint(s, text.buf, mb->line);
  }
  l4px_sb_release(&me);
  l4px_sb_release(&other);
  l4px_sb_release(&text);
  return st;
}

/* A constraint of the model's constraint sections. Mixed constraints with
 * req="all" only apply when all their binary options are selected, and
 * exprKind="neg" negates them. */
static l4p_status model_rule(struct l4p__splc *s,
                             const struct l4p__splc_constraint *c)
{
  struct l4px_sb expr, bins, text;
  l4px_sb_init(&expr);
  l4px_sb_init(&bins);
  l4px_sb_init(&text);
  l4p_status st = translate(s, c->text, c->line, &expr, &bins);
  if (!st) {
    bool mixed = c->kind == L4P__SPLC_MIXED;
    if (mixed && c->require_all && bins.len)
      l4px_sb_printf(&text, "(%s) -> ", bins.buf);
    l4px_sb_printf(&text, mixed && c->negated ? "!(%s)" : "%s", expr.buf);
    st = l4px_sb_failed(&text) ? l4p_failf(L4P_ENOMEM, "out of memory")
                               : add_constraint(s, text.buf, c->line);
  }
  l4px_sb_release(&expr);
  l4px_sb_release(&bins);
  l4px_sb_release(&text);
  return st;
}

/* Tree rules first, then implied/excluded options, then the model's
 * constraint sections, each added once. */
l4p_status l4p__splc_constraints(struct l4p__splc *s)
{
  l4p_status st = L4P_OK;
  for (size_t i = 0; i < s->m.n_bin && !st; i++)
    st = tree_rules(s, i);
  for (size_t i = 0; i < s->m.n_bin && !st; i++)
    st = link_rules(s, i);
  for (size_t k = 0; k < s->m.n_con && !st; k++)
    st = model_rule(s, &s->m.con[k]);
  return st;
}

/* ---- rows ---- */

/* 0/1 cell of binary option i in kept row k. */
static l4p_status bool_cell(const struct l4p__splc *s, size_t k, size_t i,
                            double *v)
{
  const char *cell = l4p__cell(&s->im, k, (size_t)s->bins[i].col);
  if (l4p__bool_cell(cell, v))
    return L4P_OK;
  return l4p_failf(L4P_EDOMAIN, "%s:%d: column '%s': '%s' is not 0 or 1",
                   s->im.path, l4p__line(&s->im, k), s->m.bin[i].name, cell);
}

/* The enum value of group g in kept row k: the one selected member's
 * label, or "none" when the parent is off or no member is on. */
static l4p_status group_value(const struct l4p__splc *s, size_t k,
                              const struct l4p__splc_group *g, double *value)
{
  const char *path = s->im.path, *pname = s->m.bin[g->parent].name;
  int line = l4p__line(&s->im, k);
  double parent = 1, v;
  l4p_status st;
  if (s->bins[g->parent].col >= 0 && (st = bool_cell(s, k, g->parent, &parent)))
    return st;
  int on = -1;
  for (size_t i = 0; i < g->n; i++) {
    if ((st = bool_cell(s, k, g->kids[i], &v)))
      return st;
    if (v != 1)
      continue;
    if (on >= 0)
      return l4p_failf(L4P_EDOMAIN,
                       "%s:%d: options '%s' and '%s' of group "
                       "'%s' are both selected",
                       path, line, s->m.bin[g->kids[on]].name,
                       s->m.bin[g->kids[i]].name, pname);
    if (parent != 1)
      return l4p_failf(L4P_EDOMAIN,
                       "%s:%d: column '%s' is 1 but its parent "
                       "'%s' is 0",
                       path, line, s->m.bin[g->kids[i]].name, pname);
    on = (int)i;
  }
  if (on < 0 && !g->has_none)
    return l4p_failf(L4P_EDOMAIN,
                     "%s:%d: no option of group '%s' is "
                     "selected",
                     path, line, pname);
  *value = on < 0 ? 0 : (double)on + g->has_none;
  return L4P_OK;
}

/* Value of numeric option j in kept row k, snapped to its domain. */
static l4p_status num_value(const struct l4p__splc *s, size_t k, size_t j,
                            double *value)
{
  const struct l4p__splc_num *n = &s->nums[j];
  const char *cell = l4p__cell(&s->im, k, (size_t)n->col);
  double v;
  if (l4px_parse_double(cell, &v)) {
    v = l4p__splc_round(v);
    for (size_t i = 0; i < n->opt.n_values; i++)
      if (n->opt.values[i] == v) {
        *value = v;
        return L4P_OK;
      }
    if (!n->opt.n_values && v >= n->opt.min && v <= n->opt.max) {
      *value = v;
      return L4P_OK;
    }
  }
  return l4p_failf(L4P_EDOMAIN,
                   "%s:%d: column '%s': '%s' is outside the "
                   "option's domain",
                   s->im.path, l4p__line(&s->im, k), n->opt.name, cell);
}

/* Turn every kept row into a configuration and add it to table. */
l4p_status l4p__splc_rows(struct l4p__splc *s, struct l4p_table *table)
{
  size_t no = l4p_space_n_options(s->spec->space);
  double *cfg = calloc(no + 1, sizeof *cfg);
  double *values = calloc(s->spec->n_objectives + 1, sizeof *values);
  l4p_status st =
      cfg && values ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  size_t dropped = 0;
  for (size_t k = 0; k < s->im.n_rows && !st; k++) {
    for (size_t i = 0; i < s->m.n_bin && !st; i++) {
      const struct l4p__splc_bin *b = &s->bins[i];
      if (b->kind == L4P__BIN_PLAIN)
        st = bool_cell(s, k, i, &cfg[b->option]);
      else if (b->kind == L4P__BIN_GROUP)
        st = group_value(s, k, &s->groups[b->group], &cfg[b->option]);
    }
    for (size_t j = 0; j < s->m.n_num && !st; j++)
      st = num_value(s, k, j, &cfg[s->nums[j].option]);
    if (!st)
      st = l4p__row_objectives(&s->im, k, values);
    if (st)
      break;
    if (!l4p_space_satisfies(s->spec->space, cfg)) {
      dropped++;
      continue;
    }
    st = l4p_table_add(table, s->spec, cfg, values);
  }
  if (!st && dropped)
    l4p__note(&s->im, "%zu row%s breaking the model's constraints dropped",
              dropped, dropped == 1 ? "" : "s");
  if (!st && !table->n_rows)
    st = l4p_failf(L4P_ECONSTR,
                   "%s: every row breaks the feature model's "
                   "constraints",
                   s->im.path);
  free(cfg);
  free(values);
  return st;
}
