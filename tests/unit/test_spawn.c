/* Unit tests for running programs without a shell (src/util/spawn.h):
 * word splitting with quotes and backslashes but no expansion, so shell
 * metacharacters arrive as plain arguments; output capture on both
 * streams, exit statuses and signals, output limits, and timeouts that
 * kill the whole process group.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util/spawn.h"

/* Split cmd and compare with the NULL-terminated expected words. */
static void expect_words(const char *cmd, const char *const *want)
{
  char **argv;
  if (l4px_split_command(cmd, &argv) != L4P_OK)
    fail_msg("'%s': %s", cmd, l4p_last_error());
  size_t n = 0;
  for (; want[n]; n++) {
    if (!argv[n])
      fail_msg("'%s': word %zu missing, expected '%s'", cmd, n, want[n]);
    assert_string_equal(argv[n], want[n]);
  }
  assert_null(argv[n]);
  l4px_argv_free(argv);
}

static void test_split_words(void **state)
{
  (void)state;
  expect_words("x264 --fullhelp", (const char *[]){"x264", "--fullhelp", NULL});
  expect_words("  a \t b\nc  ", (const char *[]){"a", "b", "c", NULL});
  expect_words("'a b' \"c d\" e\\ f",
               (const char *[]){"a b", "c d", "e f", NULL});
  expect_words("x'y'\"z\"w", (const char *[]){"xyzw", NULL});
  expect_words("'' \"\" x", (const char *[]){"", "", "x", NULL});
  /* inside double quotes a backslash escapes only $ ` " \ and newline */
  expect_words("\"a\\\"b\\\\c\\$d\\e\"",
               (const char *[]){"a\"b\\c$d\\e", NULL});
  /* inside single quotes nothing is special */
  expect_words("'a\\b\"c'", (const char *[]){"a\\b\"c", NULL});
  expect_words("a\\\nb", (const char *[]){"ab", NULL});
}

static void test_split_metacharacters_stay_literal(void **state)
{
  (void)state;
  expect_words("prog a;b | c $(rm -rf x) `id` > out & *.c ~ #x",
               (const char *[]){"prog", "a;b", "|", "c", "$(rm", "-rf", "x)",
                                "`id`", ">", "out", "&", "*.c", "~", "#x",
                                NULL});
  expect_words("prog \"$HOME\" '$(id)' \\$x",
               (const char *[]){"prog", "$HOME", "$(id)", "$x", NULL});
}

static void test_split_errors(void **state)
{
  (void)state;
  char **argv = (char **)1;
  assert_int_equal(l4px_split_command("a 'b c", &argv), L4P_EPARSE);
  assert_null(argv);
  assert_non_null(strstr(l4p_last_error(), "column 3"));
  assert_non_null(strstr(l4p_last_error(), "unterminated single quote"));
  assert_int_equal(l4px_split_command("a \"b", &argv), L4P_EPARSE);
  assert_non_null(strstr(l4p_last_error(), "double quote"));
  assert_int_equal(l4px_split_command("a b\\", &argv), L4P_EPARSE);
  assert_int_equal(l4px_split_command("   ", &argv), L4P_EUSAGE);
  assert_int_equal(l4px_split_command("", &argv), L4P_EUSAGE);
  l4px_argv_free(NULL);
}

/* Run a command string through split + spawn. */
static struct l4px_spawn_result run(const char *cmd, double timeout,
                                    size_t max_output)
{
  char **argv;
  if (l4px_split_command(cmd, &argv) != L4P_OK)
    fail_msg("%s", l4p_last_error());
  struct l4px_spawn_opts opts = {timeout, max_output};
  struct l4px_spawn_result res;
  if (l4px_spawn(argv, &opts, &res) != L4P_OK)
    fail_msg("'%s': %s", cmd, l4p_last_error());
  l4px_argv_free(argv);
  return res;
}

