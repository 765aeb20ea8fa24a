/* scottknott.csv: one row per treatment and scenario with its Scott-Knott
 * ESD rank, the statistics it was ranked on and the comparison with the
 * baseline: the tidy form of summary.md's tables (docs/STUDY.md).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

static void num(struct l4px_sb *sb, double v)
{
  char buf[40];
  l4p__study_fmt(v, buf, sizeof buf);
  l4px_sb_printf(sb, ",%s", buf);
}

/* See study-int.h. */
l4p_status l4p__study_write_sk_csv(const struct l4p_study_summary *s,
                                   const char *path)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_puts(&sb,
               "metric,system,n_objectives,objective,budget,model,"
               "sampler,pruned,n,mean,median,sd,rank,sk_rank,best,p,p_holm,"
               "a12,a12_magnitude,delta,delta_magnitude\n");
  for (size_t i = 0; i < s->n_scenarios; i++) {
    const struct l4p_study_scenario *sc = &s->scenarios[i];
    for (size_t t = 0; t < sc->n_ranks; t++) {
      const struct l4p_study_rank *r = &sc->ranks[t];
      l4px_sb_printf(&sb, "%s,", sc->metric);
      l4px_sb_csv_field(&sb, sc->system, ',');
      l4px_sb_printf(&sb, ",%zu,", sc->n_objectives);
      l4px_sb_csv_field(&sb, sc->objective, ',');
      l4px_sb_printf(&sb, ",%zu,%s,%s,%s,%zu", sc->budget, sc->model,
                     r->sampler, r->pruned ? "yes" : "no", r->n);
      num(&sb, r->mean);
      num(&sb, r->median);
      num(&sb, r->sd);
      if (r->n)
        l4px_sb_printf(&sb, ",%d,%d", r->rank, r->sk_rank);
      else
        l4px_sb_puts(&sb, ",,");
      l4px_sb_printf(&sb, ",%s", r->best ? "yes" : "no");
      num(&sb, r->p);
      num(&sb, r->p_holm);
      num(&sb, r->a12);
      l4px_sb_printf(&sb, ",%s", r->a12_mag);
      num(&sb, r->delta);
      l4px_sb_printf(&sb, ",%s\n", r->delta_mag);
    }
  }
  l4p_status st = l4px_sb_failed(&sb)
                      ? l4p_failf(L4P_ENOMEM, "out of memory")
                      : l4px_write_file_atomic(path, sb.buf, sb.len);
  l4px_sb_release(&sb);
  return st;
}
