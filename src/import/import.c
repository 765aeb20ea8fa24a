/* Importers' front door: l4p_import picks the format (guessing it from the
 * files when asked) and the steps every format shares live here: reading
 * the table, --ignore, objective lists, and the new spec with its table
 * oracle and provenance. The --where row filters are in where.c.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* ---- columns and rows ---- */

/* The spec name given to column c, else its header. */
const char *l4p__column_name(const struct l4p__import *im, size_t c)
{
  return im->cols[c].name ? im->cols[c].name : im->csv.header[c];
}

/* Cell of kept row k (an index into im->rows), column c. */
const char *l4p__cell(const struct l4p__import *im, size_t k, size_t c)
{
  return l4px_csv_cell(&im->csv, im->rows[k], c);
}

/* Source line of kept row k, for messages. */
int l4p__line(const struct l4p__import *im, size_t k)
{
  return im->csv.line[im->rows[k]];
}

/* Append one "; "-separated note to the provenance text. */
void l4p__note(struct l4p__import *im, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (im->notes.len)
    l4px_sb_puts(&im->notes, "; ");
  l4px_sb_puts(&im->notes, buf);
}

/* Length of a header without a MOOT suffix ('-', '+' or 'X'). */
static size_t stem_len(const char *h)
{
  size_t n = strlen(h);
  if (n > 1 && strchr("-+X", h[n - 1]))
    n--;
  return n;
}

/* Column called name: the exact header, else a header whose stem is name.
 * -1 when there is none. */
int l4p__find_column(const struct l4p__import *im, const char *name)
{
  int c = l4px_csv_column(&im->csv, name);
  if (c >= 0)
    return c;
  size_t n = strlen(name);
  for (size_t i = 0; i < im->csv.n_cols; i++) {
    const char *h = im->csv.header[i];
    if (stem_len(h) == n && strncmp(h, name, n) == 0)
      return (int)i;
  }
  return -1;
}

/* Split a comma list into trimmed heap items; NULL on ENOMEM. Empty
 * items are kept so callers can report them. */
char **l4p__split_list(const char *text, size_t *n)
{
  size_t cap = 1;
  for (const char *p = text; *p; p++)
    cap += *p == ',';
  char **items = calloc(cap, sizeof *items);
  if (!items)
    return NULL;
  *n = 0;
  for (const char *p = text;;) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    while (len && isspace((unsigned char)*p))
      p++, len--;
    while (len && isspace((unsigned char)p[len - 1]))
      len--;
    items[*n] = strndup(p, len);
    if (!items[(*n)++]) {
      for (size_t i = 0; i < *n; i++)
        free(items[i]);
      free(items);
      return NULL;
    }
    if (!end)
      break;
    p = end + 1;
  }
  return items;
}

/* Free what l4p__split_list returned (NULL is fine). */
void l4p__free_list(char **items, size_t n)
{
  for (size_t i = 0; items && i < n; i++)
    free(items[i]);
  free(items);
}

static l4p_status apply_ignore(struct l4p__import *im, const char *ignore)
{
  size_t n;
  char **items = l4p__split_list(ignore, &n);
  if (!items)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  for (size_t i = 0; !st && i < n; i++) {
    int c = l4p__find_column(im, items[i]);
    if (c < 0)
      st = l4p_failf(L4P_EUSAGE, "ignore: no column '%s' in %s", items[i],
                     im->path);
    else if (im->cols[c].role == L4P__COL_WHERE)
      st = l4p_failf(L4P_EUSAGE,
                     "column '%s' is both filtered (where) and "
                     "ignored",
                     items[i]);
    else
      im->cols[c].role = L4P__COL_IGNORE;
  }
  l4p__free_list(items, n);
  return st;
}

