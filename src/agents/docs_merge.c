/* Writing matched documentation into a spec: the option's "doc" and,
 * where the spec has none, its "cli" (flag and form). The spec's JSON is
 * edited as a tree, so keys this code does not know (comments, oracle
 * settings) survive, and the result is loaded as a spec before it is
 * handed back, so a merge can never produce a spec the loader refuses.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* The option object called name in the spec's "options" array. */
static json_t *find_option(json_t *root, const char *name)
{
  size_t i;
  json_t *o;
  json_array_foreach (json_object_get(root, "options"), i, o) {
    const char *n = json_string_value(json_object_get(o, "name"));
    if (n && strcmp(n, name) == 0)
      return o;
  }
  return NULL;
}

static void set_doc(json_t *o, const struct l4p_agent_docopt *d,
                    enum l4p_agent_match how, bool overwrite)
{
  if (!d->description[0] || (json_object_get(o, "doc") && !overwrite))
    return;
  if (how != L4P_MATCH_NEGATED) {
    json_object_set_new(o, "doc", json_string(d->description));
    return;
  }
  /* the text describes the opposite switch: say so */
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb, "Opposite of %s: %s", d->flag ? d->flag : d->name,
                 d->description);
  if (!l4px_sb_failed(&sb))
    json_object_set_new(o, "doc", json_string(sb.buf));
  l4px_sb_release(&sb);
}

/* A "cli" object for option o of type type from d, or NULL when the
 * documented form does not fit the spec's type. */
static json_t *make_cli(const char *type, const struct l4p_agent_docopt *d,
                        enum l4p_agent_match how)
{
  bool is_bool = strcmp(type, "bool") == 0;
  bool doc_switch = !d->form || strcmp(d->form, "switch") == 0;
  if (is_bool != (strcmp(d->type, "bool") == 0 && doc_switch))
    return NULL;
  const char *flag = d->flag, *false_flag = d->false_flag;
  if (how == L4P_MATCH_NEGATED) {
    /* the spec's true is the documented option's false */
    flag = d->false_flag;
    false_flag = d->flag;
  }
  if (!flag && !false_flag)
    return NULL;
  json_t *cli = json_object();
  if (flag)
    json_object_set_new(cli, "flag", json_string(flag));
  if (is_bool && false_flag)
    json_object_set_new(cli, "false_flag", json_string(false_flag));
  json_object_set_new(cli, "form",
                      json_string(is_bool   ? "switch"
                                  : d->form ? d->form
                                            : "value"));
  if (!is_bool && !flag) {
    json_decref(cli);
    return NULL;
  }
  return cli;
}

/* True when every real in v prints back exactly with 15 digits, so the
 * dump can use them (0.1 rather than 0.10000000000000001). */
static bool short_reals(const json_t *v)
{
  const char *key;
  json_t *m;
  size_t i;
  char buf[40];
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    json_object_foreach ((json_t *)v, key, m) {
      if (!short_reals(m))
        return false;
    }
    return true;
  case JSON_ARRAY:
    json_array_foreach (v, i, m) {
      if (!short_reals(m))
        return false;
    }
    return true;
  case JSON_REAL:
    snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
    return strtod(buf, NULL) == json_real_value(v);
  default:
    return true;
  }
}

l4p_status l4p_agent_docs_merge(const char *spec_text, const char *path,
                                const struct l4p_agent_docs *docs,
                                const int *doc_of,
                                const enum l4p_agent_match *how, bool overwrite,
                                char **merged)
{
  *merged = NULL;
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_parse(spec_text, path, &spec);
  if (st)
    return st;
  json_t *root = json_loads(spec_text, 0, NULL);
  if (!root) {
    l4p_spec_free(spec);
    return l4p_failf(L4P_EPARSE, "%s: not JSON", path);
  }
  for (size_t i = 0; i < l4p_space_n_options(spec->space); i++) {
    if (doc_of[i] < 0 || (size_t)doc_of[i] >= docs->n)
      continue;
    const struct l4p_option *opt = l4p_space_option(spec->space, i);
    const struct l4p_agent_docopt *d = &docs->options[doc_of[i]];
    json_t *o = find_option(root, opt->name);
    if (!o)
      continue;
    set_doc(o, d, how[i], overwrite);
    const char *type = json_string_value(json_object_get(o, "type"));
    json_t *cli =
        json_object_get(o, "cli") || !type ? NULL : make_cli(type, d, how[i]);
    if (cli)
      json_object_set_new(o, "cli", cli);
  }
  l4p_spec_free(spec);
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
  if (short_reals(root))
    flags |= JSON_REAL_PRECISION(15);
  char *text = json_dumps(root, flags);
  json_decref(root);
  if (!text)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if ((st = l4p_spec_parse(text, path, &spec))) {
    free(text);
    l4p_error_prefix("the merged documentation breaks the spec");
    return st;
  }
  l4p_spec_free(spec);
  size_t len = strlen(text);
  char *with_nl = realloc(text, len + 2);
  if (!with_nl) {
    free(text);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  memcpy(with_nl + len, "\n", 2);
  *merged = with_nl;
  return L4P_OK;
}
