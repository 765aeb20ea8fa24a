/* The command oracle measured against tests/tools/fake_workload, whose
 * time, memory, output and failures follow its options: more work takes
 * more CPU and wall time, an allocation raises the peak memory by about
 * its size, output sizes are exact; every failure is reported with its
 * reason (timeout with the whole process group gone, crash with the
 * signal's name, exit status with the last stderr line, missing program,
 * output that does not match); shell metacharacters stay one literal
 * argument; warm-up runs, repetitions, medians and setup commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "llm4perf/oracle.h"
#include "llm4perf/store.h"
#include "testutil.h"
#include "util/spawn_measure.h"
#include "util/summary.h"

/* Options (in this order): work (ms of CPU), alloc (MiB), bytes (output
 * size), label (what --env gets), fail (exit status), crash, hang, quiet
 * (no score line). */
enum { WORK, ALLOC, BYTES, LABEL, FAIL, CRASH, HANG, QUIET, N_OPT };
/* Objectives. */
enum { TIME, CPU, MEMORY, SIZE, SCORE, N_OBJ };

static const char *fake(void)
{
  const char *path = getenv("L4P_FAKE_WORKLOAD");
  if (!path)
    skip();
  return path;
}

/* The fake system's spec; extra is spliced into the oracle object. */
static struct l4p_spec *spec_with(const char *extra)
{
  static char text[8192];
  snprintf(text, sizeof text,
           "{\"name\": \"fake\", \"options\": [\n"
           " {\"name\": \"work\", \"type\": \"int\", \"values\": [0, 100, 400],"
           "  \"cli\": {\"flag\": \"--work\", \"form\": \"value\"}},\n"
           " {\"name\": \"alloc\", \"type\": \"int\", \"values\": [0, 64, 256],"
           "  \"cli\": {\"flag\": \"--alloc\", \"form\": \"value\","
           "  \"omit_default\": true}},\n"
           " {\"name\": \"bytes\", \"type\": \"int\", \"values\": [10, 12345],"
           "  \"cli\": {\"flag\": \"--bytes\", \"form\": \"value\"}},\n"
           " {\"name\": \"label\", \"type\": \"enum\", \"values\": [\"plain\","
           "  \"odd\"], \"cli\": {\"flag\": \"--env\", \"form\": \"value\","
           "  \"values\": {\"plain\": \"HOME\","
           "  \"odd\": \"; rm -rf x $(touch pwned) | cat\"}}},\n"
           " {\"name\": \"fail\", \"type\": \"int\", \"values\": [0, 3],"
           "  \"cli\": {\"flag\": \"--fail\", \"form\": \"value\","
           "  \"omit_default\": true}},\n"
           " {\"name\": \"crash\", \"type\": \"bool\", \"cli\": {\"flag\":"
           "  \"--crash\"}},\n"
           " {\"name\": \"hang\", \"type\": \"bool\", \"cli\": {\"flag\":"
           "  \"--hang\"}},\n"
           " {\"name\": \"quiet\", \"type\": \"bool\", \"cli\": {\"flag\":"
           "  \"--no-score\"}}],\n"
           " \"objectives\": [{\"name\": \"time\"}, {\"name\": \"cpu\"},"
           "  {\"name\": \"memory\"}, {\"name\": \"size\"},"
           "  {\"name\": \"score\", \"goal\": \"max\"}],\n"
           " \"oracle\": {\"type\": \"command\",\n"
           "  \"command\": [\"%s\", \"{options}\", \"--out\", \"out.bin\","
           "   \"--argv\", \"%s\", \"--count\", \"%s\", \"--pidfile\", \"%s\","
           "   \"--ignore-term\"],\n"
           "  \"metrics\": [{\"name\": \"out_bytes\", \"file\": \"out.bin\"},"
           "   {\"name\": \"score\", \"stdout\": \"score: ([0-9.]+)\"}],\n"
           "  \"objectives\": {\"time\": \"wall_s\", \"cpu\": \"cpu_s\","
           "   \"memory\": \"max_rss_kb\", \"size\": \"out_bytes\"}%s}}\n",
           fake(), tu_tmp("argv.txt"), tu_tmp("count.txt"), tu_tmp("pid.txt"),
           extra ? extra : "");
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_parse(text, NULL, &spec);
  if (st)
    fail_msg("spec: %s", l4p_last_error());
  return spec;
}

