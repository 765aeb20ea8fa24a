/* Finding the JSON answer in what a model wrote. Models asked for JSON
 * still wrap it in ```json fences, add a sentence before or after, or
 * think aloud in <think> blocks first (reasoning models served by
 * llama-server); servers that ignore response_format make this the
 * normal case. Candidates are tried in order of how deliberate they look:
 * the whole text, fenced blocks, then balanced {...} / [...] spans. A
 * null where the schema leaves a member optional means "absent" (the
 * strict form of a schema asks for exactly that, schema_strict.c).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* At most this many spans are parsed, bounding the work on long prose
 * full of braces. */
#define MAX_SPANS 64

/* The text without <think>...</think> blocks; NULL on ENOMEM. An
 * unclosed block is kept: the answer may be inside. */
static char *strip_thinking(const char *text)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  const char *p = text, *open;
  while ((open = strstr(p, "<think>"))) {
    const char *close = strstr(open, "</think>");
    if (!close)
      break;
    l4px_sb_add(&sb, p, (size_t)(open - p));
    p = close + strlen("</think>");
  }
  l4px_sb_puts(&sb, p);
  return l4px_sb_detach(&sb);
}

/* The search for the answer: the first candidate that satisfies the
 * schema wins; the first violation is kept to report. */
struct search {
  const json_t *schema;
  json_t *found;
  bool parsed_any;
  char first_violation[1024];
};

/* Try [start, end) as the answer; true when the search is over. */
static bool try_candidate(struct search *s, const char *start, const char *end,
                          size_t flags)
{
  while (start < end && isspace((unsigned char)*start))
    start++;
  while (end > start && isspace((unsigned char)end[-1]))
    end--;
  if (start == end)
    return false;
  json_t *value = json_loadb(start, (size_t)(end - start), flags, NULL);
  if (!value)
    return false;
  if (s->schema)
    l4p__llm_schema_drop_nulls(s->schema, value);
  if (!s->schema || l4p_llm_schema_validate(s->schema, value) == L4P_OK) {
    s->found = value;
    return true;
  }
  if (!s->parsed_any)
    snprintf(s->first_violation, sizeof s->first_violation, "%s",
             l4p_last_error());
  s->parsed_any = true;
  json_decref(value);
  return false;
}

/* Try the contents of each ``` fence (the language tag line skipped). */
static bool try_fences(struct search *s, const char *text)
{
  const char *p = text, *open;
  while ((open = strstr(p, "```"))) {
    const char *body = strchr(open + 3, '\n');
    if (!body)
      return false;
    const char *close = strstr(body, "```");
    if (!close)
      close = body + strlen(body); /* cut off before its fence closed */
    if (try_candidate(s, body + 1, close, JSON_DECODE_ANY))
      return true;
    if (!*close)
      return false;
    p = close + 3;
  }
  return false;
}

/* End of the balanced {...} or [...] starting at s, strings skipped;
 * NULL when it never closes. */
static const char *span_end(const char *s)
{
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char *p = s; *p; p++) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (*p == '\\')
        escaped = true;
      else if (*p == '"')
        in_string = false;
    } else if (*p == '"') {
      in_string = true;
    } else if (*p == '{' || *p == '[') {
      depth++;
    } else if ((*p == '}' || *p == ']') && --depth == 0) {
      return p + 1;
    }
  }
  return NULL;
}

/* Try balanced spans from left to right. */
static bool try_spans(struct search *s, const char *text)
{
  int tried = 0;
  for (const char *p = text; *p && tried < MAX_SPANS; p++) {
    if (*p != '{' && *p != '[')
      continue;
    const char *end = span_end(p);
    if (!end)
      continue;
    tried++;
    if (try_candidate(s, p, end, 0))
      return true;
  }
  return false;
}

/* Extract the answer; see llm.h. */
l4p_status l4p_llm_extract_json(const char *text, const json_t *schema,
                                json_t **value)
{
  *value = NULL;
  char *clean = strip_thinking(text ? text : "");
  if (!clean)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  struct search s = {.schema = schema};
  bool done =
      try_candidate(&s, clean, clean + strlen(clean), JSON_DECODE_ANY) ||
      try_fences(&s, clean) || try_spans(&s, clean);
  l4p_status st = L4P_OK;
  if (done) {
    *value = s.found;
  } else if (s.parsed_any) {
    st = l4p_failf(L4P_ELLM, "answer does not match the schema: %s",
                   s.first_violation);
  } else {
    char excerpt[120];
    l4p__llm_excerpt(clean, 80, excerpt, sizeof excerpt);
    st = l4p_failf(L4P_ELLM, "answer holds no JSON value: '%s'", excerpt);
  }
  free(clean);
  return st;
}
