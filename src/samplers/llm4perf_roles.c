/* Who plays the llm4perf sampler's roles, and with which LLM settings:
 * the "roles" parameter (an agent per role: builtin for the filter, a
 * model for the analyzer...) and the "llm" parameter (llm.* settings of
 * this campaign, over the process's own), read, checked and written in
 * their canonical form (llm4perf_sampler.h, docs/LLM4PERF.md). Both are
 * part of the campaign's identity, which is why a secret may never be
 * one of them: parameters are stored with the campaign and printed by
 * 'llm4perf show'.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf-int.h"
#include "llm4perf/llm.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* The roles the sampler plays (extract is the docs command's). */
static const enum l4p_role sampler_roles[] = {
    L4P_ROLE_FILTER, L4P_ROLE_ANALYZE, L4P_ROLE_DESIGN, L4P_ROLE_GENERATE};
#define N_SAMPLER_ROLES (sizeof sampler_roles / sizeof sampler_roles[0])
#define KNOWN_ROLES "filter, analyze, design, generate"

#define PARAMS "llm4perf parameters"

/* The sampler's role called name (len bytes), or -1. */
static int sampler_role(const char *name, size_t len)
{
  for (size_t k = 0; k < N_SAMPLER_ROLES; k++) {
    const char *n = l4p_role_name(sampler_roles[k]);
    if (strlen(n) == len && strncmp(n, name, len) == 0)
      return (int)sampler_roles[k];
  }
  return -1;
}

/* Who plays each role (llm4perf_sampler.h). */
void l4p_llm4perf_agent_names(const struct l4p_llm4perf_params *p,
                              const char *names[L4P_ROLE_COUNT])
{
  for (int r = 0; r < L4P_ROLE_COUNT; r++)
    names[r] = p->roles[r][0] ? p->roles[r] : p->agent;
  names[L4P_ROLE_EXTRACT] = names[L4P_ROLE_FILTER];
}

/* Whether a role of the sampler is the agent's (llm4perf_sampler.h). */
bool l4p_llm4perf_uses_agent(const struct l4p_llm4perf_params *p,
                             const char *name)
{
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(p, names);
  for (size_t k = 0; k < N_SAMPLER_ROLES; k++)
    if (strcmp(names[sampler_roles[k]], name) == 0)
      return true;
  return false;
}

/* One "roles" entry, checked; EUSAGE names it (llm4perf_sampler.h). */
l4p_status l4p_llm4perf_params_set_role(struct l4p_llm4perf_params *p,
                                        const char *role, const char *agent)
{
  int r = role ? sampler_role(role, strlen(role)) : -1;
  if (r < 0)
    return l4p_failf(L4P_EUSAGE, "roles.%s: unknown role (known: %s)",
                     role ? role : "", KNOWN_ROLES);
  if (!agent || !*agent || strlen(agent) >= sizeof p->roles[r])
    return l4p_failf(L4P_EUSAGE, "roles.%s: expected an agent name", role);
  char where[48];
  snprintf(where, sizeof where, "roles.%s", role);
  l4p_status st = l4p_agent_check_name(agent);
  if (st) {
    l4p_error_prefix(where);
    return st;
  }
  snprintf(p->roles[r], sizeof p->roles[r], "%s", agent);
  return L4P_OK;
}

/* ----------------------------------------------------------- reading */

/* Prefix the message with PARAMS and return st. */
static l4p_status params_error(l4p_status st)
{
  l4p_error_prefix(PARAMS);
  return st;
}

/* The "roles" object, entry by entry (llm4perf-int.h). */
l4p_status l4p__lp_read_roles(const json_t *v, struct l4p_llm4perf_params *p)
{
  if (!json_is_object(v))
    return l4p_failf(L4P_EUSAGE, PARAMS ": roles: expected an object "
                                        "naming an agent per role, e.g. "
                                        "{\"analyze\": \"llm\"}");
  const char *role;
  json_t *agent;
  json_object_foreach ((json_t *)v, role, agent) {
    l4p_status st =
        l4p_llm4perf_params_set_role(p, role, json_string_value(agent));
    if (st)
      return params_error(st);
  }
  return L4P_OK;
}