static void test_spawn_output_and_status(void **state)
{
  (void)state;
  struct l4px_spawn_result r = run("printf [%s] 'a b' c", 10, 0);
  assert_string_equal(r.out, "[a b][c]");
  assert_int_equal(r.out_len, 8);
  assert_string_equal(r.err, "");
  assert_int_equal(r.exit_code, 0);
  assert_false(r.timed_out);
  l4px_spawn_result_release(&r);
  /* a test may run a shell on purpose; the library never does */
  r = run("sh -c 'echo out; echo err >&2; exit 3'", 10, 0);
  assert_string_equal(r.out, "out\n");
  assert_string_equal(r.err, "err\n");
  assert_int_equal(r.exit_code, 3);
  assert_int_equal(r.signal, 0);
  l4px_spawn_result_release(&r);
  r = run("sh -c 'kill -TERM $$'", 10, 0);
  assert_int_equal(r.exit_code, -1);
  assert_int_equal(r.signal, SIGTERM);
  l4px_spawn_result_release(&r);
  /* stdin is /dev/null: cat ends at once */
  r = run("cat", 10, 0);
  assert_int_equal(r.exit_code, 0);
  assert_int_equal(r.out_len, 0);
  l4px_spawn_result_release(&r);
}

static void test_spawn_metacharacters_reach_the_program(void **state)
{
  (void)state;
  const char *flag = tu_tmp("pwned");
  char cmd[512];
  snprintf(cmd, sizeof cmd, "printf [%%s] a;touch %s | $(touch %s) `id`", flag,
           flag);
  struct l4px_spawn_result r = run(cmd, 10, 0);
  char want[512];
  snprintf(want, sizeof want, "[a;touch][%s][|][$(touch][%s)][`id`]", flag,
           flag);
  assert_string_equal(r.out, want);
  assert_int_equal(access(flag, F_OK), -1); /* nothing was run */
  l4px_spawn_result_release(&r);
}

static void test_spawn_large_and_limited_output(void **state)
{
  (void)state;
  struct l4px_spawn_result r = run("head -c 1000000 /dev/zero", 30, 0);
  assert_int_equal(r.out_len, 1000000);
  assert_false(r.truncated);
  l4px_spawn_result_release(&r);
  r = run("head -c 100000 /dev/zero", 30, 1000);
  assert_int_equal(r.out_len, 1000);
  assert_true(r.truncated);
  assert_int_equal(r.exit_code, 0); /* drained, not killed */
  l4px_spawn_result_release(&r);
}

static double seconds_since(const struct timespec *t0)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) +
         (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_spawn_timeout_kills_the_group(void **state)
{
  (void)state;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  /* the grandchild holds the pipes: only killing the group ends it */
  struct l4px_spawn_result r =
      run("sh -c 'sleep 30 & echo started; sleep 30'", 0.5, 0);
  assert_true(r.timed_out);
  assert_int_equal(r.signal, SIGKILL);
  assert_string_equal(r.out, "started\n");
  assert_true(seconds_since(&t0) < 10);
  l4px_spawn_result_release(&r);
  /* a child leaving a background job behind without a timeout */
  clock_gettime(CLOCK_MONOTONIC, &t0);
  r = run("sh -c 'sleep 30 & exit 0'", 0, 0);
  assert_false(r.timed_out);
  assert_int_equal(r.exit_code, 0);
  assert_true(seconds_since(&t0) < 10);
  l4px_spawn_result_release(&r);
}

static void test_spawn_errors(void **state)
{
  (void)state;
  char *argv[] = {"/nonexistent/llm4perf-no-such-program", NULL};
  struct l4px_spawn_result r;
  assert_int_equal(l4px_spawn(argv, NULL, &r), L4P_EIO);
  assert_non_null(strstr(l4p_last_error(), "cannot run"));
  assert_non_null(strstr(l4p_last_error(), "no-such-program"));
  l4px_spawn_result_release(&r);
  char *none[] = {NULL};
  assert_int_equal(l4px_spawn(none, NULL, &r), L4P_EUSAGE);
  l4px_spawn_result_release(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_split_words),
      cmocka_unit_test(test_split_metacharacters_stay_literal),
      cmocka_unit_test(test_split_errors),
      cmocka_unit_test(test_spawn_output_and_status),
      cmocka_unit_test(test_spawn_metacharacters_reach_the_program),
      cmocka_unit_test(test_spawn_large_and_limited_output),
      cmocka_unit_test(test_spawn_timeout_kills_the_group),
      cmocka_unit_test(test_spawn_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
