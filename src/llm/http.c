/* The LLM client's HTTP transport over libcurl: one POST of a JSON body
 * per call, with its own easy handle so calls on several threads share
 * nothing but curl's global state, initialised once. Classifying the
 * outcome (retry or not) is the caller's job (chat.c); this file only
 * reports status, body, Retry-After, timeout and transport errors.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "llm-int.h"
#include "util/strbuf.h"
#include "util/banned.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

/* curl_global_init is not thread-safe: run it once for the process. */
static void init_curl(void)
{
  curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Where the response body goes, bounded by L4P__LLM_MAX_BODY. */
struct sink {
  struct l4px_sb sb;
  bool too_big;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *arg)
{
  struct sink *sink = arg;
  size_t n = size * nmemb;
  if (sink->sb.len + n > L4P__LLM_MAX_BODY) {
    sink->too_big = true;
    return 0; /* aborts the transfer */
  }
  l4px_sb_add(&sink->sb, data, n);
  return l4px_sb_failed(&sink->sb) ? 0 : n;
}

/* Free a header list after wiping it: one entry holds the key. */
static void free_headers(struct curl_slist *headers)
{
  for (struct curl_slist *h = headers; h; h = h->next)
    memset(h->data, 0, strlen(h->data));
  curl_slist_free_all(headers);
}

/* The request headers; NULL on ENOMEM. */
static struct curl_slist *make_headers(const char *api_key, const char *role)
{
  struct curl_slist *list = NULL, *next;
  char line[320];
  const char *fixed[] = {"Content-Type: application/json",
                         "Accept: application/json",
                         "Expect:"}; /* no 100-continue round trip */
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    if (!(next = curl_slist_append(list, fixed[i])))
      goto oom;
    list = next;
  }
  snprintf(line, sizeof line, "X-LLM4Perf-Role: %s", role);
  if (!(next = curl_slist_append(list, line)))
    goto oom;
  list = next;
  if (api_key && *api_key) {
    struct l4px_sb auth;
    l4px_sb_init(&auth);
    l4px_sb_puts(&auth, "Authorization: Bearer ");
    l4px_sb_puts(&auth, api_key);
    next = l4px_sb_failed(&auth) ? NULL : curl_slist_append(list, auth.buf);
    memset(auth.buf, 0, auth.len);
    l4px_sb_release(&auth);
    if (!next)
      goto oom;
    list = next;
  }
  return list;
oom:
  free_headers(list);
  return NULL;
}

/* Set the options of one POST; false when curl refuses one. */
static bool set_options(CURL *h, const char *url, const char *body,
                        struct curl_slist *headers, double timeout_s,
                        struct sink *sink, char *errbuf)
{
  long timeout_ms = (long)(timeout_s * 1000.0 + 0.5);
  long connect_ms = timeout_ms < 30000 ? timeout_ms : 30000;
  bool ok = true;
  ok &= curl_easy_setopt(h, CURLOPT_URL, url) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDS, body) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) ==
        CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms) == CURLE_OK;
  /* Threads: no SIGALRM-based DNS timeouts. */
  ok &= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  /* A redirect could carry the Authorization header to another host. */
  ok &= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500
  ok &= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
#endif
  ok &= curl_easy_setopt(h, CURLOPT_USERAGENT, "llm4perf/" L4P_VERSION) ==
        CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_WRITEDATA, sink) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
  return ok;
}

/* Read status and Retry-After of a completed transfer. */
static void read_info(CURL *h, struct l4p__llm_http *res)
{
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
  curl_off_t after = 0;
  if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
      after > 0)
    res->retry_after_s = (double)after;
}

/* POST body to url; see llm-int.h. */
l4p_status l4p__llm_http_post(const char *url, const char *api_key,
                              const char *role, const char *body,
                              double timeout_s, struct l4p__llm_http *res)
{
  memset(res, 0, sizeof *res);
  res->retry_after_s = -1;
  pthread_once(&curl_once, init_curl);
  if (curl_init_rc != CURLE_OK) {
    snprintf(res->error, sizeof res->error, "libcurl init failed: %s",
             curl_easy_strerror(curl_init_rc));
    res->body = strdup("");
    return res->body ? L4P_OK : L4P_ENOMEM;
  }
  struct curl_slist *headers = make_headers(api_key, role);
  CURL *h = headers ? curl_easy_init() : NULL;
  if (!h) {
    free_headers(headers);
    return L4P_ENOMEM;
  }
  struct sink sink;
  l4px_sb_init(&sink.sb);
  sink.too_big = false;
  char errbuf[CURL_ERROR_SIZE] = "";
  double start = l4p__llm_now();
  CURLcode rc = CURLE_FAILED_INIT;
  if (set_options(h, url, body, headers, timeout_s, &sink, errbuf))
    rc = curl_easy_perform(h);
  res->latency_s = l4p__llm_now() - start;
  if (rc == CURLE_OK) {
    read_info(h, res);
  } else if (rc == CURLE_OPERATION_TIMEDOUT) {
    res->timed_out = true;
    snprintf(res->error, sizeof res->error, "no answer within %g s", timeout_s);
  } else if (sink.too_big) {
    snprintf(res->error, sizeof res->error,
             "response body larger than %u bytes", L4P__LLM_MAX_BODY);
  } else {
    snprintf(res->error, sizeof res->error, "%s",
             errbuf[0] ? errbuf : curl_easy_strerror(rc));
  }
  curl_easy_cleanup(h);
  free_headers(headers);
  if (l4px_sb_failed(&sink.sb)) {
    l4px_sb_release(&sink.sb);
    return L4P_ENOMEM;
  }
  res->body_len = sink.sb.len;
  res->body = l4px_sb_detach(&sink.sb);
  if (!res->body)
    return L4P_ENOMEM;
  return L4P_OK;
}

/* Free what l4p__llm_http_post returned. */
void l4p__llm_http_release(struct l4p__llm_http *res)
{
  free(res->body);
  res->body = NULL;
}

/* base_url + "/chat/completions", without a doubled slash. */
char *l4p__llm_endpoint(const char *base_url)
{
  size_t len = strlen(base_url);
  while (len > 0 && base_url[len - 1] == '/')
    len--;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_add(&sb, base_url, len);
  l4px_sb_puts(&sb, "/chat/completions");
  return l4px_sb_detach(&sb);
}

/* Copy url to out, dropping a "user:password@" part after the scheme. */
void l4p__llm_url_for_messages(const char *url, char *out, size_t size)
{
  const char *scheme_end = strstr(url, "://");
  const char *host = scheme_end ? scheme_end + 3 : url;
  size_t host_len = strcspn(host, "/?#");
  const char *at = memchr(host, '@', host_len);
  if (!at) {
    snprintf(out, size, "%s", url);
    return;
  }
  snprintf(out, size, "%.*s%s", (int)(host - url), url, at + 1);
}
