/* Internals of the report (include/llm4perf/report.h). The data flow:
 * load.c reads DIR/summary.json into a struct l4p__rstudy (check.c first
 * makes sure DIR holds a finished study); systems.c loads each system's
 * spec, table and pruning decisions; the sections (sec_*.c) append
 * headings, paragraphs, tables and plots to one document (doc.c, plot.c);
 * gnuplot.c draws every plot to SVG; html.c and markdown.c render the
 * same document twice. User text (labels, names) stays plain text in the
 * document: each renderer escapes it for its own language. */
#ifndef L4P_REPORT_INT_H
#define L4P_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "llm4perf/report.h"
#include "llm4perf/spec.h"
#include "llm4perf/table.h"

/* ------------------------------------------------ the study's facts */

struct l4p__rsystem {
  const char *name, *spec_path, *decisions; /* decisions may be NULL */
  size_t n_obj;
  const char **objectives; /* the studied objectives' names */
  size_t table_rows, options, pruned_options;
  size_t n_budgets;
  size_t *budgets;
  /* systems.c */
  struct l4p_spec *spec;
  struct l4p_table *table;
  size_t *obj;  /* n_obj indices into the spec's objectives */
  bool *pruned; /* per spec option: the decisions prune it */
};

struct l4p__rtreatment {
  const char *label, *sampler;
  const char *params; /* compact JSON, "{}" when none (or not given) */
  bool pruned;
  char *name; /* "label" or "label+pruned" */
  int colour; /* palette index shared by label+pruned */
};

struct l4p__rmodel {
  const char *label, *name, *settings;
};

/* One treatment's statistics in one scenario; n 0: no value. */
struct l4p__rvalue {
  size_t n;
  double mean, median, sd;
  int rank;
  bool best;
};

struct l4p__rscenario {
  bool front; /* hv_ratio (objective "all"), else mre */
  size_t system, model, budget, n_objectives;
  const char *objective;
  struct l4p__rvalue *values; /* per study treatment */
};

/* A headline count: "x of y" for (sampler, pruned) over the systems
 * with k objectives (k 0: all systems). */
struct l4p__rcount {
  const char *sampler;
  bool pruned;
  size_t k, x, y, ties;
};

struct l4p__rcounts {
  size_t n;
  struct l4p__rcount *c;
};

struct l4p__rstudy {
  json_t *root;    /* summary.json: the strings point into it */
  const char *dir; /* the study's output directory */
  const char *name, *path, *baseline;
  size_t repetitions;
  size_t seed;
  size_t n_systems, n_treatments, n_models, n_scenarios;
  struct l4p__rsystem *systems;
  struct l4p__rtreatment *treatments;
  struct l4p__rmodel *models;
  struct l4p__rscenario *scenarios;
  bool deepperf;               /* a DeepPerf model is in the study */
  const char *deepperf_search; /* how it searched (summary.json) */
  size_t deepperf_seed;
  size_t deepperf_searches;
  size_t grid_samples, grid_campaigns, grid_cells;
  struct l4p__rcounts best, pruning, best_front;
};

/* check.c: DIR exists and holds a finished study (study.db,
 * summary.json, and cells.csv with the cells summary.json counts);
 * otherwise EIO saying what is missing. Run before and after load. */
l4p_status l4p__report_check_dir(const char *dir);
l4p_status l4p__report_check_cells(const struct l4p__rstudy *st);

/* db.c: DIR/study.db opened read-only (the report never writes it). */
l4p_status l4p__report_db_open(const char *dir, sqlite3 **db);
/* Cells stored so far (an unfinished study's progress). */
l4p_status l4p__report_db_cells(sqlite3 *db, size_t *n);
/* The table rows of the predicted front of (campaign, model settings,
 * objectives "a,b") into a new array (free() it); EIO when absent. */
l4p_status l4p__report_db_front(sqlite3 *db, long long campaign,
                                const char *model, const char *objectives,
                                size_t **rows, size_t *n);