static struct l4p_oracle *open_in(const struct l4p_spec *spec, const char *dir)
{
  struct l4p_oracle_opts opts = {.work_dir = tu_tmp(dir)};
  struct l4p_oracle *oracle;
  if (l4p_oracle_open_with(spec, &opts, &oracle))
    fail_msg("open: %s", l4p_last_error());
  return oracle;
}

/* One measurement of the configuration with the given option values
 * (indexes into their value lists), others at their defaults. */
struct result {
  struct l4p_measurement m;
  double cfg[N_OPT], values[N_OBJ], reps[64 * N_OBJ];
};

static void measure(struct l4p_oracle *oracle, const struct l4p_spec *spec,
                    int option, double value, struct result *r)
{
  l4p_space_default_config(spec->space, r->cfg);
  if (option >= 0)
    r->cfg[option] = value;
  static double measured[N_OPT];
  memset(&r->m, 0, sizeof r->m);
  r->m.requested = r->cfg;
  r->m.config = measured;
  r->m.values = r->values;
  assert_int_equal(l4p_oracle_measure(oracle, &r->m, 1), L4P_OK);
  if (r->m.n_reps) /* the oracle's copy lasts until its next call */
    memcpy(r->reps, r->m.reps, r->m.n_reps * N_OBJ * sizeof(double));
  r->m.reps = r->m.n_reps ? r->reps : NULL;
}

/* Open the fake system (extra spliced into its oracle) in work dir dir,
 * measure it with option (if >= 0) at value, and close it again. */
static void measure_once(const char *extra, const char *dir, int option,
                         double value, struct result *r)
{
  struct l4p_spec *spec = spec_with(extra);
  struct l4p_oracle *oracle = open_in(spec, dir);
  measure(oracle, spec, option, value, r);
  l4p_oracle_free(oracle);
  l4p_spec_free(spec);
}

static void test_work_takes_cpu_and_wall_time(void **state)
{
  struct result idle, busy;
  measure_once(NULL, "idle", -1, 0, &idle);
  measure_once(NULL, "busy", WORK, 400, &busy);
  assert_int_equal(idle.m.status, L4P_OK);
  assert_int_equal(busy.m.status, L4P_OK);
  print_message("work 0: wall %.4f s cpu %.4f s; work 400 ms: wall %.4f s "
                "cpu %.4f s\n",
                idle.values[TIME], idle.values[CPU], busy.values[TIME],
                busy.values[CPU]);
  /* the fake burns 400 ms of its own CPU clock: rusage must see at least
   * that and little more than process start-up on top; wall time cannot
   * be shorter, and only a badly overloaded machine makes it 10x */
  assert_true(busy.values[CPU] >= 0.39 && busy.values[CPU] < 0.55);
  assert_true(busy.values[TIME] >= 0.39 && busy.values[TIME] < 4);
  assert_true(idle.values[CPU] < 0.1);
  assert_true(busy.values[TIME] - idle.values[TIME] > 0.3);
}

static void test_alloc_raises_peak_memory(void **state)
{
  struct result small, big;
  measure_once(NULL, "small", ALLOC, 64, &small);
  measure_once(NULL, "big", ALLOC, 256, &big);
  assert_int_equal(small.m.status, L4P_OK);
  assert_int_equal(big.m.status, L4P_OK);
  double diff_mib = (big.values[MEMORY] - small.values[MEMORY]) / 1024;
  print_message("peak RSS: alloc 64 MiB -> %.1f MiB, alloc 256 MiB -> "
                "%.1f MiB (difference %.1f MiB for 192 MiB more)\n",
                small.values[MEMORY] / 1024, big.values[MEMORY] / 1024,
                diff_mib);
  /* every page is touched, so the resident peak holds the allocation;
   * the bounds leave room for the allocator and the kernel, not for a
   * figure that ignores the allocation or counts something else */
  assert_true(small.values[MEMORY] / 1024 >= 0.8 * 64);
  assert_true(diff_mib >= 0.8 * 192 && diff_mib <= 1.2 * 192);
}

