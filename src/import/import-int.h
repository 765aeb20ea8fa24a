/* Internals shared by the importers (csv.c, moot.c, splc*.c): one import's
 * working state over the raw table, the column roles every format assigns
 * (option, objective, ignored, filtered by --where), the objective-list
 * parser, the type inference of option columns (infer.c) and the flat
 * builder that csv and moot share (flat.c). */
#ifndef L4P_IMPORT_INT_H
#define L4P_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/import.h"
#include "util/csv.h"
#include "util/strbuf.h"

/* What a column of the raw table becomes. */
enum l4p__role {
  L4P__COL_OPTION,    /* an option (possibly merged into a one-hot enum) */
  L4P__COL_OBJECTIVE, /* an objective */
  L4P__COL_IGNORE,    /* dropped: --ignore, MOOT 'X', dropped by a format */
  L4P__COL_WHERE,     /* used by --where to pick rows, then dropped */
  L4P__COL_MODEL      /* splc: read through the feature model */
};

/* How an option column's type may be inferred. */
enum l4p__kind {
  L4P__KIND_ANY,     /* bool, int, float or enum from the values */
  L4P__KIND_NUMERIC, /* bool when every cell is 0 or 1, else int or
                         float; other cells are errors */
  L4P__KIND_SYMBOLIC /* bool when 0/1, else enum */
};

struct l4p__column {
  enum l4p__role role;
  enum l4p__kind kind;
  char *name;         /* option/objective name (heap); NULL: header's */
  enum l4p_goal goal; /* objectives */
  int rank;           /* objectives: order in the spec (lowest first) */
};

/* One import in progress. */
struct l4p__import {
  const char *path;                   /* the table, for messages */
  const struct l4p_import_opts *opts; /* never NULL (defaults filled) */
  struct l4px_csv csv;
  struct l4p__column *cols; /* csv.n_cols entries */
  size_t *rows;             /* rows kept by --where, in order */
  size_t n_rows;
  size_t where_total; /* rows before --where; 0: none */
  size_t *obj_cols;   /* objective columns in spec order */
  size_t n_obj;
  struct l4px_sb notes; /* provenance details, "; "-joined */
};

/* One entry of an objective list such as "time,energy:min,psnr:max". */
struct l4p__objective_req {
  char *name;
  enum l4p_goal goal;
  bool goal_given;
  bool used;
};

struct l4p__objective_list {
  size_t n;
  struct l4p__objective_req *items;
};

/* import.c: shared steps ---------------------------------------------- */

/* Read the table and apply --where (rows kept, columns marked WHERE) and
 * --ignore (columns marked IGNORE; a name matches the header or the header
 * without a MOOT suffix). Errors name the unknown column. Release im with
 * l4p__import_release whatever the result. */
l4p_status l4p__import_open(struct l4p__import *im, const char *path,
                            const struct l4p_import_opts *opts);
void l4p__import_release(struct l4p__import *im);

/* Column called name: the exact header, else the header without its
 * MOOT suffix ('-', '+', 'X'); -1 when there is none. */
int l4p__find_column(const struct l4p__import *im, const char *name);

/* Split a comma list into trimmed heap items (empty ones kept); NULL on
 * ENOMEM. Free with l4p__free_list. */
char **l4p__split_list(const char *text, size_t *n);
void l4p__free_list(char **items, size_t n);

/* Name of column c as it appears in the spec. */
const char *l4p__column_name(const struct l4p__import *im, size_t c);

/* Cell of kept row k (0 <= k < n_rows), column c, and its line number. */
const char *l4p__cell(const struct l4p__import *im, size_t k, size_t c);
int l4p__line(const struct l4p__import *im, size_t k);

