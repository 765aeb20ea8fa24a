/* The configuration generators of the llm4perf sampler, run concurrently
 * (METHOD.md: N_generators independent generators): one POSIX thread per
 * generator, each calling the generate role with its own seed on the same
 * input, so the answers depend on the seeds and never on the scheduling.
 * A thread records its answer or its error; the sampler reads and votes
 * afterwards on the calling thread. The agent must allow concurrent runs
 * (agent.h: the builtin and llm agents do).
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm4perf-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Seconds on the monotonic clock, for the diagnostics. */
double l4p__lp_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What one thread needs; the counters are shared by all. */
struct job {
  struct l4p_agent *agent;
  struct l4p_agent_ctx ctx;
  const char *input;
  struct l4p__gen_run *run;
  atomic_int *running, *peak;
};

static void *generator_main(void *arg)
{
  struct job *j = arg;
  int now = atomic_fetch_add(j->running, 1) + 1;
  int seen = atomic_load(j->peak);
  while (now > seen && !atomic_compare_exchange_weak(j->peak, &seen, now))
    ;
  double start = l4p__lp_now();
  char *output = NULL;
  l4p_status st =
      l4p_agent_run(j->agent, L4P_ROLE_GENERATE, &j->ctx, j->input, &output);
  j->run->seconds = l4p__lp_now() - start;
  j->run->status = st;
  j->run->output = output;
  if (st) /* the message is this thread's: keep a copy */
    j->run->error =
        strdup(l4p_last_error()[0] ? l4p_last_error() : l4p_strerror(st));
  atomic_fetch_sub(j->running, 1);
  return NULL;
}

/* One thread per generator, joined before returning; a thread that
 * cannot be started runs its generator on this one. ENOMEM only. */
l4p_status l4p__run_generators(struct l4p_agent *agent,
                               const struct l4p_agent_ctx *ctx,
                               const char *input, const uint64_t *seeds,
                               size_t n_gen, struct l4p__gen_run *runs,
                               int *peak)
{
  memset(runs, 0, n_gen * sizeof *runs);
  struct job *jobs = calloc(n_gen + 1, sizeof *jobs);
  pthread_t *threads = calloc(n_gen + 1, sizeof *threads);
  bool *started = calloc(n_gen + 1, sizeof *started);
  if (!jobs || !threads || !started) {
    free(jobs);
    free(threads);
    free(started);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  atomic_int running = 0, most = 0;
  for (size_t g = 0; g < n_gen; g++) {
    runs[g].seed = seeds[g];
    jobs[g] = (struct job){agent, *ctx, input, &runs[g], &running, &most};
    jobs[g].ctx.seed = seeds[g];
    started[g] =
        pthread_create(&threads[g], NULL, generator_main, &jobs[g]) == 0;
  }
  for (size_t g = 0; g < n_gen; g++) {
    if (started[g])
      pthread_join(threads[g], NULL);
    else /* no thread to be had: run it here, still counted */
      generator_main(&jobs[g]);
  }
  *peak = atomic_load(&most);
  free(jobs);
  free(threads);
  free(started);
  l4p_clear_error();
  return L4P_OK;
}

/* Free the answers and messages of n runs. */
void l4p__gen_runs_release(struct l4p__gen_run *runs, size_t n)
{
  for (size_t g = 0; runs && g < n; g++) {
    free(runs[g].output);
    free(runs[g].error);
    runs[g].output = runs[g].error = NULL;
  }
}
