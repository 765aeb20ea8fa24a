/* The LLM settings table (after Redis's static_configs[]): one row per
 * setting with its type, bounds, default and environment variable; the
 * global values plus per-role overrides ("llm.generate.temperature"), and
 * their resolution into the config one request uses. Sources (file,
 * environment, flags) all go through l4p_llm_settings_set; see
 * settings_load.c. The table is documented in docs/LLM.md.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

enum setting_type { S_URL, S_NAME, S_TEXT, S_PATH, S_DOUBLE, S_INT, S_CACHE };

struct setting {
  const char *name; /* after "llm." */
  enum setting_type type;
  double min, max;      /* S_DOUBLE, S_INT */
  const char *fallback; /* the default, as text */
  const char *env;      /* environment variable, or NULL */
  bool per_role;
};

/* Keep in step with docs/LLM.md (tag-llm-settings). */
static const struct setting table[] = {
    {"base_url", S_URL, 0, 0, "http://127.0.0.1:8080/v1", "OPENAI_BASE_URL",
     true},
    {"api_key_env", S_NAME, 0, 0, "OPENAI_API_KEY", NULL, true},
    {"model", S_TEXT, 0, 0, "default", "L4P_LLM_MODEL", true},
    {"temperature", S_DOUBLE, 0, 2, "0.2", NULL, true},
    {"max_tokens", S_INT, 0, 1 << 20, "4096", NULL, true},
    {"timeout_s", S_DOUBLE, 0.1, 3600, "120", NULL, true},
    {"max_retries", S_INT, 0, 20, "3", NULL, true},
    {"backoff_s", S_DOUBLE, 0, 60, "1", NULL, true},
    {"cache", S_CACHE, 0, 0, "off", "L4P_LLM_CACHE", false},
    /* read by the llm agent (src/agents/llm_*.c), not the client */
    {"prompts_dir", S_PATH, 0, 0, "", "L4P_PROMPTS_DIR", false},
    {"chunk_chars", S_INT, 1000, 1 << 22, "12000", NULL, true},
};

enum { N_SETTINGS = sizeof table / sizeof table[0] };

/* Indices into table[], in its order. */
enum {
  I_BASE_URL,
  I_API_KEY_ENV,
  I_MODEL,
  I_TEMPERATURE,
  I_MAX_TOKENS,
  I_TIMEOUT,
  I_MAX_RETRIES,
  I_BACKOFF,
  I_CACHE,
  I_PROMPTS_DIR,
  I_CHUNK_CHARS
};

_Static_assert(I_CHUNK_CHARS + 1 == N_SETTINGS, "one index per setting");

struct role_values {
  char *role;
  char *value[N_SETTINGS]; /* NULL: the global value applies */
};

struct l4p_llm_settings {
  char *value[N_SETTINGS]; /* global values, always set */
  struct role_values *roles;
  size_t n_roles;
};

static const char *const cache_names[] = {"off", "record", "replay"};

/* Name of a cache mode ("off", "record", "replay"). */
const char *l4p_llm_cache_name(enum l4p_llm_cache cache)
{
  if ((size_t)cache < sizeof cache_names / sizeof cache_names[0])
    return cache_names[cache];
  return "?";
}

/* Parse a cache mode name; false when unknown. */
bool l4p_llm_cache_parse(const char *name, enum l4p_llm_cache *cache)
{
  for (size_t i = 0; i < sizeof cache_names / sizeof cache_names[0]; i++)
    if (!strcmp(name, cache_names[i])) {
      *cache = (enum l4p_llm_cache)i;
      return true;
    }
  return false;
}

/* Free settings and everything they hold; NULL is a no-op. */
void l4p_llm_settings_free(struct l4p_llm_settings *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < N_SETTINGS; i++)
    free(s->value[i]);
  for (size_t r = 0; r < s->n_roles; r++) {
    free(s->roles[r].role);
    for (size_t i = 0; i < N_SETTINGS; i++)
      free(s->roles[r].value[i]);
  }
  free(s->roles);
  free(s);
}