/* Read the table, check its header, then apply where and ignore. */
l4p_status l4p__import_open(struct l4p__import *im, const char *path,
                            const struct l4p_import_opts *opts)
{
  memset(im, 0, sizeof *im);
  im->path = path;
  im->opts = opts;
  l4px_sb_init(&im->notes);
  l4p_status st = l4px_csv_read(&im->csv, path, opts->delimiter);
  if (st)
    return st;
  size_t nc = im->csv.n_cols;
  im->cols = calloc(nc, sizeof *im->cols);
  im->rows = malloc((im->csv.n_rows + 1) * sizeof *im->rows);
  if (!im->cols || !im->rows)
    return l4p_failf(L4P_ENOMEM, "out of memory reading %s", path);
  for (size_t c = 0; c < nc; c++) {
    if (!*im->csv.header[c])
      return l4p_failf(L4P_EPARSE, "%s:1: column %zu has no name", path, c + 1);
    for (size_t d = 0; d < c; d++)
      if (strcmp(im->csv.header[c], im->csv.header[d]) == 0)
        return l4p_failf(L4P_EPARSE, "%s:1: duplicate column '%s'", path,
                         im->csv.header[c]);
  }
  im->n_rows = im->csv.n_rows;
  for (size_t k = 0; k < im->n_rows; k++)
    im->rows[k] = k;
  if (!im->n_rows)
    return l4p_failf(L4P_EPARSE, "%s: no data rows", path);
  if (opts->where && *opts->where && (st = l4p__apply_where(im, opts->where)))
    return st;
  if (opts->ignore && *opts->ignore && (st = apply_ignore(im, opts->ignore)))
    return st;
  return L4P_OK;
}

/* Release everything l4p__import_open and the builders allocated. */
void l4p__import_release(struct l4p__import *im)
{
  if (im->cols)
    for (size_t c = 0; c < im->csv.n_cols; c++)
      free(im->cols[c].name);
  free(im->cols);
  free(im->rows);
  free(im->obj_cols);
  l4px_csv_release(&im->csv);
  l4px_sb_release(&im->notes);
  memset(im, 0, sizeof *im);
}

/* ---- objective lists ---- */

/* Parse "name[:min|max],..." into list (see import-int.h). */
l4p_status l4p__objectives_parse(const char *text,
                                 struct l4p__objective_list *list)
{
  memset(list, 0, sizeof *list);
  if (!text || !*text)
    return L4P_OK;
  size_t n;
  char **items = l4p__split_list(text, &n);
  if (!items)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  list->items = calloc(n, sizeof *list->items);
  l4p_status st = list->items ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; !st && i < n; i++) {
    struct l4p__objective_req *req = &list->items[list->n];
    char *colon = strrchr(items[i], ':');
    if (colon) {
      *colon = '\0';
      const char *goal = colon + 1;
      if (strcasecmp(goal, "min") == 0)
        req->goal = L4P_MINIMIZE;
      else if (strcasecmp(goal, "max") == 0)
        req->goal = L4P_MAXIMIZE;
      else {
        st = l4p_failf(L4P_EUSAGE,
                       "objective '%s': goal '%s' is not min "
                       "or max",
                       items[i], goal);
        break;
      }
      req->goal_given = true;
    }
    if (!*items[i]) {
      st = l4p_failf(L4P_EUSAGE, "objectives '%s': empty name", text);
      break;
    }
    if (l4p__objectives_get(list, items[i])) {
      st = l4p_failf(L4P_EUSAGE, "objective '%s' named twice", items[i]);
      break;
    }
    req->name = items[i];
    items[i] = NULL;
    list->n++;
  }
  l4p__free_list(items, n);
  if (st)
    l4p__objectives_release(list);
  return st;
}

/* Free the list's names and entries. */
void l4p__objectives_release(struct l4p__objective_list *list)
{
  for (size_t i = 0; i < list->n; i++)
    free(list->items[i].name);
  free(list->items);
  memset(list, 0, sizeof *list);
}

/* Entry of list called name, or NULL. */
struct l4p__objective_req *l4p__objectives_get(struct l4p__objective_list *list,
                                               const char *name)
{
  for (size_t i = 0; i < list->n; i++)
    if (strcmp(list->items[i].name, name) == 0)
      return &list->items[i];
  return NULL;
}

/* ---- objectives of a spec ---- */

