/* "llm4perf show": audit a campaign from its run database alone: the
 * campaign and its parameters, and for an llm4perf campaign the pruning
 * decisions with their reasons and, per iteration, the analysis, the
 * strategy, every generator's proposals with what was wrong with them,
 * the votes, the chosen batch and its diagnostics line; then the
 * campaign's diagnostics (llm4perf_diag.h: coverage, stagnation) and the
 * LLM usage per role when an LLM was asked. --json writes all of it,
 * documents whole, the diagnostics as one object.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "show.h"
#include "llm4perf/llm4perf_diag.h"
#include "llm4perf/store.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf show RUN.db [--campaign ID] [--json]", NULL};

/* The campaign to show: the one with id want, or the only one. */
static int pick(const struct cli_ctx *cli, struct l4p_store *store, long want,
                struct l4p_campaign_info *info)
{
  struct l4p_campaign_info *list;
  size_t n;
  l4p_status st = l4p_store_list(store, &list, &n);
  if (st)
    return cli_fail(st);
  int rc = CLI_OK;
  size_t k = 0;
  while (want && k < n && list[k].id != want)
    k++;
  if (n == 0)
    rc = cli_usage_error(cli, "the database holds no campaign");
  else if (want && k == n)
    rc = cli_usage_error(cli,
                         "no campaign %ld (see 'llm4perf export "
                         "RUN.db --list')",
                         want);
  else if (!want && n > 1)
    rc = cli_usage_error(cli,
                         "the database holds %zu campaigns: choose "
                         "one with --campaign ID (see 'llm4perf export "
                         "RUN.db --list')",
                         n);
  else
    *info = list[k];
  free(list);
  return rc;
}

static json_t *usage_json(const struct l4p_llm_usage *u, size_t n)
{
  json_t *list = json_array();
  for (size_t k = 0; k < n; k++)
    json_array_append_new(
        list,
        json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "role", u[k].role,
                  "calls", (json_int_t)u[k].calls, "attempts",
                  (json_int_t)u[k].attempts, "retries",
                  (json_int_t)u[k].retries, "failed", (json_int_t)u[k].failed,
                  "prompt_tokens", (json_int_t)u[k].prompt_tokens,
                  "completion_tokens", (json_int_t)u[k].completion_tokens,
                  "latency_s", u[k].latency_s));
  return list;
}

/* What one campaign shows. */
struct shown {
  struct l4p_campaign_info info;
  char *params;
  struct l4p_artifact *arts;
  size_t n;
  struct l4p_llm_usage *use;
  size_t n_use;
  struct l4p_llm4perf_diag diag;
  bool has_diag;   /* llm4perf artefacts, diagnostics computed */
  char *diag_json; /* l4p_llm4perf_diag_json, or NULL */
  char why[512];   /* why the diagnostics failed, or "" */
};

/* The "diagnostics" member: the document, {"error"}, or null. */
static json_t *diag_json(const struct shown *sh)
{
  if (sh->diag_json)
    return json_loads(sh->diag_json, 0, NULL);
  if (sh->why[0])
    return json_pack("{s:s}", "error", sh->why);
  return json_null();
}

static int write_json(const struct shown *sh)
{
  const struct l4p_campaign_info *c = &sh->info;
  const struct l4p_artifact *a = sh->arts;
  json_t *arts = json_array();
  for (size_t k = 0; k < sh->n; k++)
    json_array_append_new(
        arts,
        json_pack("{s:I, s:s, s:o, s:s, s:o}", "iteration",
                  (json_int_t)a[k].iteration, "kind", a[k].kind, "generator",
                  a[k].generator >= 0 ? json_integer(a[k].generator)
                                      : json_null(),
                  "created", a[k].created, "document",
                  json_loads(a[k].json, 0, NULL)));
  json_t *doc = json_pack(
      "{s:{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:o}, s:o, s:o, "
      "s:o}",
      "campaign", "id", (json_int_t)c->id, "system", c->system, "sampler",
      c->sampler, "seed", "", "budget", (json_int_t)c->budget, "measured",
      (json_int_t)c->measured, "failed", (json_int_t)c->failed, "planned",
      (json_int_t)c->planned, "done", c->done, "params",
      json_loads(sh->params, 0, NULL), "artifacts", arts, "llm_usage",
      usage_json(sh->use, sh->n_use), "diagnostics", diag_json(sh));
  if (!doc)
    return cli_fail(L4P_ENOMEM);
  char seed[24];
  snprintf(seed, sizeof seed, "%" PRIu64, c->seed);
  json_object_set_new(json_object_get(doc, "campaign"), "seed",
                      json_string(seed));
  json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
  fputc('\n', stdout);
  json_decref(doc);
  return CLI_OK;
}