/* jread.c: typed members of summary.json, errors at their place. */
struct l4p__jr {
  const char *text, *path; /* the file's text and name, for messages */
};
/* EPARSE "path:line:col: msg" at the value at where ('/'-separated). */
l4p_status l4p__jr_fail(const struct l4p__jr *r, const char *where,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* obj[key] (obj sits at where) of type JSON_OBJECT, JSON_ARRAY or
 * JSON_STRING; EPARSE at obj when absent, at the value when mistyped. */
l4p_status l4p__jr_get(const struct l4p__jr *r, json_t *obj, const char *where,
                       const char *key, json_type type, json_t **out);
l4p_status l4p__jr_str(const struct l4p__jr *r, json_t *obj, const char *where,
                       const char *key, const char **out);
/* A string or null (*out NULL). */
l4p_status l4p__jr_str_or_null(const struct l4p__jr *r, json_t *obj,
                               const char *where, const char *key,
                               const char **out);
/* A non-negative integer; null gives 0 when null_ok. */
l4p_status l4p__jr_size(const struct l4p__jr *r, json_t *obj, const char *where,
                        const char *key, bool null_ok, size_t *out);
/* A number, or null for NaN. */
l4p_status l4p__jr_real(const struct l4p__jr *r, json_t *obj, const char *where,
                        const char *key, double *out);
l4p_status l4p__jr_bool(const struct l4p__jr *r, json_t *obj, const char *where,
                        const char *key, bool *out);
/* where/key (or key at the root) into buf. */
void l4p__jr_path(char *buf, size_t size, const char *where, const char *key);

/* load.c: read DIR/summary.json; EPARSE "path:line:col: ..." */
l4p_status l4p__rstudy_load(const char *dir, struct l4p__rstudy *st);
void l4p__rstudy_release(struct l4p__rstudy *st);
/* load_scenarios.c: the headline counts and the scenarios of root. */
l4p_status l4p__rstudy_load_results(struct l4p__rstudy *st,
                                    const struct l4p__jr *r);
/* The scenario of (metric, system, objective, budget, model); NULL when
 * the study has none. objective is ignored for fronts. */
const struct l4p__rscenario *l4p__rstudy_scenario(const struct l4p__rstudy *st,
                                                  bool front, size_t system,
                                                  const char *objective,
                                                  size_t budget, size_t model);

/* systems.c: load every system's spec, table and decisions (EIO naming
 * a missing file; the library's own errors otherwise). */
l4p_status l4p__rstudy_load_systems(struct l4p__rstudy *st);

/* ------------------------------------------------------------- plots */

enum l4p__plot_kind {
  L4P__PLOT_LINES,   /* x: budget; series: y with an optional sd band */
  L4P__PLOT_SCATTER, /* objective against objective */
  L4P__PLOT_BARS     /* horizontal bars over categories */
};

enum l4p__series_style {
  L4P__STYLE_LINE,  /* a line with markers (dashed: a pruned treatment) */
  L4P__STYLE_CLOUD, /* small light grey points */
  L4P__STYLE_FRONT, /* the true front: black markers, joined in 2-D */
  L4P__STYLE_MARKS, /* large coloured markers */
  L4P__STYLE_BAR
};

struct l4p__series {
  char *title;
  enum l4p__series_style style;
  int colour; /* palette index; < 0: the style's own */
  bool dashed, joined;
  bool no_key; /* no entry in the key (the CSV still names it) */
  size_t n, cap;
  double *x, *y, *err; /* err: sd of LINES; bars: y is the slot */
  long *row;           /* SCATTER: table row, else -1 */
};

struct l4p__plot {
  char *name; /* stable file name stem, [a-z0-9-] */
  char *title, *caption;
  char *xlabel, *ylabel;
  char *csv_x, *csv_y; /* CSV column names of x and y (bars: of
                               the value); default: the axis labels */
  enum l4p__plot_kind kind;
  bool band; /* LINES: draw the sd bands */
  bool y_from_zero;
  bool log_x, log_y; /* logarithmic axes */
  int width, height;
  size_t n_series;
  struct l4p__series *series;
  size_t n_categories; /* BARS: labels of slots 0, 1... (top down) */
  char **categories;
  bool oom;
};

/* A new plot (NULL on ENOMEM); strings are copied. */
struct l4p__plot *l4p__plot_new(enum l4p__plot_kind kind, const char *title,
                                const char *xlabel, const char *ylabel);
void l4p__plot_free(struct l4p__plot *p);
/* Name the CSV columns of x and y (copies; NULL: a generic name); true
 * when out of memory. */
bool l4p__plot_columns(struct l4p__plot *p, const char *x, const char *y);
/* Append a series; NULL (and p->oom) when out of memory. The series
 * pointer is valid until the next l4p__plot_series call. */
struct l4p__series *l4p__plot_series(struct l4p__plot *p, const char *title,
                                     enum l4p__series_style style, int colour);
/* Append a point (err may be NAN, row -1); failures set p->oom. */
void l4p__plot_point(struct l4p__plot *p, struct l4p__series *s, double x,
                     double y, double err, long row);
void l4p__plot_category(struct l4p__plot *p, const char *label);
/* Points of every series together. */
size_t l4p__plot_points(const struct l4p__plot *p);
/* The plot's data as CSV: "series,<x>,<y>[,sd|,row]" per point, or
 * "series,label,<value>" for bars (heap, free() it; NULL on ENOMEM). */
char *l4p__plot_csv(const struct l4p__plot *p);
/* "a-b-c" from the parts: lower-case letters, digits and '-' only. */
char *l4p__slug(const char *const *parts, size_t n);

/* gnuplot.c */
/* The gnuplot program on PATH (heap), or EIO "gnuplot not found: ...". */
l4p_status l4p__gnuplot_find(char **path);
/* Draw p with gnuplot (its data and script files written in tmpdir) into
 * *svg: the SVG element alone, its ids prefixed by the plot's name so
 * that many plots live in one page. EIO naming the plot when gnuplot
 * fails, times out or writes no SVG. */
l4p_status l4p__gnuplot_draw(const char *gnuplot, const char *tmpdir,
                             const struct l4p__plot *p, double timeout_s,
                             char **svg);
/* gnuplot_script.c: write p's data files and script into tmpdir (names
 * from the plot's name); *script gets the script's path (heap). EIO. */
l4p_status l4p__gnuplot_script(const struct l4p__plot *p, const char *tmpdir,
                               char **script);
/* Append text to sb as a gnuplot single-quoted string: ' doubled,
 * control characters made spaces (a newline would end the command). */
struct l4px_sb;
void l4p__gnuplot_quote(struct l4px_sb *sb, const char *text);

/* ---------------------------------------------------------- document */

enum l4p__block_kind {
  L4P__BLOCK_HEADING,
  L4P__BLOCK_TEXT,
  L4P__BLOCK_NOTE,
  L4P__BLOCK_TABLE,
  L4P__BLOCK_PLOT
};

struct l4p__cell {
  char *text;
  int rank; /* Scott-Knott rank for the colour; 0 none */
  bool strong;
};

struct l4p__block {
  enum l4p__block_kind kind;
  int level;              /* HEADING: 1..3 */
  char *text;             /* HEADING, TEXT, NOTE */
  char *id;               /* HEADING: anchor */
  size_t n_cols, n_cells; /* TABLE: the first n_cols cells head it */
  struct l4p__cell *cells;
  struct l4p__plot *plot; /* PLOT (owned) */
  char *svg;              /* PLOT: filled by gnuplot */
};

struct l4p__doc {
  size_t n, cap;
  struct l4p__block *blocks;
  size_t n_plots, n_tables;
  bool oom;
};

void l4p__doc_init(struct l4p__doc *d);
void l4p__doc_release(struct l4p__doc *d);
/* Appenders: failures set d->oom, checked once at the end. */
void l4p__doc_heading(struct l4p__doc *d, int level, const char *id,
                      const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void l4p__doc_text(struct l4p__doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void l4p__doc_note(struct l4p__doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Start a table of n_cols columns; cells follow, header row first. */
void l4p__doc_table(struct l4p__doc *d, size_t n_cols);
void l4p__doc_cell(struct l4p__doc *d, int rank, bool strong, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
/* Append a plot block, taking p (freed here on failure). Its name is made
 * unique in the document by a suffix. */
void l4p__doc_plot(struct l4p__doc *d, struct l4p__plot *p);
/* What a table cell without a value shows: an en dash. */
#define L4P__NONE "\xe2\x80\x93"
/* "12.3", "0.853", "1234": three significant digits, never exponents
 * below 1e6; L4P__NONE for NaN. */
void l4p__fmt(double v, char *buf, size_t size);

/* Sections, in the order of the page. Each appends to d. */
l4p_status l4p__sec_header(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_headlines(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_errors(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_ranks(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_fronts(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_variants(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_influence(const struct l4p__rstudy *st, struct l4p__doc *d);
l4p_status l4p__sec_diagnostics(const struct l4p__rstudy *st,
                                struct l4p__doc *d);

/* Renderers: the whole document as text (heap, free() it). */
l4p_status l4p__html_render(const struct l4p__doc *d, const char *title,
                            char **html);
/* plots_rel: the plots folder relative to the Markdown file. */
l4p_status l4p__md_render(const struct l4p__doc *d, const char *plots_rel,
                          char **md);
/* Write the Markdown file and its plots folder (SVG and CSV per plot):
 * the folder is filled under a temporary name, then renamed. */
l4p_status l4p__md_write(const struct l4p__doc *d, const char *md_path);

#endif
