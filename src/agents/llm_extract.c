/* The llm agent's extract role on long documentation: a man page or a
 * --fullhelp can exceed what a model reads well in one prompt, so the
 * text is cut into chunks (l4p_llm_chunk_text), each chunk asked about on
 * its own, and the option lists merged into one answer, an option met in
 * several chunks becoming one entry.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm_agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Whether two option names are the same option: equal up to case, '-'
 * and '_', leading dashes ignored ("--cache-mb" is "cache_mb"). */
static bool same_name(const char *a, const char *b)
{
  a += strspn(a, "-");
  b += strspn(b, "-");
  for (;;) {
    while (*a == '-' || *a == '_')
      a++;
    while (*b == '-' || *b == '_')
      b++;
    if (!*a || !*b)
      return !*a && !*b;
    if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
      return false;
  }
}

/* Append to into's values those of from it lacks. */
static void merge_values(json_t *into, const json_t *from)
{
  size_t i;
  json_t *v;
  json_array_foreach (from, i, v) {
    bool seen = false;
    for (size_t k = 0; k < json_array_size(into) && !seen; k++)
      seen = json_equal(json_array_get(into, k), v);
    if (!seen)
      json_array_append(into, v);
  }
}

/* Fold option from into the same option into (see llm_agent-int.h). */
static void merge_option(json_t *into, const json_t *from)
{
  const char *key;
  json_t *v;
  json_object_foreach ((json_t *)from, key, v) {
    json_t *have = json_object_get(into, key);
    if (!have)
      json_object_set(into, key, v);
    else if (!strcmp(key, "description") && !*json_string_value(have))
      json_object_set(into, key, v);
    else if (!strcmp(key, "values"))
      merge_values(have, v);
  }
}

/* Merge answer's options into merged; see llm_agent-int.h. */
l4p_status l4p__extract_merge(json_t *merged, const json_t *answer)
{
  json_t *list = json_object_get(merged, "options");
  size_t i;
  json_t *o;
  json_array_foreach (json_object_get(answer, "options"), i, o) {
    const char *name = json_string_value(json_object_get(o, "name"));
    json_t *same = NULL;
    for (size_t k = 0; k < json_array_size(list) && !same; k++) {
      json_t *have = json_array_get(list, k);
      if (same_name(json_string_value(json_object_get(have, "name")), name))
        same = have;
    }
    if (same) {
      merge_option(same, o);
    } else {
      json_t *copy = json_deep_copy(o);
      if (!copy || json_array_append_new(list, copy))
        return l4p_failf(L4P_ENOMEM, "out of memory");
    }
  }
  return L4P_OK;
}

/* Ask about one chunk (part k of n) and merge its answer. */
static l4p_status ask_chunk(const json_t *base, const char *text, size_t k,
                            size_t n, l4p__ask_fn ask, void *data,
                            json_t *merged)
{
  json_t *vars = json_deep_copy(base);
  char num[32];
  bool ok = vars && !json_object_set_new(vars, "text", json_string(text));
  snprintf(num, sizeof num, "%zu", k + 1);
  ok = ok && !json_object_set_new(vars, "part", json_string(num));
  snprintf(num, sizeof num, "%zu", n);
  ok = ok && !json_object_set_new(vars, "parts", json_string(num));
  json_t *input = json_pack("{s:O,s:s}", "system",
                            json_object_get(base, "system"), "text", text);
  char *input_text = input ? json_dumps(input, JSON_COMPACT) : NULL;
  ok = ok && input_text &&
       !json_object_set_new(vars, "input", json_string(input_text));
  json_decref(input);
  free(input_text);
  if (!ok) {
    json_decref(vars);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  json_t *answer = NULL;
  l4p_status st = ask(data, vars, &answer);
  json_decref(vars);
  if (st && n > 1) {
    char where[64];
    snprintf(where, sizeof where, "extract part %zu of %zu", k + 1, n);
    l4p_error_prefix(where);
  }
  if (!st)
    st = l4p__extract_merge(merged, answer);
  json_decref(answer);
  return st;
}

/* Extract in chunks and merge; see llm_agent-int.h. */
l4p_status l4p__llm_extract(const json_t *in, const char *schema_text,
                            uint64_t seed, size_t chunk_chars, l4p__ask_fn ask,
                            void *data, json_t **out)
{
  *out = NULL;
  const char *text = json_string_value(json_object_get(in, "text"));
  json_t *base = l4p__prompt_vars(L4P_ROLE_EXTRACT, in, schema_text, seed);
  json_t *merged = json_pack("{s:[]}", "options");
  if (!base || !merged) {
    json_decref(base);
    json_decref(merged);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  /* "input" and "text" are the chunk's (set per chunk), not the whole
   * text's. */
  json_object_del(base, "input");
  struct l4p_llm_chunks chunks = {0};
  l4p_status st = L4P_OK;
  if (!text[strspn(text, " \t\r\n")]) {
    /* nothing to read: no question */
  } else if (strlen(text) <= chunk_chars) {
    st = ask_chunk(base, text, 0, 1, ask, data, merged);
  } else if (!(st = l4p_llm_chunk_text(text, chunk_chars, chunk_chars / 8,
                                       &chunks))) {
    for (size_t k = 0; k < chunks.n && !st; k++)
      st = ask_chunk(base, chunks.text[k], k, chunks.n, ask, data, merged);
  }
  l4p_llm_chunks_release(&chunks);
  json_decref(base);
  if (st) {
    json_decref(merged);
    return st;
  }
  *out = merged;
  return L4P_OK;
}
