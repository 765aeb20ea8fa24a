/* Measured tables: the ground truth of a table-backed system. One row per
 * distinct configuration with every objective's value; rows measured more
 * than once in the source are averaged and counted.
 *
 * On disk a table is a CSV whose header names the spec's options and
 * objectives (any order, extra columns ignored) and whose cells hold values
 * in their text form (see l4p_value_parse). */
#ifndef LLM4PERF_TABLE_H
#define LLM4PERF_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/spec.h"
#include "llm4perf/status.h"

struct l4p_table {
  size_t n_rows, n_options, n_objectives;
  double *configs; /* n_rows x n_options */
  double *values;  /* n_rows x n_objectives; NAN when not measured */
  unsigned *count; /* source rows averaged into each row */
  size_t n_merged; /* source rows merged into an earlier identical one */
  struct l4p_table_index *index; /* configuration -> row lookup */
};

/* An empty table shaped for spec; NULL when out of memory. */
struct l4p_table *l4p_table_new(const struct l4p_spec *spec);
void l4p_table_free(struct l4p_table *table);

/* Add one measured row; an identical configuration already present is
 * averaged with it (its count grows). */
l4p_status l4p_table_add(struct l4p_table *table, const struct l4p_spec *spec,
                         const double *cfg, const double *values);

/* Load the CSV at path for spec. Each cell is checked against its option's
 * domain: errors name path:line and the option. */
l4p_status l4p_table_load(const struct l4p_spec *spec, const char *path,
                          struct l4p_table **table);
/* Load the table named by the spec's table oracle ("oracle.path"). */
l4p_status l4p_table_load_for(const struct l4p_spec *spec,
                              struct l4p_table **table);
/* Write the table as CSV (options then objectives), atomically. */
l4p_status l4p_table_save(const struct l4p_table *table,
                          const struct l4p_spec *spec, const char *path);

/* Row holding exactly cfg, or -1. */
long l4p_table_find(const struct l4p_table *table, const double *cfg);
/* Row nearest to cfg (l4p_space_distance) among rows with taken[row]
 * false (taken may be NULL); ties go to the lowest row. -1 when all rows
 * are taken. */
long l4p_table_nearest(const struct l4p_table *table,
                       const struct l4p_space *space, const double *cfg,
                       const bool *taken);

#endif