/* Whether the short name of an unknown setting (after the role) looks
 * like it holds a secret: "api_key", "token", "password"... Known
 * settings never do: api_key_env holds where the key is, not the key. */
static bool secret_name(const char *setting)
{
  static const char *const parts[] = {"key",      "token",     "secret",
                                      "password", "passwd",    "auth",
                                      "bearer",   "credential"};
  for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
    if (strstr(setting, parts[k]))
      return true;
  return false;
}

/* A URL that may carry a secret: user information before the host
 * ("https://user:key@host") or a query ("...?api_key="). */
static bool secret_url(const char *url)
{
  const char *host = strstr(url, "://");
  host = host ? host + 3 : url;
  size_t len = strcspn(host, "/?#");
  return memchr(host, '@', len) || strchr(url, '?');
}

/* EUSAGE when setting name (full: "llm.NAME", "llm.ROLE.NAME") with
 * value may not be a campaign parameter; known tells whether the
 * settings table has it. Never quotes the value. */
static l4p_status check_allowed(const char *name, const char *value, bool known)
{
  const char *dot = strrchr(name + 4, '.');
  const char *setting = dot ? dot + 1 : name + 4;
  if (!known && secret_name(setting))
    return l4p_failf(L4P_EUSAGE,
                     PARAMS
                     ": %s: secrets are never parameters (they are "
                     "stored with the campaign and shown by 'llm4perf "
                     "show'): put the key in an environment variable and "
                     "give its name as api_key_env",
                     name);
  if (!known)
    return l4p_failf(L4P_EUSAGE, PARAMS ": %s: unknown setting", name);
  if (dot && sampler_role(name + 4, (size_t)(dot - name - 4)) < 0)
    return l4p_failf(
        L4P_EUSAGE, PARAMS ": %s: unknown role '%.*s' (known: " KNOWN_ROLES ")",
        name, (int)(dot - name - 4), name + 4);
  if (strcmp(setting, "cache") == 0)
    return l4p_failf(L4P_EUSAGE,
                     PARAMS ": %s: not a campaign parameter (recording or "
                            "replaying is how a run is made, not what it is): "
                            "use --llm-cache or the process's llm.cache",
                     name);
  if (strcmp(setting, "base_url") == 0 && secret_url(value))
    return l4p_failf(L4P_EUSAGE,
                     PARAMS
                     ": %s: a URL with user information or a query "
                     "may carry a secret and is not a parameter; give the "
                     "key through api_key_env",
                     name);
  return L4P_OK;
}

/* The text of a setting's JSON value: a string as it is, a number in the
 * shortest form that reads back ("0.9", not "0.90000000000000002"). NULL
 * for other types. */
static char *value_text(const json_t *v)
{
  char buf[40];
  if (json_is_string(v))
    return strdup(json_string_value(v));
  if (json_is_integer(v))
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  else if (json_is_real(v)) {
    double d = json_real_value(v), back = 0;
    snprintf(buf, sizeof buf, "%.15g", d);
    if (!l4px_parse_double(buf, &back) || back != d)
      snprintf(buf, sizeof buf, "%.17g", d);
  } else
    return NULL;
  return strdup(buf);
}

