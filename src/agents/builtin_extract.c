/* The builtin extract role: a program's --help text or formatted man
 * page in, its options out (name, type, domain, default, description,
 * flag and form). Entries come from help_text.c and their facts from
 * help_facts.c; this file types them: a flag without a value is a bool;
 * listed values make an enum (or a numeric list); an integer metavariable
 * or range an int; decimals a float; any other value a string (free text
 * such as a file name, which no sampler varies). Repeated literal flags
 * (zstd's --format=zstd, --format=xz ...) become one enum.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent-int.h"
#include "help-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

#define MAX_DESCRIPTION 1000

/* The description as one line: blanks collapsed, markers dropped, cut at
 * MAX_DESCRIPTION bytes on a character boundary. */
static json_t *description_json(const char *desc)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  bool space = false;
  for (const char *p = desc; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '\n') {
      space = sb.len > 0;
      continue;
    }
    if (c < 0x20 || c == 0x7f)
      continue;
    if (sb.len >= MAX_DESCRIPTION && (c & 0xc0) != 0x80)
      break;
    if (space)
      l4px_sb_putc(&sb, ' ');
    space = false;
    l4px_sb_putc(&sb, (char)c);
  }
  json_t *j = l4px_sb_failed(&sb) ? NULL : json_string(sb.buf);
  l4px_sb_release(&sb);
  return j;
}

static bool has_word(const char *s, const char *word)
{
  size_t n = strlen(word);
  for (const char *p = s; *p; p++)
    if (!strncasecmp(p, word, n) &&
        (p == s || !isalnum((unsigned char)p[-1])) &&
        !isalnum((unsigned char)p[n]))
      return true;
  return false;
}

/* The type a metavariable suggests: "int", "float", or NULL. */
static const char *metavar_type(const char *metavar)
{
  static const char *const ints[] = {
      "int",   "integer", "n",       "num",   "number",  "#",    "level",
      "count", "threads", "size",    "limit", "bytes",   "nice", "value",
      "kbit",  "mb",      "timeout", "ms",    "seconds", "sec"};
  static const char *const floats[] = {"float", "ratio", "double", "real", "f"};
  if (!metavar[0])
    return NULL;
  for (size_t k = 0; k < sizeof floats / sizeof floats[0]; k++)
    if (has_word(metavar, floats[k]))
      return "float";
  for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++)
    if (has_word(metavar, ints[k]) || !strcmp(metavar, ints[k]))
      return "int";
  return NULL;
}

static bool is_number(const char *s, bool *integral)
{
  double v;
  if (!l4px_parse_double(s, &v))
    return false;
  *integral = strchr(s, '.') == NULL && strchr(s, 'e') == NULL &&
              strchr(s, 'E') == NULL;
  return true;
}

static json_t *number_json(const char *s, bool as_int)
{
  double v = strtod(s, NULL);
  return as_int && v == (double)(json_int_t)v ? json_integer((json_int_t)v)
                                              : json_real(v);
}

/* The option's type from its entry and facts. */
static const char *decide_type(const struct l4p__help_entry *e,
                               const struct l4p__help_facts *f, bool *all_int)
{
  *all_int = true;
  if (e->digit_lo != -1)
    return "int";
  if (!e->metavar[0] && !e->literal[0] && !e->choices[0])
    return "bool";
  if (f->n_values >= 2) {
    for (size_t k = 0; k < f->n_values; k++) {
      bool integral;
      if (!is_number(f->values[k], &integral))
        return "enum";
      *all_int &= integral;
    }
    return *all_int ? "int" : "float";
  }
  const char *hint = metavar_type(e->metavar);
  bool integral;
  if (hint)
    return hint;
  if (f->has_range)
    return f->min == (double)(long long)f->min &&
                   f->max == (double)(long long)f->max
               ? "int"
               : "float";
  for (size_t k = 0; k < f->n_defaults; k++)
    if (is_number(f->defaults[k], &integral))
      return integral ? "int" : "float";
  return "string";
}

