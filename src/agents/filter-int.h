/* The builtin filter's rule table and word helpers (filter_rules.c),
 * applied by builtin_filter.c. */
#ifndef L4P_FILTER_INT_H
#define L4P_FILTER_INT_H

#include <stdbool.h>
#include <stddef.h>

/* Kinds of objectives a rule can move (bits). */
enum {
  L4P__OBJ_TIME = 1,
  L4P__OBJ_SIZE = 2,
  L4P__OBJ_MEMORY = 4,
  L4P__OBJ_ENERGY = 8,
  L4P__OBJ_QUALITY = 16,
  L4P__OBJ_ALL = 31
};

struct l4p__filter_rule {
  const char *name;         /* "logging", "parallelism", ... */
  bool keep;                /* impactful (kept) or not (pruned) */
  unsigned affects;         /* keep rules: objective kinds it moves */
  const char *why;          /* the end of the reason, "only shows..." */
  const char *const *words; /* NULL-terminated; "x*" is a prefix */
};

/* The rules, ended by a row with a NULL name. */
extern const struct l4p__filter_rule l4p__filter_rules[];

/* Does word (lower case) match keyword ("thread*", "check")? */
bool l4p__filter_word_matches(const char *word, const char *keyword);

/* The lower-case alphanumeric words of text, at most max of them, each
 * cut to 31 bytes; returns how many. */
size_t l4p__filter_words(const char *text, char words[][32], size_t max);

/* The kinds of an objective from its name, else unit, else doc;
 * L4P__OBJ_ALL when none is recognised (then every rule applies). */
unsigned l4p__filter_objective_kind(const char *name, const char *unit,
                                    const char *doc);

#endif
