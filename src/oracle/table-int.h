/* Internals of measured tables: the hash index from an exact configuration
 * to its row (table_index.c), used by table.c for O(1) average lookups and
 * for merging duplicate rows as they are added. */
#ifndef L4P_ORACLE_TABLE_INT_H
#define L4P_ORACLE_TABLE_INT_H

#include <stddef.h>

#include "llm4perf/status.h"

struct l4p_table_index;

/* An empty index over configurations of n_options values; NULL on ENOMEM. */
struct l4p_table_index *l4p__table_index_new(size_t n_options);
void l4p__table_index_free(struct l4p_table_index *ix);

/* Row of configs (row-major, n_options per row) equal to cfg, or -1.
 * Values compare with ==, so -0.0 and 0.0 are the same value. */
long l4p__table_index_find(const struct l4p_table_index *ix,
                           const double *configs, const double *cfg);

/* Record that row of configs holds its configuration (not yet indexed).
 * ENOMEM when the index cannot grow; the index is unchanged then. */
l4p_status l4p__table_index_insert(struct l4p_table_index *ix,
                                   const double *configs, long row);

#endif
