/* The llm4perf sampler's parameters: defaults, reading them from a
 * campaign's JSON and writing the canonical form that identifies the
 * campaign (llm4perf_sampler.h). The sampler reads them in create; the
 * CLI writes them from its flags. The per-role agents and the campaign's
 * LLM settings ("roles", "llm") are read and written by llm4perf_roles.c.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "llm4perf-int.h"
#include "llm4perf/llm4perf_sampler.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const voting_names[] = {[L4P_VOTING_AGREEMENT_DISTANCE] =
                                               "agreement+distance",
                                           [L4P_VOTING_AGREEMENT] = "agreement",
                                           [L4P_VOTING_NONE] = "none"};

/* The voting mode's name, "?" for none. */
const char *l4p_voting_name(enum l4p_voting voting)
{
  return (unsigned)voting <= L4P_VOTING_NONE ? voting_names[voting] : "?";
}

/* The voting mode called name; false when there is none. */
bool l4p_voting_parse(const char *name, enum l4p_voting *voting)
{
  for (int k = 0; name && k <= L4P_VOTING_NONE; k++)
    if (strcmp(voting_names[k], name) == 0) {
      *voting = (enum l4p_voting)k;
      return true;
    }
  return false;
}

/* The defaults of METHOD.md (llm4perf_sampler.h). */
void l4p_llm4perf_params_init(struct l4p_llm4perf_params *p)
{
  memset(p, 0, sizeof *p);
  p->candidates = 7; /* METHOD.md: N_candidates = 7 */
  p->generators = 3; /* METHOD.md: N_generators = 3 */
  snprintf(p->agent, sizeof p->agent, "builtin");
  p->prune = L4P_PRUNE_FILTER;
  p->feedback = true;
  p->voting = L4P_VOTING_AGREEMENT_DISTANCE;
}

/* Free the LLM settings; p is back at the defaults. */
void l4p_llm4perf_params_release(struct l4p_llm4perf_params *p)
{
  for (size_t k = 0; k < p->n_llm; k++) {
    free(p->llm[k].name);
    free(p->llm[k].value);
  }
  free(p->llm);
  l4p_llm4perf_params_init(p);
}

/* The initial batch size: as set, else max(candidates, budget / 10),
 * rounded, never above the budget. */
size_t l4p_llm4perf_initial(const struct l4p_llm4perf_params *p, size_t budget)
{
  size_t n = p->initial;
  if (!n) { /* a tenth of the budget, at least one iteration's batch */
    n = (budget + 5) / 10;
    if (n < p->candidates)
      n = p->candidates;
  }
  return budget && n > budget ? budget : n;
}

/* A count in [lo, hi] from key's value. */
static l4p_status read_count(const char *key, const json_t *v, size_t lo,
                             size_t hi, size_t *out)
{
  if (!json_is_integer(v) || json_integer_value(v) < (json_int_t)lo ||
      json_integer_value(v) > (json_int_t)hi)
    return l4p_failf(L4P_EUSAGE,
                     "llm4perf parameter '%s': expected an "
                     "integer from %zu to %zu",
                     key, lo, hi);
  *out = (size_t)json_integer_value(v);
  return L4P_OK;
}