/* Append a provenance note (printf-style). */
void l4p__note(struct l4p__import *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse "a,b:max,c:min" (NULL or "" gives an empty list). EUSAGE on an
 * empty name or a goal other than min/max. */
l4p_status l4p__objectives_parse(const char *text,
                                 struct l4p__objective_list *list);
void l4p__objectives_release(struct l4p__objective_list *list);
/* The entry called name, or NULL. */
struct l4p__objective_req *l4p__objectives_get(struct l4p__objective_list *list,
                                               const char *name);

/* A new spec named opts->name, else default_name, else after the table's
 * file name, with a table oracle whose path is still null. */
l4p_status l4p__import_spec(struct l4p__import *im, const char *default_name,
                            struct l4p_spec **spec);
/* Set spec's provenance to "<what> <source>[; notes]". */
l4p_status l4p__import_provenance(struct l4p__import *im, const char *what,
                                  struct l4p_spec *spec);

/* Mark the column of the list's objective number rank (its name, exact)
 * as that objective. EUSAGE when no column has the name or the column is
 * a feature-model option, ignored or filtered. */
l4p_status l4p__mark_objective(struct l4p__import *im,
                               const struct l4p__objective_list *list,
                               size_t rank);

/* Add the objective columns to spec in rank order, then column order;
 * EUSAGE when there is none. */
l4p_status l4p__add_objectives(struct l4p__import *im, struct l4p_spec *spec);
/* Parse objective cells of kept row k into values (spec order); empty,
 * "nan" and "NA" cells become NAN. EPARSE names path:line and column. */
l4p_status l4p__row_objectives(const struct l4p__import *im, size_t k,
                               double *values);

/* "a/b.csv" for "/x/y/a/b.csv": enough of a path to name a dataset. */
const char *l4p__short_path(const char *path);

/* where.c: --where ---------------------------------------------------- */

/* Keep the rows of im meeting every condition of where ("COL OP VALUE,
 * ..."; see where.c) and mark the columns tested only for equality as
 * L4P__COL_WHERE. EUSAGE names the condition (and column) that is
 * malformed, unknown, orders text or matches no row. */
l4p_status l4p__apply_where(struct l4p__import *im, const char *where);

/* infer.c: type inference --------------------------------------------- */

/* The option a column's cells describe (see infer.c for the rules). On
 * success *constant tells the column holds one value (opt is then still
 * filled). The option's strings are heap copies: l4p__option_free. */
l4p_status l4p__infer_option(const struct l4p__import *im, size_t col,
                             enum l4p__kind kind, struct l4p_option *opt,
                             bool *constant);
void l4p__option_free(struct l4p_option *opt);

/* The value of the text cell for an option inferred by l4p__infer_option
 * (label index for enums); false when the cell is not in its domain. */
bool l4p__infer_value(const struct l4p_option *opt, const char *cell,
                      double *value);

/* Is the cell a bool ("0", "1", "true", "false"...)? Its value in *v. */
bool l4p__bool_cell(const char *cell, double *v);

/* Sort labels: numbers numerically before other text, text by strcmp. */
int l4p__label_cmp(const char *a, const char *b);

/* onehot.c: one-hot column groups of flat tables --------------------- */

/* 0/1 columns that spell one choice; see onehot.c for the rules. */
struct l4p__onehot {
  char *name;        /* the enum's name (heap) */
  size_t prefix_len; /* a label is a member's name after this many chars */
  bool none;         /* some rows have no member at 1: label "none" first */
  size_t n;
  size_t *cols; /* member columns in column order */
  int parent;   /* column implied by the group (dropped), or -1 */
  size_t first; /* first column of members and parent: the enum's
                        place among the options */
  int option;   /* index in the space, set by the builder */
};

struct l4p__onehot_set {
  size_t n;
  struct l4p__onehot *groups;
  int *group_of; /* column -> group (members and parents), or -1 */
};

/* Find the one-hot groups among im's option columns. On failure set may
 * hold a partial result; release it with l4p__onehot_release always. */
l4p_status l4p__onehot_find(struct l4p__import *im,
                            struct l4p__onehot_set *set);
void l4p__onehot_release(struct l4p__onehot_set *set);

/* Fill opt with group g's enum (heap strings: l4p__option_free). */
l4p_status l4p__onehot_option(const struct l4p__import *im,
                              const struct l4p__onehot *g,
                              struct l4p_option *opt);

/* Label index of g in kept row k (0, "none", when no member is 1). */
double l4p__onehot_value(const struct l4p__import *im,
                         const struct l4p__onehot *g, size_t k);

/* flat.c: csv and moot ------------------------------------------------ */

/* Build spec and table from the columns' roles: one-hot groups of 0/1
 * option columns become enums (onehot.c), constant columns are dropped
 * (noted), every other option column is inferred (infer.c). */
l4p_status l4p__flat_build(struct l4p__import *im, const char *what,
                           struct l4p_spec **spec, struct l4p_table **table);

/* Format importers ---------------------------------------------------- */

l4p_status l4p__import_csv(const char *path, const struct l4p_import_opts *opts,
                           struct l4p_spec **spec, struct l4p_table **table);
l4p_status l4p__import_moot(const char *path,
                            const struct l4p_import_opts *opts,
                            struct l4p_spec **spec, struct l4p_table **table);
l4p_status l4p__import_splc(const char *path, const char *feature_model,
                            const struct l4p_import_opts *opts,
                            struct l4p_spec **spec, struct l4p_table **table);

#endif
