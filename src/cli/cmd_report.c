/* "llm4perf report": a finished study's output directory as one
 * self-contained HTML page with gnuplot's plots inline, and optionally
 * the same as Markdown with SVG and CSV files (docs/REPORT.md).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"
#include "llm4perf/report.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf report DIR [-o FILE.html] [--md FILE.md]", NULL};

/* Entry point of "llm4perf report" (docs/cli/report.md); the exit code:
 * 0, 1 (bad or unfinished study, gnuplot missing or failing) or 2. */
int cmd_report(int argc, char **argv, struct cli_ctx *cli)
{
  const char *html = NULL, *md = NULL;
  double timeout = 60;
  const struct cli_opt opts[] = {
      {"output", 'o', OPT_STRING, &html, "FILE.html",
       "the HTML page (default DIR/report.html)"},
      {"md", 0, OPT_STRING, &md, "FILE.md",
       "also write Markdown, plots in FILE-plots/"},
      {"plot-timeout", 0, OPT_DOUBLE, &timeout, "S",
       "seconds gnuplot may take per plot (default 60)"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one study directory\nusage: %s",
                           usage[0]);
  if (!(timeout > 0))
    return cli_usage_error(cli, "--plot-timeout must be above 0");
  struct l4p_report_opts ro = {argv[0], html, md, timeout};
  struct l4p_report_info info;
  l4p_status st = l4p_report_write(&ro, &info);
  if (st)
    return cli_fail(st);
  if (html)
    printf("report of %s: %zu plots, %zu tables -> %s%s%s\n", argv[0],
           info.plots, info.tables, html, md ? ", " : "", md ? md : "");
  else
    printf("report of %s: %zu plots, %zu tables -> %s/report.html%s%s\n",
           argv[0], info.plots, info.tables, argv[0], md ? ", " : "",
           md ? md : "");
  return CLI_OK;
}
