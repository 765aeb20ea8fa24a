/* Configuration spaces: options with typed domains, constraints between
 * them, and the operations samplers and models need (validate, repair,
 * uniform valid draws, enumeration, exact counting, encoding, distance).
 *
 * Invariants:
 * - A configuration is an array of doubles, one per option, in option
 *   order. Bool options hold 0 or 1, int and float options their value,
 *   enum options the index of their label.
 * - Numeric domains are either a sorted list of allowed values
 *   (n_values > 0) or a range [min, max] with a step (step 0: continuous).
 * - A fixed option (pruned) always holds fixed_value; samplers vary only
 *   free options, and validation rejects other values for fixed ones.
 * - Constraints are boolean expressions over option names (see
 *   docs/SPEC.md); a configuration is valid when every value is in its
 *   domain and every constraint holds. */
#ifndef LLM4PERF_SPACE_H
#define LLM4PERF_SPACE_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/rng.h"
#include "llm4perf/status.h"

enum l4p_option_type { L4P_OPT_BOOL, L4P_OPT_INT, L4P_OPT_FLOAT, L4P_OPT_ENUM };

/* How an option appears on a command line (used by live measurement). */
enum l4p_cli_form {
  L4P_CLI_NONE,    /* not passed on the command line */
  L4P_CLI_SWITCH,  /* bool: "flag" when true, "false_flag" (if any) else */
  L4P_CLI_VALUE,   /* "flag" then the value as a separate argument */
  L4P_CLI_EQUALS,  /* "flag=value" as one argument */
  L4P_CLI_ATTACHED /* "flagvalue" as one argument, e.g. -L9 */
};

struct l4p_cli {
  char *flag;       /* NULL when form is L4P_CLI_NONE */
  char *false_flag; /* SWITCH only: passed when false, may be NULL */
  enum l4p_cli_form form;
  bool omit_default; /* leave the option off when it holds its default */
  char **values;     /* enum only, or NULL: the text passed for each label
                       (n_values entries; a NULL entry passes the label) */
};

struct l4p_option {
  char *name;
  enum l4p_option_type type;
  size_t n_values; /* enum labels, or allowed numeric values (sorted) */
  char **labels;   /* enum only */
  double *values;  /* int/float with a value list only */
  double min, max; /* numeric range (also set from a value list) */
  double step;     /* range step; 0 = continuous (float only) */
  double default_value;
  char *doc; /* documentation text, may be NULL */
  struct l4p_cli cli;
  bool fixed;
  double fixed_value;
};

struct l4p_space;

/* Create an empty space; NULL when out of memory. */
struct l4p_space *l4p_space_new(void);
void l4p_space_free(struct l4p_space *space);
/* Deep copy (options, constraints, fixed values); NULL when out of memory. */
struct l4p_space *l4p_space_clone(const struct l4p_space *space);

/* Add a copy of opt. Checks the name is new and well-formed, the domain
 * non-empty and ordered, and the default inside it (EDOMAIN/EUSAGE). */
l4p_status l4p_space_add_option(struct l4p_space *space,
                                const struct l4p_option *opt);

/* Add the constraint written as text, e.g. "bframes > 0 || !b_pyramid".
 * EPARSE names the column of a syntax error, EUSAGE an unknown option or
 * enum label. */
l4p_status l4p_space_add_constraint(struct l4p_space *space, const char *text);

size_t l4p_space_n_options(const struct l4p_space *space);
const struct l4p_option *l4p_space_option(const struct l4p_space *space,
                                          size_t i);
/* Index of the option called name, or -1. */
int l4p_space_find(const struct l4p_space *space, const char *name);
size_t l4p_space_n_constraints(const struct l4p_space *space);
const char *l4p_space_constraint_text(const struct l4p_space *space, size_t i);

/* Hold option i at value (pruning); value must be in its domain. */
l4p_status l4p_space_fix(struct l4p_space *space, size_t i, double value);
/* Make option i free again. */
void l4p_space_unfix(struct l4p_space *space, size_t i);
/* Number of options that are not fixed. */
size_t l4p_space_n_free(const struct l4p_space *space);

/* Number of distinct values of option i: 2 for bool, label count for
 * enum, list length or range points for numeric; 0 for continuous. */
