/* "llm4perf report" as a library call (include/llm4perf/report.h): check
 * that DIR holds a finished study, read its summary and its systems,
 * build the document section by section, draw every plot with gnuplot
 * in a scratch directory, and only then write the HTML page (and the
 * Markdown file with its plots folder), each through a temporary file
 * renamed into place.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/dirs.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

#define DEFAULT_TIMEOUT_S 60.0

static l4p_status build(const struct l4p__rstudy *st, struct l4p__doc *d)
{
  l4p_status (*const sections[])(const struct l4p__rstudy *,
                                 struct l4p__doc *) = {
      l4p__sec_header,    l4p__sec_headlines,  l4p__sec_errors,
      l4p__sec_ranks,     l4p__sec_fronts,     l4p__sec_variants,
      l4p__sec_influence, l4p__sec_diagnostics};
  l4p_status s = L4P_OK;
  for (size_t k = 0; !s && k < sizeof sections / sizeof sections[0]; k++)
    s = sections[k](st, d);
  if (!s && d->oom)
    s = l4p_failf(L4P_ENOMEM, "out of memory building the report");
  return s;
}

/* Draw every plot of d into its block, in a scratch directory under
 * $TMPDIR that is removed whatever happens. */
static l4p_status draw(struct l4p__doc *d, const char *gnuplot,
                       double timeout_s)
{
  char *tmp = NULL;
  l4p_status s = l4px_make_temp_dir(NULL, "llm4perf-report-", &tmp);
  for (size_t k = 0; !s && k < d->n; k++)
    if (d->blocks[k].kind == L4P__BLOCK_PLOT)
      s = l4p__gnuplot_draw(gnuplot, tmp, d->blocks[k].plot, timeout_s,
                            &d->blocks[k].svg);
  if (tmp) {
    l4p_status r = l4px_remove_tree(tmp);
    s = s ? s : r;
    free(tmp);
  }
  return s;
}

/* mkdir -p the folder of path (an output file). */
static l4p_status make_parent(const char *path)
{
  char *dir = l4px_dirname(path);
  l4p_status s =
      dir ? l4px_make_dirs(dir) : l4p_failf(L4P_ENOMEM, "out of memory");
  free(dir);
  return s;
}

static l4p_status write_html(const struct l4p__doc *d,
                             const struct l4p__rstudy *st, const char *path)
{
  char *html = NULL;
  l4p_status s = l4p__html_render(d, st->name, &html);
  if (!s)
    s = l4px_write_file_atomic(path, html, strlen(html));
  free(html);
  return s;
}

/* See report.h. */
l4p_status l4p_report_write(const struct l4p_report_opts *opts,
                            struct l4p_report_info *info)
{
  if (!opts || !opts->dir || !*opts->dir)
    return l4p_failf(L4P_EUSAGE, "report: no study directory given");
  double timeout =
      opts->plot_timeout_s > 0 ? opts->plot_timeout_s : DEFAULT_TIMEOUT_S;
  char *html = opts->html ? strdup(opts->html)
                          : l4px_path_join(opts->dir, "report.html");
  char *gnuplot = NULL;
  struct l4p__rstudy st;
  struct l4p__doc d;
  memset(&st, 0, sizeof st);
  l4p__doc_init(&d);
  l4p_status s = html ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s)
    s = l4p__report_check_dir(opts->dir);
  if (!s)
    s = l4p__gnuplot_find(&gnuplot);
  if (!s)
    s = l4p__rstudy_load(opts->dir, &st);
  if (!s)
    s = l4p__report_check_cells(&st);
  if (!s)
    s = l4p__rstudy_load_systems(&st);
  if (!s)
    s = build(&st, &d);
  if (!s)
    s = draw(&d, gnuplot, timeout);
  if (!s)
    s = make_parent(html);
  if (!s && opts->md)
    s = make_parent(opts->md);
  if (!s)
    s = write_html(&d, &st, html);
  if (!s && opts->md)
    s = l4p__md_write(&d, opts->md);
  if (!s && info) {
    info->plots = d.n_plots;
    info->tables = d.n_tables;
  }
  l4p__doc_release(&d);
  l4p__rstudy_release(&st);
  free(gnuplot);
  free(html);
  return s;
}