/* A program smaller than the process measuring it is measured as itself,
 * not as its parent (see lower_our_peak in util/spawn_measure.c). */
static void test_peak_memory_not_inherited(void **state)
{
  size_t big = (size_t)300 << 20;
  char *held = malloc(big);
  assert_non_null(held);
  memset(held, 1, big); /* resident in this process from now on */
  char *argv[] = {(char *)fake(), "--alloc", "16", "--sleep", "60", NULL};
  struct l4px_measure_result res;
  assert_int_equal(l4px_spawn_measure(argv, NULL, &res), L4P_OK);
  print_message("parent holds 300 MiB; child allocating 16 MiB: %.1f MiB\n",
                res.max_rss_kb / 1024);
  assert_true(res.max_rss_kb / 1024 >= 16 && res.max_rss_kb / 1024 < 100);
  assert_int_equal(held[big / 2], 1);
  free(held);
}

static void test_output_size_and_score(void **state)
{
  struct result r;
  measure_once(NULL, "size", BYTES, 12345, &r);
  assert_int_equal(r.m.status, L4P_OK);
  assert_true(r.values[SIZE] == 12345);
  assert_true(r.values[SCORE] == 1.5);
  assert_int_equal(r.m.n_reps, 1);
}

/* The text of a file into a static buffer. */
static const char *slurp(const char *path)
{
  static char buf[4096];
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f)
    fclose(f);
  buf[n] = '\0';
  return buf;
}

static void test_metacharacters_stay_one_argument(void **state)
{
  struct result r;
  measure_once(NULL, "shell", LABEL, 1, &r); /* "odd" */
  assert_int_equal(r.m.status, L4P_OK);
  char want[1024];
  snprintf(want, sizeof want,
           "--work\n0\n--bytes\n10\n--env\n; rm -rf x $(touch pwned) | "
           "cat\n--out\nout.bin\n--argv\n%s\n",
           tu_tmp("argv.txt"));
  const char *got = slurp(tu_tmp("argv.txt"));
  assert_memory_equal(got, want, strlen(want));
  assert_int_equal(access("pwned", F_OK), -1);
  assert_int_equal(access(tu_tmp("shell/runs/pwned"), F_OK), -1);
}

/* Measure with one option set and expect a failure whose reason
 * starts with want. */
static void expect_failure(const char *dir, int option, double value,
                           const char *extra, const char *want)
{
  struct result r;
  measure_once(extra, dir, option, value, &r);
  print_message("%s: %s\n", dir, r.m.error);
  assert_int_equal(r.m.status, L4P_EORACLE);
  if (strncmp(r.m.error, want, strlen(want)) != 0)
    fail_msg("reason '%s', expected '%s...'", r.m.error, want);
  for (int j = 0; j < N_OBJ; j++)
    assert_true(isnan(r.values[j]));
  assert_int_equal(r.m.n_reps, 0);
}

static void test_exit_status_with_last_stderr_line(void **state)
{
  expect_failure("exit", FAIL, 3, NULL,
                 "exit status 3: fake: failing on purpose");
}

static void test_crash_names_the_signal(void **state)
{
  expect_failure("crash", CRASH, 1, NULL, "killed by signal 6 (SIGABRT");
}

static void test_unmatched_output(void **state)
{
  expect_failure("quiet", QUIET, 1, NULL,
                 "stdout did not match /score: ([0-9.]+)/");
}

/* Is pid gone (or a zombie nobody reaps)? */
static bool gone(long pid)
{
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  const char *stat = slurp(path);
  const char *paren = strrchr(stat, ')');
  return !*stat || (paren && paren[1] == ' ' && paren[2] == 'Z');
}

static void test_timeout_kills_the_process_group(void **state)
{
  unlink(tu_tmp("pid.txt"));
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  expect_failure("hang", HANG, 1, ", \"timeout_s\": 0.5, \"kill_grace_s\": 0.2",
                 "timed out after 0.5 s");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double took =
      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  /* 0.5 s, then SIGTERM (ignored), then SIGKILL 0.2 s later */
  assert_true(took >= 0.65 && took < 3);
  long child = strtol(slurp(tu_tmp("pid.txt")), NULL, 10);
  assert_true(child > 0);
  for (int k = 0; k < 100 && !gone(child); k++)
    usleep(20000);
  assert_true(gone(child));
}

