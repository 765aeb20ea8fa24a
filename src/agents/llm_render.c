/* What the llm agent's placeholders stand for: each member of a role's
 * input document (docs/AGENTS.md) rendered for a model to read. Option
 * and objective lists become one line each, measured history and
 * configurations become CSV tables (the most compact form for many rows),
 * nested documents (an analysis, a strategy) stay compact JSON. The same
 * input always renders to the same text, so a recorded study replays.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm_agent-int.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Documents in a prompt: compact, reals with 10 significant digits
 * (0.6, not 0.59999999999999998). */
#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* A value list longer than SHOWN_HEAD + SHOWN_TAIL + 1 is shown by its
 * ends. */
#define SHOWN_HEAD 40
#define SHOWN_TAIL 4

/* A JSON value as a model should read it: strings bare, numbers in
 * their shortest exact form, null as NA. */
static void put_value(struct l4px_sb *sb, const json_t *v)
{
  if (json_is_string(v)) {
    l4px_sb_puts(sb, json_string_value(v));
  } else if (json_is_integer(v)) {
    l4px_sb_printf(sb, "%lld", (long long)json_integer_value(v));
  } else if (json_is_real(v)) {
    l4px_sb_printf(sb, "%.10g", json_real_value(v));
  } else if (json_is_boolean(v)) {
    l4px_sb_puts(sb, json_is_true(v) ? "true" : "false");
  } else if (json_is_null(v) || !v) {
    l4px_sb_puts(sb, "NA");
  } else {
    char *text = json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY);
    l4px_sb_puts(sb, text ? text : "?");
    free(text);
  }
}

/* The allowed values of an option: "one of a, b, c"; a long list by its
 * first SHOWN_HEAD and last SHOWN_TAIL values (the schema sent with the
 * prompt still lists them all). */
static void put_values(struct l4px_sb *sb, const json_t *values)
{
  size_t n = json_array_size(values), i;
  bool cut = n > SHOWN_HEAD + SHOWN_TAIL + 1;
  json_t *v;
  l4px_sb_puts(sb, "one of ");
  json_array_foreach (values, i, v) {
    if (cut && i >= SHOWN_HEAD && i < n - SHOWN_TAIL) {
      if (i == SHOWN_HEAD)
        l4px_sb_printf(sb, ", ... (%zu more)", n - SHOWN_HEAD - SHOWN_TAIL);
      continue;
    }
    if (i)
      l4px_sb_puts(sb, ", ");
    put_value(sb, v);
  }
}

/* "- level: int in [1, 9] step 1; default 5; flag -L. Doc." per option. */
static char *options_text(const json_t *options)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t i;
  json_t *o;
  json_array_foreach (options, i, o) {
    const char *type = json_string_value(json_object_get(o, "type"));
    json_t *values = json_object_get(o, "values");
    l4px_sb_printf(&sb, "- %s: %s",
                   json_string_value(json_object_get(o, "name")), type);
    if (values && strcmp(type, "bool") != 0) {
      l4px_sb_puts(&sb, ", ");
      put_values(&sb, values);
    } else if (!values) {
      l4px_sb_puts(&sb, " in [");
      put_value(&sb, json_object_get(o, "min"));
      l4px_sb_puts(&sb, ", ");
      put_value(&sb, json_object_get(o, "max"));
      l4px_sb_puts(&sb, "]");
      json_t *step = json_object_get(o, "step");
      if (step) {
        l4px_sb_puts(&sb, " step ");
        put_value(&sb, step);
      } else if (!strcmp(type, "float")) {
        l4px_sb_puts(&sb, " (any real)");
      }
    }
    l4px_sb_puts(&sb, "; default ");
    put_value(&sb, json_object_get(o, "default"));
    if (json_object_get(o, "fixed")) {
      l4px_sb_puts(&sb, "; already fixed at ");
      put_value(&sb, json_object_get(o, "fixed"));
    }
    if (json_object_get(o, "flag"))
      l4px_sb_printf(&sb, "; flag %s",
                     json_string_value(json_object_get(o, "flag")));
    const char *doc = json_string_value(json_object_get(o, "doc"));
    l4px_sb_printf(&sb, ".%s%s\n", doc ? " " : "", doc ? doc : "");
  }
  if (!json_array_size(options))
    l4px_sb_puts(&sb, "(none)\n");
  return l4px_sb_detach(&sb);
}

/* "- time: minimise, in s. Doc." per objective. */
static char *objectives_text(const json_t *objectives)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t i;
  json_t *o;
  json_array_foreach (objectives, i, o) {
    const char *goal = json_string_value(json_object_get(o, "goal"));
    const char *unit = json_string_value(json_object_get(o, "unit"));
    const char *doc = json_string_value(json_object_get(o, "doc"));
    l4px_sb_printf(&sb, "- %s: %s",
                   json_string_value(json_object_get(o, "name")),
                   goal && !strcmp(goal, "max") ? "maximise" : "minimise");
    if (unit && *unit)
      l4px_sb_printf(&sb, ", in %s", unit);
    l4px_sb_printf(&sb, ".%s%s\n", doc ? " " : "", doc ? doc : "");
  }
  return l4px_sb_detach(&sb);
}

/* Column names: the options' names, then any other key the rows' config
 * objects use (key is "config" for history rows, NULL for plain
 * configurations), in order of appearance. */
