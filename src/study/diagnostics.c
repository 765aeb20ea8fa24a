/* DIR/diagnostics.csv: the llm4perf diagnostics of every LLM4Perf
 * campaign of a study (include/llm4perf/llm4perf_diag.h; columns in
 * docs/STUDY.md), one row per campaign in grid order, read back from
 * study.db like the other tables, so an interrupted and resumed study
 * writes the same bytes as an uninterrupted one.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm4perf_diag.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* The roles an llm4perf campaign runs, in column order. */
static const enum l4p_role roles[] = {L4P_ROLE_FILTER, L4P_ROLE_ANALYZE,
                                      L4P_ROLE_DESIGN, L4P_ROLE_GENERATE};
#define N_ROLES (sizeof roles / sizeof roles[0])

static void put_num(struct l4px_sb *sb, double v)
{
  char buf[40];
  l4p__study_fmt(v, buf, sizeof buf);
  l4px_sb_printf(sb, ",%s", buf);
}

static void header(struct l4px_sb *sb)
{
  l4px_sb_puts(sb, "system,budget,sampler,pruned,repetition,campaign,"
                   "iterations,proposals,invalid,repaired,duplicates,"
                   "mean_agreement,mean_agreed_share,mean_diversity,"
                   "mean_novelty,stagnant_iterations,stagnation_warning,"
                   "mean_coverage");
  for (size_t r = 0; r < N_ROLES; r++) {
    const char *name = l4p_role_name(roles[r]);
    l4px_sb_printf(sb, ",%s_calls,%s_tokens,%s_retries,%s_latency_s", name,
                   name, name, name);
  }
  l4px_sb_putc(sb, '\n');
}

/* The LLM usage columns of one role (zeros when it asked no LLM). */
static void usage(struct l4px_sb *sb, const struct l4p_llm4perf_diag *d,
                  enum l4p_role role)
{
  const struct l4p_llm_usage *u = NULL;
  for (size_t k = 0; k < d->n_usage; k++)
    if (strcmp(d->usage[k].role, l4p_role_name(role)) == 0)
      u = &d->usage[k];
  l4px_sb_printf(sb, ",%ld,%ld,%ld", u ? u->calls : 0,
                 u ? u->prompt_tokens + u->completion_tokens : 0,
                 u ? u->retries : 0);
  put_num(sb, u ? u->latency_s : 0);
}

/* One row: sample k's campaign. */
static l4p_status row(const struct l4p__study_run *run, struct l4p_store *store,
                      size_t k, struct l4px_sb *sb)
{
  const struct l4p_study *st = run->study;
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p__study_system *sys = &st->systems[smp->system];
  const struct l4p__study_treatment *tr = &run->treatments[smp->treatment];
  struct l4p_llm4perf_diag d;
  l4p_status s = l4p_llm4perf_diag_load(store, smp->campaign, &d);
  if (s) {
    char where[64];
    snprintf(where, sizeof where, "diagnostics.csv: campaign %" PRId64,
             smp->campaign);
    l4p_error_prefix(where);
    l4p_llm4perf_diag_release(&d);
    return s;
  }
  l4px_sb_csv_field(sb, sys->spec->name, ',');
  l4px_sb_printf(sb, ",%zu,", sys->budgets[smp->budget]);
  l4px_sb_csv_field(sb, st->samplers[tr->sampler].label, ',');
  l4px_sb_printf(sb, ",%s,%zu,%" PRId64 ",%zu,%zu,%zu,%zu,%zu",
                 tr->pruned ? "yes" : "no", smp->repetition + 1, smp->campaign,
                 d.n_iterations, d.proposals, d.invalid, d.repaired,
                 d.duplicates);
  put_num(sb, d.mean_agreement);
  put_num(sb, d.mean_agreed_share);
  put_num(sb, d.mean_diversity);
  put_num(sb, d.mean_novelty);
  l4px_sb_printf(sb, ",%zu,%s", d.n_stagnant,
                 d.stagnation_warning ? "yes" : "no");
  put_num(sb, d.mean_coverage);
  for (size_t r = 0; r < N_ROLES; r++)
    usage(sb, &d, roles[r]);
  l4px_sb_putc(sb, '\n');
  l4p_llm4perf_diag_release(&d);
  return L4P_OK;
}

/* See study-int.h. */
l4p_status l4p__study_write_diagnostics(const struct l4p__study_run *run,
                                        const char *path)
{
  struct l4p_store *store;
  l4p_status s = l4p_store_open(run->db_path, &store);
  if (s)
    return s;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  header(&sb);
  for (size_t k = 0; !s && k < run->n_samples; k++) {
    const struct l4p__study_sample *smp = &run->samples[k];
    const struct l4p__study_treatment *tr = &run->treatments[smp->treatment];
    if (smp->first &&
        strcmp(run->study->samplers[tr->sampler].name, "llm4perf") == 0)
      s = row(run, store, k, &sb);
  }
  l4p_store_close(store);
  return l4p__study_write_table(&sb, path, s);
}
