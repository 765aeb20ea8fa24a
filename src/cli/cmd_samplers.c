/* "llm4perf samplers": the registered samplers, one line each, and how
 * each treats numeric options.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"
#include "llm4perf/sampler.h"
#include "util/banned.h"

static const char *const usage[] = {"llm4perf samplers [--verbose]", NULL};

int cmd_samplers(int argc, char **argv, struct cli_ctx *cli)
{
  bool verbose = false;
  const struct cli_opt opts[] = {{"verbose", 'v', OPT_BOOL, &verbose, NULL,
                                  "also say how numeric options are handled"},
                                 {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args)
    return cli_usage_error(cli, "takes no arguments");
  for (size_t k = 0; k < l4p_sampler_count(); k++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(k);
    printf("%-10s %s%s\n", ops->name, ops->summary,
           ops->sequential ? " (sequential)" : "");
    if (verbose)
      printf("%-10s numeric options: %s\n", "", ops->numeric_help);
  }
  return CLI_OK;
}