static void test_missing_program(void **state)
{
  char *argv[] = {"l4p-no-such-program", NULL};
  struct l4px_measure_result res;
  assert_int_equal(l4px_spawn_measure(argv, NULL, &res), L4P_EORACLE);
  assert_string_equal(l4p_last_error(),
                      "program 'l4p-no-such-program' not found");
  struct l4p_spec *spec;
  assert_int_equal(
      l4p_spec_parse("{\"name\": \"x\", \"options\": [{\"name\": \"a\", "
                     "\"type\": \"bool\"}], \"objectives\": [{\"name\": "
                     "\"wall_s\"}], \"oracle\": {\"type\": \"command\", "
                     "\"command\": [\"l4p-no-such-program\"]}}",
                     NULL, &spec),
      L4P_OK);
  struct l4p_oracle_opts opts = {.work_dir = tu_tmp("missing")};
  struct l4p_oracle *oracle;
  assert_int_equal(l4p_oracle_open_with(spec, &opts, &oracle), L4P_EORACLE);
  assert_non_null(strstr(l4p_last_error(), "program 'l4p-no-such-program' "
                                           "not found in PATH"));
  l4p_spec_free(spec);
}

static int count_lines(const char *path)
{
  int n = 0;
  for (const char *p = slurp(path); *p; p++)
    n += *p == '\n';
  return n;
}

static void test_warmup_and_repetitions(void **state)
{
  unlink(tu_tmp("count.txt"));
  struct result r;
  measure_once(", \"warmup\": 2, \"repetitions\": 3", "reps", WORK, 100, &r);
  assert_int_equal(r.m.status, L4P_OK);
  assert_int_equal(count_lines(tu_tmp("count.txt")), 5); /* 2 + 3 runs */
  assert_int_equal(r.m.n_reps, 3);
  for (int j = 0; j < N_OBJ; j++) {
    double col[3] = {r.reps[j], r.reps[N_OBJ + j], r.reps[2 * N_OBJ + j]};
    assert_true(r.values[j] == l4px_median(col, 3));
  }
  print_message("3 repetitions of 100 ms of work: wall %.4f %.4f %.4f s\n",
                r.reps[TIME], r.reps[N_OBJ + TIME], r.reps[2 * N_OBJ + TIME]);
}

static void test_repeat_while_noisy(void **state)
{
  /* wall time always varies by more than 1e-6 relative: up to the cap */
  struct result r;
  measure_once(", \"repetitions\": 2, \"max_repetitions\": 5, "
               "\"max_rsd\": 0.000001",
               "noisy", -1, 0, &r);
  assert_int_equal(r.m.status, L4P_OK);
  assert_int_equal(r.m.n_reps, 5);
  /* nothing varies by 1000 %: no run beyond the first two */
  measure_once(", \"repetitions\": 2, \"max_repetitions\": 5, "
               "\"max_rsd\": 10",
               "steady", -1, 0, &r);
  assert_int_equal(r.m.status, L4P_OK);
  assert_int_equal(r.m.n_reps, 2);
}

/* Repetitions go to the store as rows; the sample holds their median and
 * relative standard deviation. */
static void test_store_keeps_repetitions(void **state)
{
  struct result r;
  measure_once(", \"repetitions\": 3", "store", WORK, 100, &r);
  assert_int_equal(r.m.status, L4P_OK);
  struct l4p_spec *spec = spec_with(NULL);
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(tu_tmp("reps.db"), &store), L4P_OK);
  struct l4p_campaign_key key = {"fake", "{}", "random", "{}", 1, 5};
  int64_t id;
  bool resumed;
  assert_int_equal(l4p_store_campaign(store, &key, &id, &resumed), L4P_OK);
  assert_int_equal(l4p_store_record(store, id, spec, &r.m, 1), L4P_OK);
  struct l4p_sample s;
  assert_int_equal(l4p_store_sample(store, id, spec, &s), L4P_OK);
  assert_int_equal(s.n, 1);
  for (int j = 0; j < N_OBJ; j++) {
    double col[3] = {r.reps[j], r.reps[N_OBJ + j], r.reps[2 * N_OBJ + j]};
    assert_int_equal(s.reps[j], 3);
    assert_true(fabs(s.rsd[j] - l4px_rsd(col, 3)) <= 1e-12 ||
                (isnan(s.rsd[j]) && isnan(l4px_rsd(col, 3))));
    assert_true(s.values[j] == l4px_median(col, 3));
  }
  assert_true(s.rsd[SIZE] == 0); /* the same bytes every time */
  l4p_sample_release(&s);
  l4p_store_close(store);
  l4p_spec_free(spec);
}