/* Settings holding the table's defaults; NULL when out of memory. */
struct l4p_llm_settings *l4p_llm_settings_new(void)
{
  struct l4p_llm_settings *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  for (size_t i = 0; i < N_SETTINGS; i++)
    if (!(s->value[i] = strdup(table[i].fallback))) {
      l4p_llm_settings_free(s);
      return NULL;
    }
  return s;
}

/* Copy of a possibly NULL string; *oom set on failure. */
static char *dup_or_null(const char *text, bool *oom)
{
  if (!text)
    return NULL;
  char *copy = strdup(text);
  if (!copy)
    *oom = true;
  return copy;
}

/* Deep copy of settings for a client; NULL when out of memory. */
struct l4p_llm_settings *
l4p__llm_settings_dup(const struct l4p_llm_settings *src)
{
  struct l4p_llm_settings *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  bool oom = false;
  for (size_t i = 0; i < N_SETTINGS; i++)
    s->value[i] = dup_or_null(src->value[i], &oom);
  if (src->n_roles && !oom) {
    s->roles = calloc(src->n_roles, sizeof *s->roles);
    oom = !s->roles;
  }
  for (size_t r = 0; r < src->n_roles && !oom; r++) {
    s->n_roles++;
    s->roles[r].role = dup_or_null(src->roles[r].role, &oom);
    for (size_t i = 0; i < N_SETTINGS; i++)
      s->roles[r].value[i] = dup_or_null(src->roles[r].value[i], &oom);
  }
  if (oom) {
    l4p_llm_settings_free(s);
    return NULL;
  }
  return s;
}

/* Public copy; see llm.h. */
struct l4p_llm_settings *
l4p_llm_settings_dup(const struct l4p_llm_settings *src)
{
  return src ? l4p__llm_settings_dup(src) : NULL;
}

/* Index of a setting by its short name, or -1. */
static int find_setting(const char *name, size_t len)
{
  for (int i = 0; i < N_SETTINGS; i++)
    if (strlen(table[i].name) == len && !strncmp(table[i].name, name, len))
      return i;
  return -1;
}

/* Role names: a lowercase letter, then lowercase letters, digits, '_'
 * or '-', at most 63 bytes. They name settings and go into an HTTP
 * header, so nothing else is allowed. */
bool l4p__llm_valid_role(const char *role, size_t len)
{
  if (len == 0 || len > 63 || !islower((unsigned char)role[0]))
    return false;
  for (size_t i = 0; i < len; i++)
    if (!islower((unsigned char)role[i]) && !isdigit((unsigned char)role[i]) &&
        role[i] != '_' && role[i] != '-')
      return false;
  return true;
}

