/* Reading proposed configurations ({"option": value} objects) against a
 * space, so nothing an agent proposes is measured as-is (METHOD.md,
 * voting): unknown options and unreadable values make a proposal
 * invalid; values outside a domain are snapped, missing free options
 * defaulted, fixed ones reset and constraint violations repaired, each
 * counted; a proposal that cannot be repaired is invalid.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

void l4p_agent_configs_release(struct l4p_agent_configs *c)
{
  for (size_t k = 0; c->notes && k < c->n; k++)
    free(c->notes[k]);
  free(c->notes);
  free(c->configs);
  free(c->status);
  memset(c, 0, sizeof *c);
}

/* Keep the first note of a configuration. */
static void note(struct l4p_agent_configs *c, size_t r, const char *fmt,
                 const char *a, const char *b)
{
  char buf[256];
  if (c->notes[r])
    return;
  snprintf(buf, sizeof buf, fmt, a, b);
  c->notes[r] = strdup(buf);
}

/* Read one proposal into cfg; returns its status. */
static enum l4p_agent_config_status read_one(const struct l4p_space *space,
                                             const json_t *obj,
                                             struct l4p_agent_configs *c,
                                             size_t r, double *cfg)
{
  bool repaired = false, invalid = false;
  const char *key;
  json_t *v;
  char text[128];
  l4p_space_default_config(space, cfg);
  if (!json_is_object(obj)) {
    c->type_errors++;
    note(c, r, "%s%s", "not an object", "");
    return L4P_CONFIG_INVALID;
  }
  json_object_foreach ((json_t *)obj, key, v) {
    int i = l4p_space_find(space, key);
    if (i < 0) {
      c->unknown_options++;
      note(c, r, "unknown option '%s'%s", key, "");
      invalid = true;
      continue;
    }
    const struct l4p_option *opt = l4p_space_option(space, (size_t)i);
    double x;
    enum l4p__fit fit = l4p__value_read(opt, v, &x);
    char *shown = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(text, sizeof text, "%s", shown ? shown : "?");
    free(shown);
    if (fit == L4P__FIT_BAD_TYPE || fit == L4P__FIT_BAD_LABEL) {
      if (fit == L4P__FIT_BAD_TYPE)
        c->type_errors++;
      else
        c->out_of_domain++;
      note(c, r, "option '%s': unusable value %s", key, text);
      invalid = true;
      continue;
    }
    if (fit == L4P__FIT_SNAPPED) {
      c->out_of_domain++;
      note(c, r, "option '%s': value %s outside its domain, snapped", key,
           text);
      repaired = true;
    }
    if (opt->fixed && x != opt->fixed_value) {
      c->fixed_changed++;
      note(c, r, "option '%s' is fixed; value %s reset", key, text);
      repaired = true;
      x = opt->fixed_value;
    }
    cfg[i] = x;
  }
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (!opt->fixed && !json_object_get(obj, opt->name)) {
      c->missing++;
      note(c, r, "option '%s' missing, set to its default%s", opt->name, "");
      repaired = true;
    }
  }
  if (invalid) {
    l4p_space_default_config(space, cfg);
    return L4P_CONFIG_INVALID;
  }
  if (!l4p_space_satisfies(space, cfg)) {
    c->constraint_violations++;
    l4p_space_validate(space, cfg);
    note(c, r, "%s%s", l4p_last_error(), "; repaired");
    if (l4p_space_repair(space, cfg) != L4P_OK) {
      free(c->notes[r]);
      c->notes[r] = NULL;
      note(c, r, "cannot repair: %s%s", l4p_last_error(), "");
      l4p_space_default_config(space, cfg);
      return L4P_CONFIG_INVALID;
    }
    repaired = true;
  }
  return repaired ? L4P_CONFIG_REPAIRED : L4P_CONFIG_OK;
}

l4p_status l4p__read_configs_json(const struct l4p_space *space,
                                  const json_t *list,
                                  struct l4p_agent_configs *out)
{
  memset(out, 0, sizeof *out);
  if (!json_is_array(list))
    return l4p_failf(L4P_ELLM, "configurations: expected an array");
  size_t n = json_array_size(list), d = l4p_space_n_options(space);
  out->n_options = d;
  out->configs = malloc((n * d + 1) * sizeof *out->configs);
  out->status = calloc(n + 1, sizeof *out->status);
  out->notes = calloc(n + 1, sizeof *out->notes);
  if (!out->configs || !out->status || !out->notes) {
    l4p_agent_configs_release(out);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  out->n = n;
  for (size_t r = 0; r < n; r++) {
    out->status[r] =
        read_one(space, json_array_get(list, r), out, r, out->configs + r * d);
    out->n_ok += out->status[r] == L4P_CONFIG_OK;
    out->n_repaired += out->status[r] == L4P_CONFIG_REPAIRED;
    out->n_invalid += out->status[r] == L4P_CONFIG_INVALID;
  }
  return L4P_OK;
}

l4p_status l4p_agent_read_configs(const struct l4p_space *space,
                                  const char *configs_json,
                                  struct l4p_agent_configs *out)
{
  memset(out, 0, sizeof *out);
  json_error_t err;
  json_t *list = json_loads(configs_json, JSON_DECODE_ANY, &err);
  if (!list)
    return l4p_failf(L4P_ELLM, "configurations: not JSON: %d:%d: %s", err.line,
                     err.column, err.text);
  l4p_status st = l4p__read_configs_json(space, list, out);
  json_decref(list);
  return st;
}

l4p_status l4p_agent_read_generated(const struct l4p_space *space,
                                    const char *output,
                                    struct l4p_agent_configs *out)
{
  memset(out, 0, sizeof *out);
  json_t *root;
  l4p_status st = l4p__agent_read_output(L4P_ROLE_GENERATE, output, &root);
  if (st)
    return st;
  st = l4p__read_configs_json(space, json_object_get(root, "configs"), out);
  json_decref(root);
  return st;
}