size_t l4p_option_cardinality(const struct l4p_option *opt);
/* The k-th value of option i (0 <= k < cardinality), in order. */
double l4p_option_value_at(const struct l4p_option *opt, size_t k);
/* Index of the nearest allowed value to v (cardinality must be > 0). */
size_t l4p_option_nearest_index(const struct l4p_option *opt, double v);
/* Snap v to the nearest allowed value of the option (clamped). */
double l4p_option_snap(const struct l4p_option *opt, double v);
/* Is v exactly an allowed value of the option? */
bool l4p_option_contains(const struct l4p_option *opt, double v);

/* Parse the text form of a value of option i ("true", "3", "dia"...).
 * EDOMAIN names the option and value when it is not allowed. */
l4p_status l4p_value_parse(const struct l4p_space *space, size_t i,
                           const char *text, double *value);
/* Write the text form of value into buf (always NUL-terminated). */
void l4p_value_format(const struct l4p_space *space, size_t i, double value,
                      char *buf, size_t size);

/* Fill cfg with every option's default (or fixed) value. */
void l4p_space_default_config(const struct l4p_space *space, double *cfg);

/* L4P_OK when cfg is valid; else EDOMAIN naming the first option with a
 * bad value, or ECONSTR quoting the first violated constraint. */
l4p_status l4p_space_validate(const struct l4p_space *space, const double *cfg);
/* Does cfg satisfy every constraint (domains not checked)? */
bool l4p_space_satisfies(const struct l4p_space *space, const double *cfg);

/* Turn cfg into a nearby valid configuration: values are snapped into their
 * domains, fixed options reset, then constraint violations repaired with
 * the fewest option changes found (exactly nearest when the constrained
 * options are few enough to enumerate). ECONSTR when no valid
 * configuration can be found (unsatisfiable constraints). */
l4p_status l4p_space_repair(const struct l4p_space *space, double *cfg);

/* Draw a configuration uniformly among the valid ones (exactly uniform
 * when each group of options linked by constraints is small enough to
 * enumerate, by rejection otherwise). Continuous floats are drawn
 * uniformly in their range. ECONSTR when no valid configuration exists. */
l4p_status l4p_space_sample_uniform(const struct l4p_space *space,
                                    struct l4p_rng *rng, double *cfg);

/* ECONSTR when the constraints provably admit no configuration (a group
 * of constrained options with no valid combination); *constraint gets the
 * index of a constraint involved. L4P_OK otherwise. */
l4p_status l4p_space_check_satisfiable(const struct l4p_space *space,
                                       size_t *constraint);

/* The exact number of valid configurations of the free options. */
struct l4p_space_size {
  bool infinite; /* a free continuous float option */
  bool exact;    /* false when a constrained group was too big to
                      enumerate and the count is an upper bound */
  char *decimal; /* exact count in decimal (free() it) */
  double approx; /* the same as a double (may be inf for huge spaces) */
};
l4p_status l4p_space_count(const struct l4p_space *space,
                           struct l4p_space_size *size);

/* All valid configurations, in a fixed order (the first unconstrained
 * option varies slowest),
 * into a new n x n_options array (free() it). EUSAGE when there are more
 * than limit or the space has continuous options. */
l4p_status l4p_space_enumerate(const struct l4p_space *space, size_t limit,
                               double **cfgs, size_t *n);

/* Numeric feature vectors for models: bool 0/1, numeric values as they are,
 * enum one-hot (one feature per label). */
size_t l4p_space_n_features(const struct l4p_space *space);
void l4p_space_encode(const struct l4p_space *space, const double *cfg,
                      double *features);
/* Back from features: numeric values snapped, enum by largest feature. */
void l4p_space_decode(const struct l4p_space *space, const double *features,
                      double *cfg);
/* Name of feature j: the option name, or "option=label" for enums. */
void l4p_space_feature_name(const struct l4p_space *space, size_t j, char *buf,
                            size_t size);

/* Distance between configurations: the sum over options of 0/1 for a
 * different bool or enum value and |a-b| / (max-min) for numbers, so each
 * option contributes at most 1. */
double l4p_space_distance(const struct l4p_space *space, const double *a,
                          const double *b);

/* A canonical text key of cfg ("1,0,23,dia"), used to recognise the same
 * configuration across runs. Heap string (free() it); NULL when out of
 * memory. */
char *l4p_space_config_key(const struct l4p_space *space, const double *cfg);
/* Read a key written by l4p_space_config_key back into cfg; EPARSE or
 * EDOMAIN when it does not fit the space. */
l4p_status l4p_space_config_from_key(const struct l4p_space *space,
                                     const char *key, double *cfg);

#endif
