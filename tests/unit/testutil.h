/* Helpers shared by the unit tests: scratch directories, fixture paths,
 * the optional shared datasets and the fake LLM server. Include after
 * cmocka's prerequisites. */
#ifndef L4P_TESTUTIL_H
#define L4P_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

/* Exact equality of two doubles, naming the expression when they differ
 * (NaN never equals anything). */
#define assert_same(got, want)                                    \
  do {                                                            \
    double got_ = (got), want_ = (want);                          \
    if (got_ != want_)                                            \
      fail_msg("%s is %.17g, expected %.17g", #got, got_, want_); \
  } while (0)

/* A fresh scratch directory for this test process (removed at exit). */
const char *tu_tmpdir(void);
/* tu_tmpdir()/name in a static buffer rotated over 8 slots. */
const char *tu_tmp(const char *name);
/* Path of a file under the source tree, e.g. tu_src("tests/data/x"). */
const char *tu_src(const char *rel);
/* Path under the shared datasets, or NULL when they are absent. */
const char *tu_shared(const char *rel);
/* Write text to path; aborts the test on failure. */
void tu_write(const char *path, const char *text);
/* JSON text parsed (any value, a new reference); fails the test when it
 * does not parse. */
json_t *tu_json(const char *text);
/* Whether the file at path contains needle, compared as bytes (the file
 * may hold NULs, e.g. a database); false when it cannot be read. */
bool tu_file_contains(const char *path, const char *needle);

/* ------------------------------------------- the fake LLM server */
/* tests/fake_llm_server (found through L4P_FAKE_LLM) started on
 * 127.0.0.1 with a script; docs/internals/LLM-EXCHANGE.md. */

struct tu_fake {
  pid_t pid;
  int port;
  char log[512];
  char url[64]; /* http://127.0.0.1:PORT/v1 */
};

/* Clear every proxy variable and set no_proxy to "*": the fake server is
 * local, and no proxy may stand between it and the client under test. */
void tu_fake_no_proxy(void);
/* Start the fake server with script (JSON text); max_requests 0 means the
 * server's default. Skips the test when L4P_FAKE_LLM is not set. */
void tu_fake_start(struct tu_fake *f, const char *script, int max_requests);
/* Stop the server (when still running) and reap it. */
void tu_fake_stop(struct tu_fake *f);
/* Wait for a server that exits by itself (--max-requests). */
void tu_fake_wait(struct tu_fake *f);
/* The server's log as an array of its JSON lines (json_decref it). */
json_t *tu_fake_log(const struct tu_fake *f);
/* The log line of the server's request number n (from 1, in order of
 * arrival; lines are written as requests complete, which is not always
 * arrival order). Borrowed from log. */
json_t *tu_fake_line(json_t *log, int n);
/* The request body the server logged for request i (0-based), parsed
 * (json_decref it). */
json_t *tu_fake_body(json_t *log, size_t i);

#endif
