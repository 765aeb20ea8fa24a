/* Reports: a finished study's output directory (docs/STUDY.md) turned
 * into one self-contained HTML page, and optionally the same content as
 * Markdown with its plots as SVG files and their data as CSV beside it
 * (docs/REPORT.md). Plots are drawn by gnuplot, run from an argv.
 *
 * Invariants: the report reads DIR (summary.json, samples.csv, cells.csv,
 * study.db read-only) and the systems' specs, tables and decisions files,
 * and never changes them; the same DIR gives the same bytes; every plot
 * is drawn before anything is written, so a failure leaves no partial
 * file at an output path; the HTML page loads nothing from outside
 * itself. */
#ifndef LLM4PERF_REPORT_H
#define LLM4PERF_REPORT_H

#include <stddef.h>

#include "llm4perf/status.h"

struct l4p_report_opts {
  const char *dir;       /* the study's output directory */
  const char *html;      /* the HTML page; NULL: dir/report.html */
  const char *md;        /* the Markdown file, or NULL for none */
  double plot_timeout_s; /* per gnuplot run; 0: 60 s */
};

/* What a written report holds. */
struct l4p_report_info {
  size_t plots;  /* plots drawn (inline SVGs in the page) */
  size_t tables; /* tables */
};

/* Write the report of opts->dir. EIO for a missing or unfinished study
 * directory, a missing spec, table or decisions file, a gnuplot that is
 * not installed, fails or hangs (the message names the plot), or a file
 * that cannot be written; EPARSE for a malformed summary.json
 * ("file:line:col: message"); ESTORE when study.db cannot be read;
 * ENOMEM. info may be NULL. */
l4p_status l4p_report_write(const struct l4p_report_opts *opts,
                            struct l4p_report_info *info);

#endif
