/* The builtin help-text parser's pieces (builtin extract role): option
 * entries cut out of GNU-style --help or formatted man-page text
 * (help_text.c), the flag part of an option line (help_flags.c) and the
 * facts its description states: default, range, enumerated values
 * (help_facts.c). builtin_extract.c types the entries and writes the
 * answer. */
#ifndef L4P_HELP_INT_H
#define L4P_HELP_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

#define L4P__HELP_MAX_VALUES 64

/* One documented option as written: its flags and description. */
struct l4p__help_entry {
  char long_flag[64];     /* "--level", "" when none */
  char short_flag[8];     /* "-L", "" when none */
  bool negatable;         /* written --[no-]name */
  char metavar[64];       /* "N", "<integer>", "level"; "" when none */
  bool equals;            /* --name=VALUE (or --name[=VALUE]) */
  bool optional_arg;      /* --name[=VALUE] */
  bool attached;          /* short flag with its value glued on: -T# */
  char literal[32];       /* --format=zstd: a literal value, not a metavar */
  char choices[160];      /* {a|b} or {a,b} written with the flag */
  int digit_lo, digit_hi; /* -0 ... -9 or -# presets; -1 when none, -2
                             for -# (range from the description) */
  int flag_col, desc_col; /* columns of the flags and the description */
  bool share_next;        /* flag-only line directly above another entry */
  bool bulleted;          /* written as a list item (zstd's man page) */
  struct l4px_sb desc;    /* description lines, '\n'-separated */
};

/* Does text (an option line after its indentation) start with a flag? */
bool l4p__help_is_option_line(const char *text);

/* Parse the flags of an option line into e (zeroed by the caller except
 * desc). *desc gets where the description starts in text ("" when the
 * line holds flags only). False when text holds no usable flag. */
bool l4p__help_parse_flags(const char *text, struct l4p__help_entry *e,
                           const char **desc);

/* Every entry of a help or man-page text (tabs expanded, overstrikes and
 * escape sequences removed, Unicode dashes and quotes made ASCII).
 * *entries is a heap array (l4p__help_entries_free). False when out of
 * memory. */
bool l4p__help_entries(const char *text, struct l4p__help_entry **entries,
                       size_t *n);
void l4p__help_entries_free(struct l4p__help_entry *entries, size_t n);

/* What a description says about the values. */
struct l4p__help_facts {
  size_t n_defaults;    /* candidates, most explicit first: "default: X"
                            and "`x' (default)", then x264's "[X]", then a
                            loose "default X" */
  char defaults[4][64]; /* as written, quotes removed */
  bool default_marker;  /* "[Default]": this switch is on by default */
  bool has_range;
  double min, max;
  size_t n_values;
  char values[L4P__HELP_MAX_VALUES][32];
};

/* Scan a description ('\n'-separated lines) for its default, range and
 * enumerated values (bullet lists, "one of", quoted lists, {a,b}). */
void l4p__help_facts(const char *desc, struct l4p__help_facts *f);

/* Add value to f's list unless present or full. */
void l4p__help_add_value(struct l4p__help_facts *f, const char *value,
                         size_t len);

#endif