static json_t *config_columns(const json_t *options, const json_t *rows,
                              const char *key)
{
  json_t *cols = json_array(), *o, *row;
  size_t i;
  json_array_foreach (options, i, o)
    json_array_append(cols, json_object_get(o, "name"));
  json_array_foreach (rows, i, row) {
    const char *name;
    json_t *v;
    json_object_foreach (key ? json_object_get(row, key) : row, name, v) {
      bool seen = false;
      for (size_t c = 0; c < json_array_size(cols) && !seen; c++)
        seen = !strcmp(json_string_value(json_array_get(cols, c)), name);
      if (!seen)
        json_array_append_new(cols, json_string(name));
    }
  }
  return cols;
}

/* One CSV field holding a JSON value. */
static void put_field(struct l4px_sb *sb, const json_t *v)
{
  struct l4px_sb cell;
  l4px_sb_init(&cell);
  put_value(&cell, v);
  l4px_sb_csv_field(sb, cell.oom ? "?" : cell.buf, ',');
  l4px_sb_release(&cell);
}

/* A CSV table of configurations (key NULL) or history rows (key
 * "config", objective columns from objectives after the options'). */
static char *table_text(const json_t *options, const json_t *objectives,
                        const json_t *rows, const char *key, const char *empty)
{
  if (!json_array_size(rows))
    return strdup(empty);
  json_t *cols = config_columns(options, rows, key), *o, *row;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t i, n_cols = json_array_size(cols);
  json_array_foreach (cols, i, o) {
    if (i)
      l4px_sb_putc(&sb, ',');
    l4px_sb_csv_field(&sb, json_string_value(o), ',');
  }
  json_array_foreach (objectives, i, o) {
    l4px_sb_putc(&sb, ',');
    l4px_sb_csv_field(&sb, json_string_value(json_object_get(o, "name")), ',');
  }
  l4px_sb_putc(&sb, '\n');
  json_array_foreach (rows, i, row) {
    json_t *cfg = key ? json_object_get(row, key) : row;
    json_t *vals = json_object_get(row, "objectives");
    for (size_t c = 0; c < n_cols; c++) {
      if (c)
        l4px_sb_putc(&sb, ',');
      put_field(&sb, json_object_get(
                         cfg, json_string_value(json_array_get(cols, c))));
    }
    size_t k;
    json_array_foreach (objectives, k, o) {
      l4px_sb_putc(&sb, ',');
      put_field(&sb, json_object_get(
                         vals, json_string_value(json_object_get(o, "name"))));
    }
    l4px_sb_putc(&sb, '\n');
  }
  json_decref(cols);
  return l4px_sb_detach(&sb);
}

/* vars[name] = text (stolen; NULL marks the object as failed). */
static void set_text(json_t *vars, const char *name, char *text, bool *oom)
{
  json_t *s = text ? json_string(text) : NULL;
  free(text);
  if (!s || json_object_set_new(vars, name, s))
    *oom = true;
}

/* vars[name] = the value's text. */
static void set_value(json_t *vars, const char *name, const json_t *v,
                      bool *oom)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  put_value(&sb, v);
  set_text(vars, name, l4px_sb_detach(&sb), oom);
}

/* vars[name] = a count. */
static void set_count(json_t *vars, const char *name, size_t n, bool *oom)
{
  char text[32];
  snprintf(text, sizeof text, "%zu", n);
  set_text(vars, name, strdup(text), oom);
}

/* The placeholder values of role's input; see llm_agent-int.h. */
json_t *l4p__prompt_vars(enum l4p_role role, const json_t *in,
                         const char *schema_text, uint64_t seed)
{
  json_t *vars = json_object();
  if (!vars)
    return NULL;
  bool oom = false;
  const json_t *options = json_object_get(in, "options");
  const json_t *objectives = json_object_get(in, "objectives");
  set_text(vars, "schema", strdup(schema_text ? schema_text : ""), &oom);
  set_text(vars, "input", json_dumps(in, DUMP_FLAGS), &oom);
  char num[32];
  snprintf(num, sizeof num, "%llu", (unsigned long long)seed);
  set_text(vars, "seed", strdup(num), &oom);
  const char *key;
  json_t *v;
  json_object_foreach ((json_t *)in, key, v) {
    if (!strcmp(key, "options")) {
      set_text(vars, key, options_text(v), &oom);
      set_count(vars, "n_options", json_array_size(v), &oom);
    } else if (!strcmp(key, "objectives")) {
      set_text(vars, key, objectives_text(v), &oom);
    } else if (!strcmp(key, "history")) {
      set_text(vars, key,
               table_text(options, objectives, v, "config",
                          "(nothing measured yet)"),
               &oom);
      set_count(vars, "n_history", json_array_size(v), &oom);
    } else if (json_is_array(v)) { /* generate's measured */
      set_text(vars, key, table_text(options, NULL, v, NULL, "(none)"), &oom);
      set_count(vars, "n_measured", json_array_size(v), &oom);
    } else {
      set_value(vars, key, v, &oom);
    }
  }
  if (role == L4P_ROLE_EXTRACT) {
    set_text(vars, "part", strdup("1"), &oom);
    set_text(vars, "parts", strdup("1"), &oom);
  }
  if (oom) {
    json_decref(vars);
    return NULL;
  }
  return vars;
}
