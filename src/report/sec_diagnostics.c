/* The place of the "LLM4Perf diagnostics" section: what the LLM4Perf
 * sampler's campaigns decided and why (its artefacts in study.db). It is
 * written with the diagnostics library; until then this section adds
 * nothing, and the page goes from option influence straight to its end.
 * SPDX-License-Identifier: MIT */
#include "report-int.h"
#include "util/banned.h"

/* See report-int.h. Appends nothing yet: the LLM4Perf diagnostics
 * section goes here (a heading "LLM4Perf diagnostics", id
 * "diagnostics", then its tables and plots). */
l4p_status l4p__sec_diagnostics(const struct l4p__rstudy *st,
                                struct l4p__doc *d)
{
  (void)st;
  (void)d;
  return L4P_OK;
}