/* See import-int.h. */
l4p_status l4p__mark_objective(struct l4p__import *im,
                               const struct l4p__objective_list *list,
                               size_t rank)
{
  const struct l4p__objective_req *req = &list->items[rank];
  int c = l4px_csv_column(&im->csv, req->name);
  if (c < 0)
    return l4p_failf(L4P_EUSAGE, "objective '%s' is not a column of %s",
                     req->name, im->path);
  if (im->cols[c].role == L4P__COL_MODEL)
    return l4p_failf(L4P_EUSAGE,
                     "objective '%s' is an option of the feature model",
                     req->name);
  if (im->cols[c].role != L4P__COL_OPTION)
    return l4p_failf(L4P_EUSAGE, "objective '%s' is also ignored or filtered",
                     req->name);
  im->cols[c].role = L4P__COL_OBJECTIVE;
  im->cols[c].goal = req->goal_given ? req->goal : L4P_MINIMIZE;
  im->cols[c].rank = (int)rank;
  return L4P_OK;
}

/* Add objective columns to spec in (rank, column) order and remember
 * that order for l4p__row_objectives. */
l4p_status l4p__add_objectives(struct l4p__import *im, struct l4p_spec *spec)
{
  size_t nc = im->csv.n_cols;
  im->obj_cols = malloc((nc + 1) * sizeof *im->obj_cols);
  if (!im->obj_cols)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  im->n_obj = 0;
  for (size_t c = 0; c < nc; c++)
    if (im->cols[c].role == L4P__COL_OBJECTIVE)
      im->obj_cols[im->n_obj++] = c;
  /* insertion sort by rank; stable, so equal ranks keep column order */
  for (size_t i = 1; i < im->n_obj; i++) {
    size_t c = im->obj_cols[i], j = i;
    for (; j > 0 && im->cols[im->obj_cols[j - 1]].rank > im->cols[c].rank; j--)
      im->obj_cols[j] = im->obj_cols[j - 1];
    im->obj_cols[j] = c;
  }
  if (!im->n_obj)
    return l4p_failf(L4P_EUSAGE, "%s: no objective columns", im->path);
  for (size_t i = 0; i < im->n_obj; i++) {
    size_t c = im->obj_cols[i];
    l4p_status st = l4p_spec_add_objective(spec, l4p__column_name(im, c), NULL,
                                           im->cols[c].goal);
    if (st)
      return st;
  }
  return L4P_OK;
}

/* Objective values of kept row k in spec order (NAN when empty). */
l4p_status l4p__row_objectives(const struct l4p__import *im, size_t k,
                               double *values)
{
  for (size_t i = 0; i < im->n_obj; i++) {
    size_t c = im->obj_cols[i];
    const char *cell = l4p__cell(im, k, c);
    if (!*cell || strcasecmp(cell, "nan") == 0 || strcasecmp(cell, "na") == 0)
      values[i] = NAN;
    else if (!l4px_parse_double(cell, &values[i]))
      return l4p_failf(L4P_EPARSE, "%s:%d: column '%s': '%s' is not a number",
                       im->path, l4p__line(im, k), im->csv.header[c], cell);
  }
  return L4P_OK;
}

/* ---- the spec ---- */

/* The last two components of path (a pointer into it). */
const char *l4p__short_path(const char *path)
{
  const char *last = strrchr(path, '/');
  if (!last)
    return path;
  const char *p = last;
  while (p > path && p[-1] != '/')
    p--;
  return p;
}

