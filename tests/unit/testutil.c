/* Scratch files, fixture paths and the fake LLM server for unit tests.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util/dirs.h"
#include "util/fileio.h"

static char tmpdir[256];

static void remove_tmpdir(void)
{
  if (!tmpdir[0] || getenv("L4P_KEEP_TMP"))
    return;
  if (l4px_remove_tree(tmpdir) != L4P_OK)
    fprintf(stderr, "could not remove %s: %s\n", tmpdir, l4p_last_error());
}

const char *tu_tmpdir(void)
{
  if (!tmpdir[0]) {
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/l4p-test-XXXXXX", base);
    if (!mkdtemp(tmpdir)) {
      perror("mkdtemp");
      exit(1);
    }
    atexit(remove_tmpdir);
  }
  return tmpdir;
}

static const char *rotate(const char *a, const char *b)
{
  static char slots[8][512];
  static int next;
  char *out = slots[next++ % 8];
  snprintf(out, sizeof slots[0], "%s/%s", a, b);
  return out;
}

const char *tu_tmp(const char *name)
{
  return rotate(tu_tmpdir(), name);
}

const char *tu_src(const char *rel)
{
  const char *src = getenv("L4P_SRC");
  return rotate(src ? src : ".", rel);
}

const char *tu_shared(const char *rel)
{
  const char *dir = getenv("L4P_SHARED_DATA");
  if (!dir)
    return NULL;
  const char *path = rotate(dir, rel);
  struct stat st;
  return stat(path, &st) == 0 ? path : NULL;
}

void tu_write(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
}

json_t *tu_json(const char *text)
{
  json_error_t err;
  json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
  if (!v)
    fail_msg("bad test JSON '%s': %s", text, err.text);
  return v;
}

bool tu_file_contains(const char *path, const char *needle)
{
  char *text;
  size_t len, n = strlen(needle);
  if (l4px_read_file(path, &text, &len) != L4P_OK)
    return false;
  bool found = false;
  for (size_t i = 0; i + n <= len && !found; i++)
    found = !memcmp(text + i, needle, n);
  free(text);
  return found;
}

/* ------------------------------------------- the fake LLM server */

extern char **environ;

static int fake_counter;

/* Start the fake server with script (JSON text); max_requests 0 means the
 * server's default. Skips the test when L4P_FAKE_LLM is not set. */
void tu_fake_no_proxy(void)
{
  const char *proxies[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                           "HTTPS_PROXY", "all_proxy",  "ALL_PROXY"};
  for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
    unsetenv(proxies[i]);
  setenv("no_proxy", "*", 1);
}

void tu_fake_start(struct tu_fake *f, const char *script, int max_requests)
{
  const char *bin = getenv("L4P_FAKE_LLM");
  if (!bin)
    skip();
  int k = fake_counter++;
  char name[64], script_path[512], port_path[512], max[16];
  snprintf(name, sizeof name, "script-%d.json", k);
  snprintf(script_path, sizeof script_path, "%s", tu_tmp(name));
  snprintf(name, sizeof name, "port-%d", k);
  snprintf(port_path, sizeof port_path, "%s", tu_tmp(name));
  snprintf(name, sizeof name, "log-%d.jsonl", k);
  snprintf(f->log, sizeof f->log, "%s", tu_tmp(name));
  snprintf(max, sizeof max, "%d", max_requests > 0 ? max_requests : 1000);
  tu_write(script_path, script);
  char *argv[] = {(char *)bin, "--script",
                  script_path, "--port-file",
                  port_path,   "--log",
                  f->log,      "--max-requests",
                  max,         "--idle-timeout",
                  "30",        "--max-seconds",
                  "90",        NULL};
  posix_spawn_file_actions_t quiet; /* its stdout (the port) unseen */
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  assert_int_equal(posix_spawn(&f->pid, bin, &quiet, NULL, argv, environ), 0);
  posix_spawn_file_actions_destroy(&quiet);
  for (int i = 0; i < 1000; i++) {
    FILE *pf = fopen(port_path, "r");
    if (pf) {
      int ok = fscanf(pf, "%d", &f->port);
      fclose(pf);
      if (ok == 1)
        break;
    }
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
  }
  assert_true(f->port > 0);
  snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d/v1", f->port);
}

/* Stop the server (when still running) and reap it. */
void tu_fake_stop(struct tu_fake *f)
{
  kill(f->pid, SIGTERM);
  waitpid(f->pid, NULL, 0);
}

/* Wait for a server that exits by itself (--max-requests). */
void tu_fake_wait(struct tu_fake *f)
{
  int status;
  assert_int_equal(waitpid(f->pid, &status, 0), f->pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The server's log as an array of its JSON lines. */
json_t *tu_fake_log(const struct tu_fake *f)
{
  json_t *lines = json_array();
  FILE *in = fopen(f->log, "r");
  assert_non_null(in);
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) {
    json_t *v = json_loads(line, 0, NULL);
    assert_non_null(v);
    json_array_append_new(lines, v);
  }
  free(line);
  fclose(in);
  return lines;
}

/* The log line of the server's request number n (from 1, in order of
 * arrival). Lines are written as requests complete, which is not always
 * arrival order: a new request may finish before the last one is
 * logged. */
json_t *tu_fake_line(json_t *log, int n)
{
  size_t i;
  json_t *line;
  json_array_foreach (log, i, line) {
    if (json_integer_value(json_object_get(line, "n")) == n)
      return line;
  }
  fail_msg("no request %d in the server's log", n);
  return NULL;
}

/* The request body the server logged for request i (0-based). */
json_t *tu_fake_body(json_t *log, size_t i)
{
  json_t *line = tu_fake_line(log, (int)i + 1);
  json_t *body =
      json_loads(json_string_value(json_object_get(line, "body")), 0, NULL);
  assert_non_null(body);
  return body;
}