/* Add (or replace) setting name = value, keeping the list sorted. */
static l4p_status put_setting(struct l4p_llm4perf_params *p, const char *name,
                              char *value)
{
  size_t at = 0;
  while (at < p->n_llm && strcmp(p->llm[at].name, name) < 0)
    at++;
  if (at < p->n_llm && strcmp(p->llm[at].name, name) == 0) {
    free(p->llm[at].value);
    p->llm[at].value = value;
    return L4P_OK;
  }
  char *copy = strdup(name);
  struct l4p_llm4perf_setting *grown =
      copy ? realloc(p->llm, (p->n_llm + 1) * sizeof *grown) : NULL;
  if (!grown) {
    free(copy);
    free(value);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  p->llm = grown;
  memmove(grown + at + 1, grown + at, (p->n_llm - at) * sizeof *grown);
  grown[at] = (struct l4p_llm4perf_setting){copy, value};
  p->n_llm++;
  return L4P_OK;
}

/* Check one setting of the "llm" object and keep it. scratch takes it
 * first: l4p_llm_settings_set's checks are the only ones. */
static l4p_status read_setting(struct l4p_llm_settings *scratch,
                               const char *key, const json_t *v,
                               struct l4p_llm4perf_params *p)
{
  char name[128];
  if (snprintf(name, sizeof name, "llm.%s", key) >= (int)sizeof name)
    return l4p_failf(L4P_EUSAGE, PARAMS ": llm.%.40s...: unknown setting", key);
  char *value = value_text(v);
  if (!value)
    return json_is_string(v) || json_is_number(v)
               ? l4p_failf(L4P_ENOMEM, "out of memory")
               : l4p_failf(L4P_EUSAGE,
                           PARAMS ": %s: expected a string or "
                                  "a number",
                           name);
  bool known = l4p_llm_settings_get(scratch, name) != NULL;
  l4p_status st = check_allowed(name, value, known);
  if (!st && (st = l4p_llm_settings_set(scratch, name, value)))
    l4p_error_prefix(PARAMS);
  if (st) {
    free(value);
    return st;
  }
  return put_setting(p, name, value);
}

/* The "llm" object: each setting checked on a scratch copy of the
 * defaults, then kept (llm4perf-int.h). */
l4p_status l4p__lp_read_llm(const json_t *v, struct l4p_llm4perf_params *p)
{
  if (!json_is_object(v))
    return l4p_failf(L4P_EUSAGE, PARAMS ": llm: expected an object of "
                                        "settings, e.g. {\"model\": \"M\", "
                                        "\"analyze.model\": \"M2\"}");
  struct l4p_llm_settings *scratch = l4p_llm_settings_new();
  if (!scratch)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  const char *key;
  json_t *value;
  l4p_status st = L4P_OK;
  json_object_foreach ((json_t *)v, key, value) {
    if ((st = read_setting(scratch, key, value, p)))
      break;
  }
  l4p_llm_settings_free(scratch);
  return st;
}

/* Settings against the roles that read them (llm4perf-int.h). */
l4p_status l4p__lp_check_llm(const struct l4p_llm4perf_params *p)
{
  if (!p->n_llm)
    return L4P_OK;
  if (!l4p_llm4perf_uses_agent(p, "llm"))
    return l4p_failf(L4P_EUSAGE,
                     PARAMS ": llm: settings given, but no role "
                            "is played by the llm agent (see \"agent\" "
                            "and \"roles\")");
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(p, names);
  for (size_t k = 0; k < p->n_llm; k++) {
    const char *name = p->llm[k].name + 4, *dot = strrchr(name, '.');
    int r = dot ? sampler_role(name, (size_t)(dot - name)) : -1;
    if (r >= 0 && strcmp(names[r], "llm") != 0)
      return l4p_failf(L4P_EUSAGE,
                       PARAMS ": %s: role '%s' is played by "
                              "the %s agent, which reads no LLM settings",
                       p->llm[k].name, l4p_role_name((enum l4p_role)r),
                       names[r]);
  }
  return L4P_OK;
}

/* ----------------------------------------------------------- writing */

/* "roles" and "llm" into the canonical parameters (llm4perf-int.h). */
int l4p__lp_roles_json(const struct l4p_llm4perf_params *p, json_t *doc)
{
  json_t *roles = json_object(), *llm = json_object();
  int rc = roles && llm ? 0 : -1;
  for (size_t k = 0; !rc && k < N_SAMPLER_ROLES; k++) {
    const char *agent = p->roles[sampler_roles[k]];
    if (*agent && strcmp(agent, p->agent) != 0) /* else: "agent" says it */
      rc = json_object_set_new(roles, l4p_role_name(sampler_roles[k]),
                               json_string(agent));
  }
  for (size_t k = 0; !rc && k < p->n_llm; k++)
    rc = json_object_set_new(llm, p->llm[k].name + 4,
                             json_string(p->llm[k].value));
  if (!rc && json_object_size(roles))
    rc = json_object_set(doc, "roles", roles);
  if (!rc && json_object_size(llm))
    rc = json_object_set(doc, "llm", llm);
  json_decref(roles);
  json_decref(llm);
  return rc;
}
