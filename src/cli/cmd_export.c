/* "llm4perf export RUN.db": a campaign's measured configurations and
 * objective values as CSV, readable without the spec (the run database
 * keeps a copy of it).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/store.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf export RUN.db [--campaign ID] [-o OUT.csv]",
    "llm4perf export RUN.db --list", NULL};

static void print_list(const struct l4p_campaign_info *list, size_t n)
{
  printf("%-4s %-20s %-10s %-6s %-8s %-8s %-6s %s\n", "id", "system", "sampler",
         "seed", "budget", "measured", "failed", "state");
  for (size_t k = 0; k < n; k++)
    printf("%-4" PRId64 " %-20s %-10s %-6" PRIu64 " %-8zu %-8zu %-6zu %s\n",
           list[k].id, list[k].system, list[k].sampler, list[k].seed,
           list[k].budget, list[k].measured, list[k].failed,
           list[k].done ? "done" : "unfinished");
}

int cmd_export(int argc, char **argv, struct cli_ctx *cli)
{
  long campaign = 0;
  const char *out_path = NULL;
  bool list_only = false;
  const struct cli_opt opts[] = {
      {"campaign", 'c', OPT_INT, &campaign, "ID",
       "campaign to export (needed when the database holds several)"},
      {"output", 'o', OPT_STRING, &out_path, "FILE",
       "write to FILE instead of standard output"},
      {"list", 'l', OPT_BOOL, &list_only, NULL, "list the campaigns"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one RUN.db\nusage: %s", usage[0]);
  FILE *probe = fopen(argv[0], "rb");
  if (!probe) {
    fprintf(stderr, "llm4perf: error: cannot open '%s': %s\n", argv[0],
            strerror(errno));
    return CLI_FAIL;
  }
  fclose(probe);
  struct l4p_store *store;
  l4p_status st = l4p_store_open(argv[0], &store);
  if (st)
    return cli_fail(st);
  struct l4p_campaign_info *list = NULL;
  size_t n = 0;
  if ((st = l4p_store_list(store, &list, &n))) {
    l4p_store_close(store);
    return cli_fail(st);
  }
  rc = CLI_OK;
  if (list_only) {
    print_list(list, n);
  } else if (n == 0) {
    fprintf(stderr, "llm4perf: error: '%s' holds no campaign\n", argv[0]);
    rc = CLI_FAIL;
  } else if (n > 1 && campaign == 0) {
    fprintf(stderr,
            "llm4perf: error: '%s' holds %zu campaigns; choose one "
            "with --campaign:\n",
            argv[0], n);
    print_list(list, n);
    rc = CLI_USAGE;
  } else {
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
      fprintf(stderr, "llm4perf: error: cannot write '%s': %s\n", out_path,
              strerror(errno));
      rc = CLI_FAIL;
    } else {
      st = l4p_store_export_csv(store, campaign ? campaign : list[0].id, out);
      if (out != stdout && fclose(out) != 0 && !st)
        rc = CLI_FAIL;
      if (st)
        rc = cli_fail(st);
    }
  }
  free(list);
  l4p_store_close(store);
  return rc;
}