/* The first default candidate valid for type (NULL when none). */
static json_t *default_json(const char *type, const struct l4p__help_facts *f)
{
  static const char *const on[] = {"enabled", "on", "yes", "true"};
  static const char *const off[] = {"disabled", "off", "no", "false"};
  bool integral;
  if (!strcmp(type, "bool")) {
    if (f->default_marker)
      return json_true();
    for (size_t k = 0; k < f->n_defaults; k++)
      for (size_t w = 0; w < 4; w++) {
        if (!strcasecmp(f->defaults[k], on[w]))
          return json_true();
        if (!strcasecmp(f->defaults[k], off[w]))
          return json_false();
      }
    return NULL;
  }
  for (size_t k = 0; k < f->n_defaults; k++) {
    const char *d = f->defaults[k];
    if (!strcmp(type, "enum") || (f->n_values >= 2 && strcmp(type, "string"))) {
      for (size_t v = 0; v < f->n_values; v++)
        if (!strcasecmp(f->values[v], d))
          return strcmp(type, "enum") ? number_json(f->values[v], true)
                                      : json_string(f->values[v]);
    } else if (!strcmp(type, "string")) {
      return json_string(d);
    } else if (is_number(d, &integral)) {
      return number_json(d, !strcmp(type, "int"));
    }
  }
  return NULL;
}

/* The option's name: its long flag, its short letter, or for digit
 * presets "level" or "preset" as the description says. */
static void option_name(const struct l4p__help_entry *e, char *buf, size_t size)
{
  if (e->digit_lo != -1)
    snprintf(buf, size, "%s",
             has_word(e->desc.buf, "level") ? "level" : "preset");
  else if (e->long_flag[0])
    snprintf(buf, size, "%s", e->long_flag + 2);
  else
    snprintf(buf, size, "%s", e->short_flag + 1);
}

static void set_cli(json_t *o, const struct l4p__help_entry *e,
                    const char *type)
{
  const char *flag = e->long_flag[0] ? e->long_flag : e->short_flag;
  const char *form;
  if (e->digit_lo != -1) {
    flag = "-";
    form = "attached";
  } else if (!strcmp(type, "bool")) {
    form = "switch";
    if (e->negatable) {
      char no[80];
      snprintf(no, sizeof no, "--no-%s", e->long_flag + 2);
      json_object_set_new(o, "false_flag", json_string(no));
    }
  } else if (e->long_flag[0]) {
    form = e->equals ? "equals" : "value";
  } else {
    form = e->attached ? "attached" : "value";
  }
  json_object_set_new(o, "flag", json_string(flag));
  json_object_set_new(o, "form", json_string(form));
}

/* The values a flag's {a|b} or the merged literals give. */
static void add_choices(const char *choices, struct l4p__help_facts *f)
{
  for (const char *p = choices; *p;) {
    size_t n = strcspn(p, "|,");
    l4p__help_add_value(f, p, n);
    p += n + (p[n] != '\0');
  }
}

static json_t *option_json(const struct l4p__help_entry *e,
                           struct l4p__help_facts *f, const char *name)
{
  bool all_int;
  add_choices(e->choices, f);
  const char *type = decide_type(e, f, &all_int);
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(name));
  json_object_set_new(o, "type", json_string(type));
  if (e->digit_lo >= 0) {
    f->has_range = true;
    f->min = e->digit_lo;
    f->max = e->digit_hi;
  }
  if (f->n_values >= 2 && strcmp(type, "bool") && strcmp(type, "string")) {
    json_t *values = json_array();
    for (size_t k = 0; k < f->n_values; k++)
      json_array_append_new(values, strcmp(type, "enum")
                                        ? number_json(f->values[k], all_int)
                                        : json_string(f->values[k]));
    json_object_set_new(o, "values", values);
  } else if (f->has_range && (!strcmp(type, "int") || !strcmp(type, "float"))) {
    bool as_int = !strcmp(type, "int");
    json_object_set_new(o, "min",
                        as_int ? json_integer((json_int_t)f->min)
                               : json_real(f->min));
    json_object_set_new(o, "max",
                        as_int ? json_integer((json_int_t)f->max)
                               : json_real(f->max));
  }
  if (e->digit_lo != -1)
    for (size_t k = 0; k < f->n_defaults; k++)
      if (f->defaults[k][0] == '-') /* "the default is -6": the flag */
        memmove(f->defaults[k], f->defaults[k] + 1, strlen(f->defaults[k]));
  json_t *def = default_json(type, f);
  if (def)
    json_object_set_new(o, "default", def);
  json_object_set_new(o, "description", description_json(e->desc.buf));
  set_cli(o, e, type);
  return o;
}