static void write_text(const struct shown *sh)
{
  const struct l4p_campaign_info *c = &sh->info;
  const struct l4p_llm_usage *u = sh->use;
  printf("campaign %" PRId64 ": %s, sampler %s, seed %" PRIu64 ", budget "
         "%zu: %zu measured, %zu failed, %s\n",
         c->id, c->system, c->sampler, c->seed, c->budget, c->measured,
         c->failed, c->done ? "done" : "unfinished");
  printf("parameters: %s\n", sh->params);
  if (sh->n == 0)
    printf("no llm4perf artefacts (the sampler keeps none)\n");
  else
    show_artifacts_text(sh->arts, sh->n, sh->has_diag ? &sh->diag : NULL,
                        stdout);
  if (sh->has_diag)
    show_diag_summary(&sh->diag, stdout);
  else if (sh->why[0])
    printf("\ndiagnostics: not available: %s\n", sh->why);
  if (!sh->n_use)
    return;
  printf("\nllm usage:\n  %-10s %6s %8s %7s %6s %10s %10s %9s\n", "role",
         "calls", "attempts", "retries", "failed", "prompt", "completion",
         "seconds");
  for (size_t k = 0; k < sh->n_use; k++)
    printf("  %-10s %6ld %8ld %7ld %6ld %10ld %10ld %9.2f\n", u[k].role,
           u[k].calls, u[k].attempts, u[k].retries, u[k].failed,
           u[k].prompt_tokens, u[k].completion_tokens, u[k].latency_s);
}

/* The campaign's diagnostics when it has llm4perf artefacts. A failure
 * other than ENOMEM is shown in place of them (the rest of the campaign
 * still is); ENOMEM is returned. */
static l4p_status diagnose(struct l4p_store *store, struct shown *sh)
{
  if (sh->n == 0)
    return L4P_OK;
  l4p_status st = l4p_llm4perf_diag_load(store, sh->info.id, &sh->diag);
  if (!st)
    st = l4p_llm4perf_diag_json(&sh->diag, &sh->diag_json);
  sh->has_diag = st == L4P_OK;
  if (st && st != L4P_ENOMEM) {
    snprintf(sh->why, sizeof sh->why, "%s",
             l4p_last_error()[0] ? l4p_last_error() : l4p_strerror(st));
    st = L4P_OK;
  }
  return st;
}

/* "llm4perf show RUN.db [--campaign ID] [--json]": exit 0, 1 (a store
 * error, a missing file) or 2 (usage; several campaigns, none chosen). */
int cmd_show(int argc, char **argv, struct cli_ctx *cli)
{
  long campaign = 0;
  bool json = false;
  const struct cli_opt opts[] = {
      {"campaign", 0, OPT_INT, &campaign, "ID",
       "the campaign to show (needed when the file holds several)"},
      {"json", 0, OPT_BOOL, &json, NULL,
       "everything as JSON, artefact documents whole, timings included"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one RUN.db\nusage: %s", usage[0]);
  struct stat sb;
  if (stat(argv[0], &sb) != 0) { /* opening would create it */
    fprintf(stderr, "llm4perf: error: cannot open '%s': %s\n", argv[0],
            strerror(errno));
    return CLI_FAIL;
  }
  struct l4p_store *store;
  l4p_status st = l4p_store_open(argv[0], &store);
  if (st)
    return cli_fail(st);
  struct shown sh = {0};
  l4p_llm4perf_diag_init(&sh.diag);
  rc = pick(cli, store, campaign, &sh.info);
  if (!rc &&
      ((st = l4p_store_campaign_params(store, sh.info.id, &sh.params)) ||
       (st = l4p_store_artifacts(store, sh.info.id, NULL, &sh.arts, &sh.n)) ||
       (st = l4p_store_llm_usage(store, sh.info.id, &sh.use, &sh.n_use)) ||
       (st = diagnose(store, &sh))))
    rc = cli_fail(st);
  if (!rc && json)
    rc = write_json(&sh);
  else if (!rc)
    write_text(&sh);
  l4p_llm4perf_diag_release(&sh.diag);
  free(sh.diag_json);
  free(sh.use);
  l4p_store_artifacts_free(sh.arts, sh.n);
  free(sh.params);
  l4p_store_close(store);
  return rc;
}