/* File name of path without directory and extension (heap). */
static char *base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  return strndup(base,
                 dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* A new spec with a table oracle whose path the caller fills in. */
l4p_status l4p__import_spec(struct l4p__import *im, const char *default_name,
                            struct l4p_spec **spec)
{
  char *base = NULL;
  const char *name =
      im->opts->name && *im->opts->name ? im->opts->name : default_name;
  if (!name || !*name)
    name = base = base_name(im->path);
  *spec = name ? l4p_spec_new(name) : NULL;
  free(base);
  if (!*spec)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  (*spec)->oracle_type = strdup("table");
  (*spec)->oracle_json = strdup("{\"type\":\"table\",\"path\":null}");
  if (!(*spec)->oracle_type || !(*spec)->oracle_json)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* Set spec->provenance from what, the source and the notes. */
l4p_status l4p__import_provenance(struct l4p__import *im, const char *what,
                                  struct l4p_spec *spec)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb, "%s %s", what, l4p__short_path(im->path));
  if (im->where_total)
    l4px_sb_printf(&sb, " (rows where %s: %zu of %zu kept)", im->opts->where,
                   im->n_rows, im->where_total);
  if (im->notes.len)
    l4px_sb_printf(&sb, "; %s", im->notes.buf);
  free(spec->provenance);
  spec->provenance = l4px_sb_detach(&sb);
  if (!spec->provenance || l4px_sb_failed(&im->notes))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* ---- front door ---- */

static bool file_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* FeatureModel.xml beside the table (heap path), or NULL. */
static char *model_beside(const char *table_path)
{
  char *dir = l4px_dirname(table_path);
  char *fm = dir ? l4px_path_join(dir, "FeatureModel.xml") : NULL;
  free(dir);
  if (fm && !file_exists(fm)) {
    free(fm);
    fm = NULL;
  }
  return fm;
}

/* Does the header line mark objectives with a MOOT '-'/'+' suffix? */
static bool moot_header(const char *table_path)
{
  FILE *f = fopen(table_path, "r");
  if (!f)
    return false;
  char line[8192];
  bool moot = false;
  if (fgets(line, sizeof line, f)) {
    size_t commas = 0, semis = 0;
    for (char *p = line; *p; p++) {
      commas += *p == ',';
      semis += *p == ';';
    }
    char delim = semis > commas ? ';' : ',';
    for (char *p = line; *p && !moot;) {
      char *end = p + strcspn(p, (char[]){delim, '\r', '\n', '\0'});
      char *q = end;
      while (q > p && isspace((unsigned char)q[-1]))
        q--;
      if (q - p > 1 && (q[-1] == '-' || q[-1] == '+'))
        moot = true;
      p = *end == delim ? end + 1 : end + strlen(end);
    }
  }
  fclose(f);
  return moot;
}

/* splc when a feature model is named or FeatureModel.xml lies beside
 * the table, moot when a header name ends in '-' or '+', else csv. */
enum l4p_import_format l4p_import_guess(const char *table_path,
                                        const char *feature_model)
{
  if (feature_model && *feature_model)
    return L4P_IMPORT_SPLC;
  char *fm = model_beside(table_path);
  free(fm);
  if (fm)
    return L4P_IMPORT_SPLC;
  return moot_header(table_path) ? L4P_IMPORT_MOOT : L4P_IMPORT_CSV;
}

/* Dispatch to the format's importer; on failure nothing is returned. */
l4p_status l4p_import(const char *table_path,
                      const struct l4p_import_opts *opts,
                      struct l4p_spec **spec, struct l4p_table **table)
{
  static const struct l4p_import_opts defaults;
  *spec = NULL;
  *table = NULL;
  if (!opts)
    opts = &defaults;
  if (!table_path)
    return l4p_failf(L4P_EUSAGE, "import: no table given");
  enum l4p_import_format format = opts->format;
  if (format == L4P_IMPORT_AUTO)
    format = l4p_import_guess(table_path, opts->feature_model);
  l4p_status st;
  switch (format) {
  case L4P_IMPORT_CSV:
    st = l4p__import_csv(table_path, opts, spec, table);
    break;
  case L4P_IMPORT_MOOT:
    st = l4p__import_moot(table_path, opts, spec, table);
    break;
  case L4P_IMPORT_SPLC: {
    char *fm = opts->feature_model && *opts->feature_model
                   ? strdup(opts->feature_model)
                   : model_beside(table_path);
    if (!fm)
      return l4p_failf(L4P_EUSAGE,
                       "%s: no FeatureModel.xml beside it; name "
                       "the feature model",
                       table_path);
    st = l4p__import_splc(table_path, fm, opts, spec, table);
    free(fm);
    break;
  }
  default:
    return l4p_failf(L4P_EUSAGE, "import: unknown format %d", (int)format);
  }
  if (st) {
    l4p_spec_free(*spec);
    l4p_table_free(*table);
    *spec = NULL;
    *table = NULL;
  }
  return st;
}
