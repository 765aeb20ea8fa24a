/* "llm4perf prune": the non-impactful option filter. An agent judges
 * each option of a spec from its name and documentation against the
 * chosen objectives; the decisions, each with its reason, are written as
 * a decisions file (docs/PRUNING.md) that "llm4perf sample --prune" and
 * every sampler can use.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_llm.h"
#include "llm4perf/agent.h"
#include "llm4perf/prune.h"
#include "llm4perf/spec.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf prune SPEC.json -o DECISIONS.json [--agent NAME] "
    "[--objectives A,B] [LLM flags]",
    NULL};

/* Split "a,b" in place into at most max names; returns how many. */
static size_t split_names(char *list, char **names, size_t max)
{
  size_t n = 0;
  for (char *p = list; *p && n < max;) {
    size_t len = strcspn(p, ",");
    if (len)
      names[n++] = p;
    if (!p[len])
      break;
    p[len] = '\0';
    p += len + 1;
  }
  return n;
}

/* Run the filter of agent (called agent_name) and read its answer into
 * p. */
static l4p_status filter(struct l4p_agent *agent, const char *agent_name,
                         const struct l4p_spec *spec, char **objectives,
                         size_t n_obj, struct l4p_prune *p,
                         struct l4p_agent_decision_stats *stats)
{
  l4p_status st;
  char *input = NULL, *output = NULL;
  struct l4p_agent_ctx ctx = {spec, spec->space, 1, 0};
  const char *const *names = (const char *const *)objectives;
  if (!(st = l4p_agent_filter_input(spec, names, n_obj, &input)) &&
      !(st = l4p_agent_run(agent, L4P_ROLE_FILTER, &ctx, input, &output)))
    st = l4p_agent_read_decisions(spec, output, agent_name, names, n_obj, p,
                                  stats);
  free(input);
  free(output);
  return st;
}

static void report(const struct l4p_prune *p,
                   const struct l4p_agent_decision_stats *s, const char *out)
{
  size_t kept = 0;
  for (size_t k = 0; k < p->n_decisions; k++) {
    const struct l4p_prune_decision *d = &p->decisions[k];
    kept += d->keep;
    printf("%-7s %-24s %s\n", d->keep ? "keep" : "prune", d->option,
           d->reason ? d->reason : "");
  }
  printf("%zu kept, %zu pruned -> %s\n", kept, p->n_decisions - kept, out);
  if (s->unknown || s->repeated || s->missing)
    fprintf(stderr,
            "llm4perf: warning: the agent's answer named %zu "
            "unknown options, decided %zu twice and left %zu out (kept)\n",
            s->unknown, s->repeated, s->missing);
  if (s->restored)
    fprintf(stderr,
            "llm4perf: warning: %zu pruned options kept so that a "
            "valid configuration remains\n",
            s->restored);
}

int cmd_prune(int argc, char **argv, struct cli_ctx *cli)
{
  const char *agent = "builtin", *out = NULL, *objectives = NULL;
  const char *db = NULL;
  struct cli_llm llm = {0};
  const struct cli_opt opts[] = {
      {"output", 'o', OPT_STRING, &out, "DECISIONS.json",
       "decisions file to write (docs/PRUNING.md)"},
      {"agent", 0, OPT_STRING, &agent, "NAME",
       "builtin (default) or llm: who decides"},
      {"objectives", 0, OPT_STRING, &objectives, "A,B",
       "objectives the decisions are for (default: all)"},
      CLI_LLM_OPTS(&llm),
      {"db", 0, OPT_STRING, &db, "FILE",
       "database LLM exchanges are recorded in or replayed from"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1 || !out)
    return cli_usage_error(cli,
                           "expected one SPEC.json and -o "
                           "DECISIONS.json\nusage: %s",
                           usage[0]);
  if (db && strcmp(agent, "llm") != 0)
    return cli_usage_error(cli, "--db needs --agent llm");
  struct l4p_agent *made;
  if ((rc = cli_llm_agent(cli, &llm, agent, db, 0, &made)))
    return rc;
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (st) {
    l4p_agent_free(made);
    return cli_fail(st);
  }
  char *list = objectives ? strdup(objectives) : NULL;
  char *names[64];
  size_t n_obj = list ? split_names(list, names, 64) : 0;
  for (size_t k = 0; k < n_obj; k++)
    if (l4p_spec_find_objective(spec, names[k]) < 0) {
      rc = cli_usage_error(cli,
                           "unknown objective '%s' (not in system "
                           "'%s')",
                           names[k], spec->name);
      break;
    }
  if (objectives && !n_obj && !rc)
    rc = cli_usage_error(cli, "--objectives names no objective");
  for (; !objectives && n_obj < spec->n_objectives && n_obj < 64; n_obj++)
    names[n_obj] = spec->objectives[n_obj].name; /* all, recorded */
  struct l4p_prune p;
  l4p_prune_init(&p);
  struct l4p_agent_decision_stats stats;
  if (!rc) {
    st = filter(made, agent, spec, names, n_obj, &p, &stats);
    if (!st)
      st = l4p_prune_save(&p, spec, out);
    if (st)
      rc = cli_fail(st);
    else
      report(&p, &stats, out);
  }
  l4p_prune_release(&p);
  l4p_agent_free(made);
  free(list);
  l4p_spec_free(spec);
  return rc;
}
