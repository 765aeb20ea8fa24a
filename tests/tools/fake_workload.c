/* A program for the command oracle's tests whose time, memory, output and
 * failures depend on its options in known ways (a tool for the tests, not
 * a test itself):
 *   --alloc MB      allocate MB MiB and touch every page, held to the end
 *   --work MS       burn MS milliseconds of CPU time
 *   --sleep MS      sleep MS milliseconds (wall time, no CPU)
 *   --out FILE      write --bytes N bytes (default 1000) to FILE
 *   --score X       print "score: X" on stdout (default 1.5)
 *   --no-score      print no score
 *   --argv FILE     write argv[1..] to FILE, each argument ending in '\n'
 *   --count FILE    append one line to FILE (counts runs)
 *   --env NAME      print "env NAME=<value>" on stdout
 *   --fail CODE     print "fake: failing on purpose" on stderr, exit CODE
 *   --crash         abort()
 *   --hang          start a child, write its pid to --pidfile FILE, and
 *                   both sleep forever (--ignore-term: ignoring SIGTERM)
 * Options are read left to right, then acted on in the order above.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct plan {
  double work_ms, sleep_ms, alloc_mb, bytes, score;
  int fail;
  const char *out, *argv_file, *count_file, *env, *pidfile;
  int no_score, crash, hang, ignore_term;
};

static double cpu_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Busy work the compiler cannot drop. */
static void burn(double ms)
{
  volatile unsigned long sink = 0;
  double start = cpu_ms();
  while (cpu_ms() - start < ms)
    for (int k = 0; k < 10000; k++)
      sink += (unsigned long)k * 2654435761u;
}

static void nap(double ms)
{
  long long ns = (long long)(ms * 1e6);
  struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
  while (nanosleep(&ts, &ts) != 0)
    ;
}

static int write_file(const char *path, const char *mode, const char *data,
                      size_t len)
{
  FILE *f = fopen(path, mode);
  if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "fake: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

static void hang(const struct plan *p)
{
  if (p->ignore_term)
    signal(SIGTERM, SIG_IGN);
  pid_t child = fork();
  if (child == 0)
    for (;;)
      pause();
  if (p->pidfile) {
    char text[32];
    int len = snprintf(text, sizeof text, "%ld\n", (long)child);
    write_file(p->pidfile, "w", text, (size_t)len);
  }
  for (;;)
    pause();
}

static int parse(int argc, char **argv, struct plan *p)
{
  for (int k = 1; k < argc; k++) {
    const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
    int takes = 1;
    if (!strcmp(a, "--work") && v)
      p->work_ms = strtod(v, NULL);
    else if (!strcmp(a, "--sleep") && v)
      p->sleep_ms = strtod(v, NULL);
    else if (!strcmp(a, "--alloc") && v)
      p->alloc_mb = strtod(v, NULL);
    else if (!strcmp(a, "--bytes") && v)
      p->bytes = strtod(v, NULL);
    else if (!strcmp(a, "--score") && v)
      p->score = strtod(v, NULL);
    else if (!strcmp(a, "--fail") && v)
      p->fail = (int)strtol(v, NULL, 10);
    else if (!strcmp(a, "--out") && v)
      p->out = v;
    else if (!strcmp(a, "--argv") && v)
      p->argv_file = v;
    else if (!strcmp(a, "--count") && v)
      p->count_file = v;
    else if (!strcmp(a, "--env") && v)
      p->env = v;
    else if (!strcmp(a, "--pidfile") && v)
      p->pidfile = v;
    else if ((takes = 0), !strcmp(a, "--no-score"))
      p->no_score = 1;
    else if (!strcmp(a, "--crash"))
      p->crash = 1;
    else if (!strcmp(a, "--hang"))
      p->hang = 1;
    else if (!strcmp(a, "--ignore-term"))
      p->ignore_term = 1;
    else {
      fprintf(stderr, "fake: unknown argument '%s'\n", a);
      return 2;
    }
    k += takes;
  }
  return 0;
}

int main(int argc, char **argv)
{
  struct plan p = {.bytes = 1000, .score = 1.5};
  int rc = parse(argc, argv, &p);
  if (rc)
    return rc;
  if (p.argv_file) {
    FILE *f = fopen(p.argv_file, "w");
    for (int k = 1; f && k < argc; k++)
      fprintf(f, "%s\n", argv[k]);
    if (!f || fclose(f) != 0)
      return 3;
  }
  if (p.count_file && write_file(p.count_file, "a", "run\n", 4))
    return 3;
  size_t alloc = (size_t)(p.alloc_mb * 1024 * 1024);
  char *mem = alloc ? malloc(alloc) : NULL;
  for (size_t k = 0; mem && k < alloc; k += 4096)
    mem[k] = (char)k;
  burn(p.work_ms);
  nap(p.sleep_ms);
  if (p.out) {
    size_t n = (size_t)p.bytes;
    char *data = malloc(n + 1);
    memset(data, 'x', n);
    if (write_file(p.out, "w", data, n))
      return 3;
    free(data);
  }
  if (!p.no_score)
    printf("work done\nscore: %g\n", p.score);
  if (p.env)
    printf("env %s=%s\n", p.env, getenv(p.env) ? getenv(p.env) : "");
  fflush(stdout);
  if (p.fail) {
    fprintf(stderr, "fake: starting\nfake: failing on purpose\n\n");
    return p.fail;
  }
  if (p.crash)
    abort();
  if (p.hang)
    hang(&p);
  volatile char keep = mem ? mem[alloc / 2] : 0;
  (void)keep;
  free(mem);
  return 0;
}
