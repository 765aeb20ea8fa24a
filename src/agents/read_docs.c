/* Reading an extract answer: the documented options of a program, as the
 * builtin help parser or an LLM listed them, into plain C structures for
 * the docs command (matching them to a spec's options) and for people
 * (--list). Values keep their text form: the program's words.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

static char *dup_member(const json_t *o, const char *key)
{
  const char *s = json_string_value(json_object_get(o, key));
  return s ? strdup(s) : NULL;
}

/* The text form of a default or listed value. */
static char *text_of(const json_t *v)
{
  char buf[64];
  if (json_is_string(v))
    return strdup(json_string_value(v));
  if (json_is_boolean(v))
    return strdup(json_is_true(v) ? "true" : "false");
  if (json_is_number(v)) {
    snprintf(buf, sizeof buf, "%.15g", json_number_value(v));
    return strdup(buf);
  }
  return NULL;
}

static void release_option(struct l4p_agent_docopt *o)
{
  free(o->name);
  free(o->type);
  free(o->description);
  free(o->flag);
  free(o->false_flag);
  free(o->form);
  free(o->default_text);
  for (size_t k = 0; k < o->n_values; k++)
    free(o->values[k]);
  free(o->values);
}

void l4p_agent_docs_release(struct l4p_agent_docs *docs)
{
  for (size_t k = 0; k < docs->n; k++)
    release_option(&docs->options[k]);
  free(docs->options);
  memset(docs, 0, sizeof *docs);
}

/* Fill o from the answer's object j; false when out of memory. */
static bool read_option(const json_t *j, struct l4p_agent_docopt *o)
{
  memset(o, 0, sizeof *o);
  o->name = dup_member(j, "name");
  o->type = dup_member(j, "type");
  o->description = dup_member(j, "description");
  o->flag = dup_member(j, "flag");
  o->false_flag = dup_member(j, "false_flag");
  o->form = dup_member(j, "form");
  json_t *def = json_object_get(j, "default");
  o->default_text = def ? text_of(def) : NULL;
  json_t *values = json_object_get(j, "values"), *v;
  size_t i;
  o->values = calloc(json_array_size(values) + 1, sizeof *o->values);
  bool ok = o->name && o->type && o->description && o->values &&
            (!def || o->default_text);
  json_array_foreach (values, i, v) {
    if (ok && !(o->values[o->n_values++] = text_of(v)))
      ok = false;
  }
  json_t *min = json_object_get(j, "min"), *max = json_object_get(j, "max");
  if ((o->has_min = json_is_number(min)))
    o->min = json_number_value(min);
  if ((o->has_max = json_is_number(max)))
    o->max = json_number_value(max);
  return ok;
}

l4p_status l4p_agent_read_docs(const char *output, struct l4p_agent_docs *docs)
{
  memset(docs, 0, sizeof *docs);
  json_t *root;
  l4p_status st = l4p__agent_read_output(L4P_ROLE_EXTRACT, output, &root);
  if (st)
    return st;
  json_t *list = json_object_get(root, "options"), *j;
  size_t i;
  docs->options = calloc(json_array_size(list) + 1, sizeof *docs->options);
  if (!docs->options)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  json_array_foreach (list, i, j) {
    if (st)
      break;
    struct l4p_agent_docopt *o = &docs->options[docs->n];
    bool ok = read_option(j, o);
    if (ok && o->name[0]) {
      docs->n++;
      continue;
    }
    release_option(o);
    if (!ok)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  json_decref(root);
  if (st)
    l4p_agent_docs_release(docs);
  return st;
}