static void test_setup_runs_once(void **state)
{
  char extra[1024];
  snprintf(extra, sizeof extra,
           ", \"setup\": [{\"command\": [\"%s\", \"--count\", \"%s\", "
           "\"--out\", \"input.dat\", \"--bytes\", \"777\"], \"creates\": "
           "[\"input.dat\"]}], \"env\": {\"IN\": \"{inputdir}\"}",
           fake(), tu_tmp("setup.txt"));
  struct l4p_spec *spec = spec_with(extra);
  for (int k = 0; k < 3; k++) /* three campaigns in one work dir */
    l4p_oracle_free(open_in(spec, "setup"));
  assert_int_equal(count_lines(tu_tmp("setup.txt")), 1);
  struct stat sb;
  assert_int_equal(stat(tu_tmp("setup/inputs/input.dat"), &sb), 0);
  assert_int_equal(sb.st_size, 777);
  l4p_spec_free(spec);
  /* a setup command that fails stops the oracle from opening */
  snprintf(extra, sizeof extra,
           ", \"setup\": [{\"command\": [\"%s\", \"--fail\", \"4\"]}]", fake());
  spec = spec_with(extra);
  struct l4p_oracle_opts opts = {.work_dir = tu_tmp("badsetup")};
  struct l4p_oracle *oracle;
  assert_int_equal(l4p_oracle_open_with(spec, &opts, &oracle), L4P_EORACLE);
  assert_non_null(strstr(l4p_last_error(), "setup command 1 ("));
  assert_non_null(strstr(l4p_last_error(), "): exit status 4: fake: "
                                           "failing on purpose"));
  l4p_spec_free(spec);
}

static void test_runs_removed_unless_kept(void **state)
{
  struct l4p_spec *spec = spec_with(NULL);
  struct l4p_oracle *oracle = open_in(spec, "tidy");
  struct result r;
  measure(oracle, spec, -1, 0, &r);
  l4p_oracle_free(oracle);
  assert_int_equal(rmdir(tu_tmp("tidy/runs")), 0); /* empty */
  struct l4p_oracle_opts opts = {.work_dir = tu_tmp("kept"), .keep = true};
  assert_int_equal(l4p_oracle_open_with(spec, &opts, &oracle), L4P_OK);
  measure(oracle, spec, -1, 0, &r);
  l4p_oracle_free(oracle);
  assert_int_equal(rmdir(tu_tmp("kept/runs")), -1);
  assert_int_equal(errno, ENOTEMPTY);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_work_takes_cpu_and_wall_time),
      cmocka_unit_test(test_alloc_raises_peak_memory),
      cmocka_unit_test(test_peak_memory_not_inherited),
      cmocka_unit_test(test_output_size_and_score),
      cmocka_unit_test(test_metacharacters_stay_one_argument),
      cmocka_unit_test(test_exit_status_with_last_stderr_line),
      cmocka_unit_test(test_crash_names_the_signal),
      cmocka_unit_test(test_unmatched_output),
      cmocka_unit_test(test_timeout_kills_the_process_group),
      cmocka_unit_test(test_missing_program),
      cmocka_unit_test(test_warmup_and_repetitions),
      cmocka_unit_test(test_repeat_while_noisy),
      cmocka_unit_test(test_store_keeps_repetitions),
      cmocka_unit_test(test_setup_runs_once),
      cmocka_unit_test(test_runs_removed_unless_kept),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
