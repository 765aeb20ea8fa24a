/* The builtin filter role: judges from an option's name and description
 * whether it can influence the chosen objectives, with the rules of
 * filter_rules.c. The name speaks first (an option called "verbose" is
 * about logging whatever its text says; a name with words of both kinds,
 * "log_level", is settled by the doc); an impactful word anywhere else
 * wins over a harmless one (conservative); an impactful rule whose
 * objective kinds miss every chosen objective prunes (I/O flags do not
 * change a compressed size); an option no rule recognises is kept.
 * Every reason names the rule and the words that triggered it.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "agent-int.h"
#include "filter-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

#define MAX_RULES 32
#define MAX_WORDS 256

/* The words of one text that matched each rule (at most 3 per rule). */
struct hits {
  size_t n[MAX_RULES];
  char words[MAX_RULES][3][32];
};

static void find_hits(const char *text, struct hits *h)
{
  char words[MAX_WORDS][32];
  memset(h, 0, sizeof *h);
  size_t n = l4p__filter_words(text, words, MAX_WORDS);
  for (size_t r = 0; r < MAX_RULES && l4p__filter_rules[r].name; r++)
    for (size_t w = 0; w < n; w++)
      for (const char *const *kw = l4p__filter_rules[r].words; *kw; kw++) {
        if (!l4p__filter_word_matches(words[w], *kw))
          continue;
        bool dup = false;
        for (size_t k = 0; k < h->n[r]; k++)
          dup |= strcmp(h->words[r][k], words[w]) == 0;
        if (!dup && h->n[r] < 3)
          memcpy(h->words[r][h->n[r]++], words[w], 32);
        break;
      }
}

/* The first rule of the given kind (keep or not) with hits; -1. */
static int first_rule(const struct hits *h, bool keep)
{
  for (size_t r = 0; r < MAX_RULES && l4p__filter_rules[r].name; r++)
    if (h->n[r] && l4p__filter_rules[r].keep == keep)
      return (int)r;
  return -1;
}

/* "rule: 'a', 'b' in the name" */
static void describe(struct l4px_sb *sb, const struct hits *h, int r,
                     const char *where)
{
  l4px_sb_printf(sb, "%s%s: ", sb->len ? "; " : "", l4p__filter_rules[r].name);
  for (size_t k = 0; k < h->n[r]; k++)
    l4px_sb_printf(sb, "%s'%s'", k ? ", " : "", h->words[r][k]);
  l4px_sb_printf(sb, " in the %s", where);
}

static const char *const kind_names[] = {"time", "size", "memory", "energy",
                                         "quality"};

static void kinds_text(struct l4px_sb *sb, unsigned kinds)
{
  bool first = true;
  for (unsigned k = 0; k < 5; k++)
    if (kinds & (1u << k)) {
      l4px_sb_printf(sb, "%s%s", first ? "" : ", ", kind_names[k]);
      first = false;
    }
}

/* Decide one option; the reason goes into sb. */
static bool decide(const json_t *opt, unsigned objective_kinds,
                   const char *objective_names, struct l4px_sb *sb)
{
  struct hits name, doc;
  const char *n = json_string_value(json_object_get(opt, "name"));
  const char *d = json_string_value(json_object_get(opt, "doc"));
  if (json_object_get(opt, "fixed")) {
    l4px_sb_puts(sb, "fixed: the spec already holds it at one value -> "
                     "pruned");
    return false;
  }
  find_hits(n, &name);
  find_hits(d, &doc);
  int keep_name = first_rule(&name, true),
      prune_name = first_rule(&name, false);
  int keep_doc = first_rule(&doc, true), prune_doc = first_rule(&doc, false);
  if (prune_name >= 0 && keep_name < 0) {
    describe(sb, &name, prune_name, "name");
    l4px_sb_printf(sb, " -> pruned: %s", l4p__filter_rules[prune_name].why);
    return false;
  }
  if (prune_name >= 0 && keep_doc < 0 && prune_doc >= 0) {
    /* "log_level": the name is torn, the doc is not */
    describe(sb, &name, prune_name, "name");
    describe(sb, &doc, prune_doc, "doc");
    l4px_sb_printf(sb, " -> pruned: %s", l4p__filter_rules[prune_doc].why);
    return false;
  }
  if (keep_name < 0 && keep_doc < 0) {
    if (prune_doc >= 0) {
      describe(sb, &doc, prune_doc, "doc");
      l4px_sb_printf(sb, " -> pruned: %s", l4p__filter_rules[prune_doc].why);
      return false;
    }
    l4px_sb_puts(sb, d && d[0] ? "no rule matched the name or doc -> kept "
                                 "(unknown options are kept)"
                               : "no rule matched and no doc -> kept "
                                 "(unknown options are kept)");
    return true;
  }
  unsigned affects = 0;
  for (size_t r = 0; r < MAX_RULES && l4p__filter_rules[r].name; r++)
    if (l4p__filter_rules[r].keep && (name.n[r] || doc.n[r]))
      affects |= l4p__filter_rules[r].affects;
  int main = keep_name >= 0 ? keep_name : keep_doc;
  if (keep_name >= 0)
    describe(sb, &name, keep_name, "name");
  if (keep_doc >= 0 && keep_doc != keep_name)
    describe(sb, &doc, keep_doc, "doc");
  if (!(affects & objective_kinds)) {
    l4px_sb_puts(sb, " -> pruned: it can move ");
    kinds_text(sb, affects);
    l4px_sb_printf(sb, ", none of the objectives (%s)", objective_names);
    return false;
  }
  l4px_sb_printf(sb, " -> kept: %s", l4p__filter_rules[main].why);
  if (prune_name >= 0)
    l4px_sb_printf(sb, " (its name also has %s words)",
                   l4p__filter_rules[prune_name].name);
  return true;
}

l4p_status l4p__builtin_filter(const struct l4p_agent_ctx *ctx,
                               const json_t *in, json_t **out)
{
  (void)ctx;
  unsigned kinds = 0;
  struct l4px_sb names, reason;
  l4px_sb_init(&names);
  l4px_sb_init(&reason);
  size_t i;
  json_t *o;
  json_array_foreach (json_object_get(in, "objectives"), i, o) {
    kinds |= l4p__filter_objective_kind(
        json_string_value(json_object_get(o, "name")),
        json_string_value(json_object_get(o, "unit")),
        json_string_value(json_object_get(o, "doc")));
    l4px_sb_printf(&names, "%s%s", i ? ", " : "",
                   json_string_value(json_object_get(o, "name")));
  }
  if (!kinds)
    kinds = L4P__OBJ_ALL;
  json_t *list = json_array();
  json_array_foreach (json_object_get(in, "options"), i, o) {
    l4px_sb_reset(&reason);
    bool keep = decide(o, kinds, names.buf, &reason);
    json_array_append_new(
        list,
        json_pack("{s:O,s:b,s:s}", "option", json_object_get(o, "name"), "keep",
                  keep, "reason", l4px_sb_failed(&reason) ? "?" : reason.buf));
  }
  bool oom = l4px_sb_failed(&names) || l4px_sb_failed(&reason);
  l4px_sb_release(&names);
  l4px_sb_release(&reason);
  *out = oom ? NULL : json_pack("{s:o}", "decisions", list);
  if (oom)
    json_decref(list);
  return *out ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
