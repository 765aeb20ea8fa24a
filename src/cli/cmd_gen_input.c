/* "llm4perf gen-input": write a synthetic input (text corpus, binary data,
 * raw video, SQL workload) for live measurement. The example specs run it
 * from their "setup" commands as "{llm4perf} gen-input ...".
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"
#include "llm4perf/geninput.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf gen-input KIND (--size N | --width W --height H --frames F) "
    "-o FILE [--seed S]",
    NULL};

/* Entry point of "llm4perf gen-input" (docs/cli/gen-input.md); returns the
 * exit code. */
int cmd_gen_input(int argc, char **argv, struct cli_ctx *cli)
{
  const char *out = NULL;
  size_t size = 0;
  long width = 0, height = 0, frames = 0, seed = 1;
  const struct cli_opt opts[] = {
      {"size", 'n', OPT_SIZE, &size, "N",
       "text, binary: bytes; sql: rows inserted"},
      {"width", 0, OPT_INT, &width, "W", "yuv: frame width (even)"},
      {"height", 0, OPT_INT, &height, "H", "yuv: frame height (even)"},
      {"frames", 0, OPT_INT, &frames, "F", "yuv: number of frames"},
      {"seed", 0, OPT_INT, &seed, "S", "random seed (default 1)"},
      {"output", 'o', OPT_STRING, &out, "FILE", "file to write"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc < 0)
    printf("\nkinds: %s\n", l4p_gen_kinds());
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1 || !out)
    return cli_usage_error(cli, "expected KIND and -o FILE\nusage: %s",
                           usage[0]);
  if (width < 0 || height < 0 || frames < 0 || width > 65536 ||
      height > 65536 || frames > 1000000)
    return cli_usage_error(cli, "--width, --height and --frames must be "
                                "positive and sensible");
  struct l4p_gen_opts g = {argv[0],          size,
                           (unsigned)width,  (unsigned)height,
                           (unsigned)frames, (uint64_t)seed};
  l4p_status st = l4p_gen_input(&g, out);
  if (st == L4P_EUSAGE)
    return cli_usage_error(cli, "%s", l4p_last_error());
  return st ? cli_fail(st) : CLI_OK;
}