/* EUSAGE unless value suits row; name is the full name, for messages. */
static l4p_status check_value(const struct setting *row, const char *name,
                              const char *value)
{
  for (const char *c = value; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      return l4p_failf(L4P_EUSAGE,
                       "setting '%s': control character in "
                       "the value",
                       name);
  switch (row->type) {
  case S_URL:
    if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
      return l4p_failf(L4P_EUSAGE,
                       "setting '%s': '%s' is not an http:// "
                       "or https:// URL",
                       name, value);
    return L4P_OK;
  case S_NAME:
    if (!*value ||
        strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(value))
      return l4p_failf(L4P_EUSAGE,
                       "setting '%s': '%s' is not an "
                       "environment variable name",
                       name, value);
    return L4P_OK;
  case S_TEXT:
    if (!*value)
      return l4p_failf(L4P_EUSAGE, "setting '%s': empty value", name);
    return L4P_OK;
  case S_PATH:
    return L4P_OK; /* any text; empty: the built-in choice */
  case S_DOUBLE: {
    double d;
    if (!l4px_parse_double(value, &d))
      return l4p_failf(L4P_EUSAGE, "setting '%s': '%s' is not a number", name,
                       value);
    if (d < row->min || d > row->max)
      return l4p_failf(L4P_EUSAGE,
                       "setting '%s': value '%s' is outside "
                       "[%g, %g]",
                       name, value, row->min, row->max);
    return L4P_OK;
  }
  case S_INT: {
    long long v;
    if (!l4px_parse_llong(value, &v))
      return l4p_failf(L4P_EUSAGE, "setting '%s': '%s' is not an integer", name,
                       value);
    if (v < row->min || v > row->max)
      return l4p_failf(L4P_EUSAGE,
                       "setting '%s': value '%s' is outside "
                       "[%g, %g]",
                       name, value, row->min, row->max);
    return L4P_OK;
  }
  case S_CACHE: {
    enum l4p_llm_cache c;
    if (!l4p_llm_cache_parse(value, &c))
      return l4p_failf(L4P_EUSAGE,
                       "setting '%s': '%s' is not off, record "
                       "or replay",
                       name, value);
    return L4P_OK;
  }
  }
  return L4P_OK;
}

/* The per-role slot of role, created when missing; NULL on ENOMEM. */
static struct role_values *role_slot(struct l4p_llm_settings *s,
                                     const char *role, size_t len)
{
  for (size_t r = 0; r < s->n_roles; r++)
    if (strlen(s->roles[r].role) == len &&
        !strncmp(s->roles[r].role, role, len))
      return &s->roles[r];
  struct role_values *grown =
      realloc(s->roles, (s->n_roles + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  s->roles = grown;
  struct role_values *slot = &grown[s->n_roles];
  memset(slot, 0, sizeof *slot);
  if (!(slot->role = strndup(role, len)))
    return NULL;
  s->n_roles++;
  return slot;
}

/* Set "llm.NAME" or "llm.ROLE.NAME" to value after checking both. */
l4p_status l4p_llm_settings_set(struct l4p_llm_settings *s, const char *name,
                                const char *value)
{
  if (!name || !value)
    return l4p_failf(L4P_EUSAGE, "setting: a name and a value are needed");
  if (strncmp(name, "llm.", 4))
    return l4p_failf(L4P_EUSAGE,
                     "unknown setting '%s' (LLM settings "
                     "start with 'llm.')",
                     name);
  const char *rest = name + 4;
  const char *dot = strrchr(rest, '.');
  const char *key = dot ? dot + 1 : rest;
  if (!strcmp(key, "api_key"))
    return l4p_failf(L4P_EUSAGE,
                     "unknown setting '%s': the key is read "
                     "only from the environment variable llm.api_key_env "
                     "names (OPENAI_API_KEY by default)",
                     name);
  int i = find_setting(key, strlen(key));
  if (i < 0)
    return l4p_failf(L4P_EUSAGE, "unknown setting '%s'", name);
  if (dot && !l4p__llm_valid_role(rest, (size_t)(dot - rest)))
    return l4p_failf(L4P_EUSAGE,
                     "setting '%s': '%.*s' is not a role name "
                     "(lowercase letters, digits, '_', '-')",
                     name, (int)(dot - rest), rest);
  if (dot && !table[i].per_role)
    return l4p_failf(L4P_EUSAGE,
                     "setting '%s': llm.%s cannot be set per "
                     "role",
                     name, table[i].name);
  l4p_status st = check_value(&table[i], name, value);
  if (st != L4P_OK)
    return st;
  char *copy = strdup(value);
  if (!copy)
    return l4p_failf(L4P_ENOMEM, "setting '%s': out of memory", name);
  char **slot = &s->value[i];
  if (dot) {
    struct role_values *rv = role_slot(s, rest, (size_t)(dot - rest));
    if (!rv) {
      free(copy);
      return l4p_failf(L4P_ENOMEM, "setting '%s': out of memory", name);
    }
    slot = &rv->value[i];
  }
  free(*slot);
  *slot = copy;
  return L4P_OK;
}

/* Value of setting i for role (NULL: global). */
static const char *value_of(const struct l4p_llm_settings *s, const char *role,
                            int i)
{
  if (role)
    for (size_t r = 0; r < s->n_roles; r++)
      if (!strcmp(s->roles[r].role, role) && s->roles[r].value[i])
        return s->roles[r].value[i];
  return s->value[i];
}

static double as_double(const char *text)
{
  double d = 0;
  l4px_parse_double(text, &d); /* checked when set */
  return d;
}

static int as_int(const char *text)
{
  long long v = 0;
  l4px_parse_llong(text, &v); /* checked when set, within int */
  return (int)v;
}

/* Fill config with role's values over the global ones. */
void l4p_llm_settings_resolve(const struct l4p_llm_settings *s,
                              const char *role, struct l4p_llm_config *config)
{
  config->base_url = value_of(s, role, I_BASE_URL);
  config->model = value_of(s, role, I_MODEL);
  config->temperature = as_double(value_of(s, role, I_TEMPERATURE));
  config->max_tokens = as_int(value_of(s, role, I_MAX_TOKENS));
  config->timeout_s = as_double(value_of(s, role, I_TIMEOUT));
  config->max_retries = as_int(value_of(s, role, I_MAX_RETRIES));
  config->backoff_s = as_double(value_of(s, role, I_BACKOFF));
  const char *key = getenv(value_of(s, role, I_API_KEY_ENV));
  config->api_key = key ? key : "";
}

/* The text of "llm.NAME" or "llm.ROLE.NAME" (the role's own value, else
 * the global one); NULL for an unknown name. */
const char *l4p_llm_settings_get(const struct l4p_llm_settings *s,
                                 const char *name)
{
  if (!s || !name || strncmp(name, "llm.", 4))
    return NULL;
  const char *rest = name + 4, *dot = strrchr(rest, '.');
  const char *key = dot ? dot + 1 : rest;
  int i = find_setting(key, strlen(key));
  if (i < 0)
    return NULL;
  if (!dot)
    return s->value[i];
  size_t len = (size_t)(dot - rest);
  for (size_t r = 0; r < s->n_roles; r++)
    if (strlen(s->roles[r].role) == len &&
        !strncmp(s->roles[r].role, rest, len) && s->roles[r].value[i])
      return s->roles[r].value[i];
  return s->value[i];
}

/* The llm.cache setting. */
enum l4p_llm_cache l4p_llm_settings_cache(const struct l4p_llm_settings *s)
{
  enum l4p_llm_cache cache = L4P_LLM_CACHE_OFF;
  l4p_llm_cache_parse(s->value[I_CACHE], &cache);
  return cache;
}

/* Apply the table's environment variables that are set and not empty. */
l4p_status l4p_llm_settings_load_env(struct l4p_llm_settings *s)
{
  for (int i = 0; i < N_SETTINGS; i++) {
    const char *value = table[i].env ? getenv(table[i].env) : NULL;
    if (!value || !*value)
      continue;
    char name[64];
    snprintf(name, sizeof name, "llm.%s", table[i].name);
    l4p_status st = l4p_llm_settings_set(s, name, value);
    if (st != L4P_OK) {
      l4p_error_prefix(table[i].env);
      return st;
    }
  }
  return L4P_OK;
}

/* One "name = value" line, quoted when the value would not read back. */
static void write_line(FILE *out, const char *role, int i, const char *value)
{
  bool quote = !*value || isspace((unsigned char)value[0]) ||
               isspace((unsigned char)value[strlen(value) - 1]) ||
               value[0] == '"';
  fprintf(out, "llm.%s%s%s = %s%s%s\n", role ? role : "", role ? "." : "",
          table[i].name, quote ? "\"" : "", value, quote ? "\"" : "");
}

/* Write the settings that differ from the defaults, globals first. */
void l4p_llm_settings_write(const struct l4p_llm_settings *s, FILE *out)
{
  for (int i = 0; i < N_SETTINGS; i++)
    if (strcmp(s->value[i], table[i].fallback))
      write_line(out, NULL, i, s->value[i]);
  for (size_t r = 0; r < s->n_roles; r++)
    for (int i = 0; i < N_SETTINGS; i++)
      if (s->roles[r].value[i])
        write_line(out, s->roles[r].role, i, s->roles[r].value[i]);
}
