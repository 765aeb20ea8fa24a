/* Internals of the SPL Conqueror importer: the feature model as read from
 * FeatureModel.xml (splc_model.c), the translation of its constraint text
 * into llm4perf expressions (splc_expr.c) and numeric domains from
 * min/max/step functions (splc_domain.c); splc.c puts them together. */
#ifndef L4P_IMPORT_SPLC_INT_H
#define L4P_IMPORT_SPLC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/space.h"
#include "llm4perf/status.h"
#include "import-int.h"
#include "util/strbuf.h"

struct l4p__splc_list {
  size_t n;
  char **items;
};

/* A binary option (<binaryOptions><configurationOption>). */
struct l4p__splc_binary {
  char *name;
  char *parent; /* "" when it has none */
  bool optional;
  struct l4p__splc_list children; /* <children><option> */
  struct l4p__splc_list implied;  /* <impliedOptions><options> */
  struct l4p__splc_list excluded; /* <excludedOptions><options> */
  int line;
};

/* A numeric option; the domain texts are kept raw for splc_domain.c. */
struct l4p__splc_numeric {
  char *name;
  char *parent;
  char *min, *max; /* minValue / maxValue, NULL when absent */
  char *step;      /* stepFunction, NULL when absent */
  char *values;    /* <values>a;b;c</values>, NULL when absent */
  char *deflt;     /* defaultValue, NULL when absent */
  int line;
};

enum l4p__splc_ckind { L4P__SPLC_BOOLEAN, L4P__SPLC_NUMERIC, L4P__SPLC_MIXED };

struct l4p__splc_constraint {
  enum l4p__splc_ckind kind;
  char *text;
  bool require_all; /* mixed: req="all": only when its binaries are on */
  bool negated;     /* mixed: exprKind="neg" */
  int line;
};

struct l4p__splc_model {
  char *name; /* <vm name="..."> */
  size_t n_bin, n_num, n_con;
  struct l4p__splc_binary *bin;
  struct l4p__splc_numeric *num;
  struct l4p__splc_constraint *con;
};

/* Read an SPL Conqueror variability model. EIO when path cannot be
 * read, EPARSE "path:line: ..." for malformed XML or model. Release m
 * with l4p__splc_release whatever the result. */
l4p_status l4p__splc_read(const char *path, struct l4p__splc_model *m);
void l4p__splc_release(struct l4p__splc_model *m);

/* Append the expression standing for option name to out (a single name,
 * "1", or a parenthesised comparison); false when name is unknown.
 * *binary tells whether it is a binary option (for mixed constraints). */
typedef bool (*l4p__splc_resolve)(void *ctx, const char *name,
                                  struct l4px_sb *out, bool *binary);

/* Translate SPL Conqueror constraint text (| & ! => = and comparisons,
 * arithmetic, parentheses) into llm4perf's expression syntax. When
 * binaries is not NULL, the resolved binary options are appended to it
 * joined by " && ". EPARSE with a message naming the bad token. */
l4p_status l4p__splc_translate(const char *text, l4p__splc_resolve resolve,
                               void *ctx, struct l4px_sb *out,
                               struct l4px_sb *binaries);

/* The sorted values of a numeric option from its model (values list, or
 * minValue/maxValue/stepFunction). *additive is set when the values form
 * the grid min + i*step with step in *step. Errors name path:line. */
l4p_status l4p__splc_domain(const struct l4p__splc_numeric *num,
                            const char *path, double **values, size_t *n,
                            bool *additive, double *step);

/* One SPL Conqueror import in progress (splc.c builds the options,
 * splc_rules.c the constraints and the table rows). */
enum l4p__splc_bin_kind {
  L4P__BIN_PLAIN,  /* a bool option */
  L4P__BIN_ALWAYS, /* mandatory and always on: not an option */
  L4P__BIN_GROUP,  /* parent of an alternative group: an enum option */
  L4P__BIN_CHILD   /* member of an alternative group: a label of its enum */
};

struct l4p__splc_bin {
  enum l4p__splc_bin_kind kind;
  int col;    /* CSV column, -1 when absent */
  int parent; /* index of the parent binary option, -1 for none */
  int group;  /* GROUP: its group; CHILD: the group it is in; else -1 */
  int label;  /* CHILD: its label index among the group's members */
  int option; /* PLAIN, GROUP: index in the space; else -1 */
  int always; /* memo for the always-on analysis: -1 not computed */
};

struct l4p__splc_group {
  size_t parent; /* binary option index */
  size_t n;      /* members */
  size_t *kids;  /* binary option indices, in model order */
  bool has_none; /* label 0 is "none": the parent is not always on */
};

struct l4p__splc_num {
  int col;
  int option;
  struct l4p_option opt; /* the domain, measured values included */
};

struct l4p__splc {
  struct l4p__import im;
  struct l4p__splc_model m;
  const char *fm;             /* model path, for messages */
  struct l4p__splc_bin *bins; /* m.n_bin */
  struct l4p__splc_group *groups;
  size_t n_groups;
  struct l4p__splc_num *nums; /* m.n_num */
  struct l4p_spec *spec;
};

/* Index of the binary / numeric option called name, or -1. */
int l4p__splc_find_bin(const struct l4p__splc *s, const char *name);
int l4p__splc_find_num(const struct l4p__splc *s, const char *name);

/* Add the constraints: parents, implied and excluded options, and the
 * model's own constraint texts (translated). Errors name model lines. */
l4p_status l4p__splc_constraints(struct l4p__splc *s);

/* Fill table with the kept rows; rows breaking a constraint are dropped
 * (and noted). Errors name path:line and the column. */
l4p_status l4p__splc_rows(struct l4p__splc *s, struct l4p_table *table);

/* v rounded to 12 significant digits, so generated grids and measured
 * values compare equal (0.1 * 3 against 0.3). */
double l4p__splc_round(double v);

#endif
