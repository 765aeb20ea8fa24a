/* Reading what a chat-completions server sent back: the answer's text,
 * finish_reason and token usage from a 200 body, the server's message
 * from an error body, and the text hygiene every message and stored row
 * goes through (the key redacted, one-line excerpts). Servers differ in
 * what they omit, so every field but the content is optional.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* A count from usage, or -1 when absent or not a number. */
static long usage_count(const json_t *usage, const char *name)
{
  json_t *v = json_object_get(usage, name);
  return json_is_integer(v) && json_integer_value(v) >= 0
             ? (long)json_integer_value(v)
             : -1;
}

/* Parse a 200 body; see llm-int.h. */
l4p_status l4p__llm_parse_response(const char *body, size_t len,
                                   struct l4p__llm_answer *answer)
{
  memset(answer, 0, sizeof *answer);
  answer->prompt_tokens = answer->completion_tokens = -1;
  json_error_t jerr;
  json_t *root = json_loadb(body, len, 0, &jerr);
  if (!root) {
    char excerpt[120];
    l4p__llm_excerpt(body, 80, excerpt, sizeof excerpt);
    return l4p_failf(L4P_ELLM,
                     "response body is not JSON (%s at byte "
                     "%d): '%s'",
                     jerr.text, jerr.position, excerpt);
  }
  json_t *usage = json_object_get(root, "usage");
  answer->prompt_tokens = usage_count(usage, "prompt_tokens");
  answer->completion_tokens = usage_count(usage, "completion_tokens");
  l4p_status st = L4P_OK;
  json_t *choices = json_object_get(root, "choices");
  json_t *choice = json_array_get(choices, 0);
  json_t *finish = json_object_get(choice, "finish_reason");
  if (json_is_string(finish))
    snprintf(answer->finish_reason, sizeof answer->finish_reason, "%s",
             json_string_value(finish));
  json_t *content =
      json_object_get(json_object_get(choice, "message"), "content");
  if (!json_is_array(choices))
    st = l4p_failf(L4P_ELLM, "response has no 'choices' array");
  else if (!choice)
    st = l4p_failf(L4P_ELLM, "response has no choices");
  else if (!json_is_string(content))
    st = l4p_failf(L4P_ELLM, "choice has no message content");
  else if (!(answer->content = strdup(json_string_value(content))))
    st = l4p_failf(L4P_ENOMEM, "llm: out of memory");
  json_decref(root);
  return st;
}

/* Free the answer's content. */
void l4p__llm_answer_release(struct l4p__llm_answer *answer)
{
  free(answer->content);
  answer->content = NULL;
}

/* The server's message from an error body, else an excerpt of it. */
void l4p__llm_server_message(const char *body, char *out, size_t size)
{
  json_t *root = json_loads(body, 0, NULL);
  json_t *error = json_object_get(root, "error");
  json_t *message =
      json_is_object(error) ? json_object_get(error, "message") : error;
  if (json_is_string(message))
    l4p__llm_excerpt(json_string_value(message), 200, out, size);
  else
    l4p__llm_excerpt(body, 200, out, size);
  json_decref(root);
}

/* Replace each occurrence of key in text by "[redacted]". */
char *l4p__llm_redact(const char *text, const char *key)
{
  if (!text)
    return NULL;
  if (!key || !*key)
    return strdup(text);
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t key_len = strlen(key);
  const char *p = text, *hit;
  while ((hit = strstr(p, key))) {
    l4px_sb_add(&sb, p, (size_t)(hit - p));
    l4px_sb_puts(&sb, "[redacted]");
    p = hit + key_len;
  }
  l4px_sb_puts(&sb, p);
  return l4px_sb_detach(&sb);
}

/* One line of at most max bytes of text into out. */
void l4p__llm_excerpt(const char *text, size_t max, char *out, size_t size)
{
  if (size == 0)
    return;
  if (!text)
    text = "";
  if (max + 4 > size)
    max = size > 4 ? size - 4 : 0;
  size_t len = strlen(text), n = len < max ? len : max;
  /* Back off to the start of a UTF-8 sequence. */
  while (n < len && n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
    n--;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[i];
    out[i] = (char)(c < 0x20 || c == 0x7f ? ' ' : c);
  }
  if (n < len) {
    memcpy(out + n, "...", 3);
    n += 3;
  }
  out[n] = '\0';
}

/* CLOCK_MONOTONIC in seconds: waits and latencies ignore clock changes. */
double l4p__llm_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep for seconds, resuming after signals. */
void l4p__llm_sleep(double seconds)
{
  if (!(seconds > 0))
    return;
  struct timespec ts = {(time_t)seconds,
                        (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
    ;
}