/* Read one key of the parameters object. */
static l4p_status read_key(const char *key, const json_t *v,
                           struct l4p_llm4perf_params *p)
{
  if (strcmp(key, "candidates") == 0)
    return read_count(key, v, 1, L4P_LLM4PERF_MAX_CANDIDATES, &p->candidates);
  if (strcmp(key, "generators") == 0)
    return read_count(key, v, 1, L4P_LLM4PERF_MAX_GENERATORS, &p->generators);
  if (strcmp(key, "initial") == 0)
    return read_count(key, v, 0, 1000000, &p->initial);
  if (strcmp(key, "agent") == 0) {
    const char *name = json_string_value(v);
    if (!name || !*name || strlen(name) >= sizeof p->agent)
      return l4p_failf(L4P_EUSAGE, "llm4perf parameter 'agent': expected "
                                   "an agent name");
    snprintf(p->agent, sizeof p->agent, "%s", name);
    return L4P_OK;
  }
  if (strcmp(key, "prune") == 0) {
    if (json_is_object(v))
      p->prune = L4P_PRUNE_EXTERNAL;
    else if (json_is_boolean(v))
      p->prune = json_is_true(v) ? L4P_PRUNE_FILTER : L4P_PRUNE_OFF;
    else
      return l4p_failf(L4P_EUSAGE, "llm4perf parameter 'prune': expected "
                                   "true, false or a pruning identity");
    return L4P_OK;
  }
  if (strcmp(key, "feedback") == 0) {
    if (!json_is_boolean(v))
      return l4p_failf(L4P_EUSAGE, "llm4perf parameter 'feedback': "
                                   "expected true or false");
    p->feedback = json_is_true(v);
    return L4P_OK;
  }
  if (strcmp(key, "roles") == 0)
    return l4p__lp_read_roles(v, p);
  if (strcmp(key, "llm") == 0)
    return l4p__lp_read_llm(v, p);
  if (strcmp(key, "voting") == 0) {
    if (!l4p_voting_parse(json_string_value(v), &p->voting))
      return l4p_failf(L4P_EUSAGE,
                       "llm4perf parameter 'voting': expected "
                       "\"agreement+distance\", \"agreement\" or \"none\"");
    return L4P_OK;
  }
  return l4p_failf(L4P_EUSAGE,
                   "unknown llm4perf parameter '%s' (known: "
                   "candidates, generators, initial, agent, roles, llm, "
                   "prune, feedback, voting)",
                   key);
}

/* Parameters from JSON, starting from the defaults; EUSAGE names a bad
 * key. */
l4p_status l4p_llm4perf_params_parse(const char *text,
                                     struct l4p_llm4perf_params *p)
{
  l4p_llm4perf_params_init(p);
  if (!text || !*text)
    return L4P_OK;
  json_error_t err;
  json_t *doc = json_loads(text, 0, &err);
  if (!json_is_object(doc)) {
    json_decref(doc);
    return l4p_failf(L4P_EPARSE, "llm4perf parameters: not a JSON object");
  }
  const char *key;
  json_t *v;
  l4p_status st = L4P_OK;
  json_object_foreach (doc, key, v) {
    if ((st = read_key(key, v, p)))
      break;
  }
  json_decref(doc);
  if (!st) /* LLM settings against the roles, whatever the key order */
    st = l4p__lp_check_llm(p);
  if (st)
    l4p_llm4perf_params_release(p);
  else if (p->voting == L4P_VOTING_NONE)
    p->generators = 1; /* no voting: a single generator */
  return st;
}

/* The canonical JSON of the parameters (the campaign's identity). */
l4p_status l4p_llm4perf_params_json(const struct l4p_llm4perf_params *p,
                                    size_t budget, const char *prune_identity,
                                    char **json)
{
  *json = NULL;
  json_t *prune = NULL;
  if (prune_identity) {
    json_t *id = json_loads(prune_identity, 0, NULL);
    prune = json_incref(json_object_get(id, "prune"));
    json_decref(id);
    if (!json_is_object(prune)) {
      json_decref(prune);
      return l4p_failf(L4P_EPARSE, "llm4perf parameters: bad pruning "
                                   "identity");
    }
  } else {
    prune = json_boolean(p->prune != L4P_PRUNE_OFF);
  }
  size_t generators = p->voting == L4P_VOTING_NONE ? 1 : p->generators;
  json_t *doc =
      json_pack("{s:s, s:I, s:b, s:I, s:I, s:o, s:s}", "agent", p->agent,
                "candidates", (json_int_t)p->candidates, "feedback",
                p->feedback, "generators", (json_int_t)generators, "initial",
                (json_int_t)l4p_llm4perf_initial(p, budget), "prune", prune,
                "voting", l4p_voting_name(p->voting));
  if (doc && l4p__lp_roles_json(p, doc)) {
    json_decref(doc);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (doc)
    *json = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(doc);
  return *json ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