/* Entries written with a literal value (--format=zstd) and sharing a
 * long flag become one enum entry: values are their literals; the one
 * marked "[Default]" is the default; descriptions are joined. Returns
 * how many entries (from k on) were merged into *merged. */
static size_t merge_literals(const struct l4p__help_entry *v, size_t n,
                             size_t k, struct l4p__help_entry *merged,
                             struct l4p__help_facts *f)
{
  size_t count = 0;
  const char *dflt = NULL;
  *merged = v[k];
  l4px_sb_init(&merged->desc);
  merged->literal[0] = '\0';
  for (size_t j = k; j < n; j++) {
    if (strcmp(v[j].long_flag, v[k].long_flag) || !v[j].literal[0])
      continue;
    struct l4p__help_facts one;
    l4p__help_facts(v[j].desc.buf, &one);
    if (one.default_marker)
      dflt = v[j].literal;
    l4p__help_add_value(f, v[j].literal, strlen(v[j].literal));
    l4px_sb_printf(&merged->desc, "%s%s: %s", count ? "; " : "", v[j].literal,
                   v[j].desc.buf);
    count++;
  }
  snprintf(merged->choices, sizeof merged->choices, "%s", "");
  snprintf(merged->metavar, sizeof merged->metavar, "%s", "VALUE");
  if (dflt) {
    f->n_defaults = 1;
    snprintf(f->defaults[0], sizeof f->defaults[0], "%s", dflt);
  }
  return count;
}

/* How many entries share e's long flag with a literal value. */
static size_t literal_count(const struct l4p__help_entry *v, size_t n, size_t k)
{
  size_t count = 0;
  for (size_t j = 0; j < n; j++)
    count += v[k].long_flag[0] && v[j].literal[0] &&
             !strcmp(v[j].long_flag, v[k].long_flag);
  return count;
}

l4p_status l4p__builtin_extract(const struct l4p_agent_ctx *ctx,
                                const json_t *in, json_t **out)
{
  (void)ctx;
  struct l4p__help_entry *v;
  size_t n;
  if (!l4p__help_entries(json_string_value(json_object_get(in, "text")), &v,
                         &n))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  json_t *list = json_array(), *seen = json_object();
  for (size_t k = 0; k < n; k++) {
    struct l4p__help_entry e = v[k], merged;
    struct l4p__help_facts f;
    char name[64];
    option_name(&e, name, sizeof name);
    if (json_object_get(seen, name))
      continue; /* a name documented twice: the first wins */
    bool literal = e.literal[0] && literal_count(v, n, k) >= 2;
    if (literal) {
      memset(&f, 0, sizeof f);
      merge_literals(v, n, k, &merged, &f);
      e = merged;
    } else {
      if (e.literal[0]) /* a single --x=word: word is a metavariable */
        snprintf(e.metavar, sizeof e.metavar, "%s", e.literal);
      l4p__help_facts(e.desc.buf, &f);
    }
    json_array_append_new(list, option_json(&e, &f, name));
    json_object_set_new(seen, name, json_true());
    if (literal)
      l4px_sb_release(&merged.desc);
  }
  json_decref(seen);
  l4p__help_entries_free(v, n);
  *out = json_pack("{s:o}", "options", list);
  return *out ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
