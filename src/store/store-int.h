/* Internals shared by the results store's files: the handle, SQLite error
 * and transaction helpers, and the config <-> JSON conversion. Only
 * src/store/ includes this header; everything else goes through
 * include/llm4perf/store.h. */
#ifndef L4P_STORE_INT_H
#define L4P_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "llm4perf/space.h"
#include "llm4perf/store.h"

/* SQL for the current time as ISO 8601 UTC with milliseconds, the format
 * of every time column. */
#define L4P__STORE_NOW "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

struct l4p_store {
  sqlite3 *db;
  char *path;         /* as given to l4p_store_open, for messages */
  int opened_version; /* user_version found before migrating */
};

/* Set this thread's error to "store 'PATH': WHAT: <sqlite message>" and
 * return L4P_ESTORE. Call it before any rollback, which would replace
 * SQLite's message. */
l4p_status l4p__store_fail(struct l4p_store *store, const char *what);

/* Prepare sql on the store's connection; ESTORE naming what on failure. */
l4p_status l4p__store_prepare(struct l4p_store *store, const char *sql,
                              sqlite3_stmt **stmt, const char *what);

/* Run one or more statements that return no rows. */
l4p_status l4p__store_exec(struct l4p_store *store, const char *sql,
                           const char *what);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Writers take the write lock at the
 * start so two processes sharing a database never deadlock upgrading a
 * read lock (they wait up to the busy timeout instead). Rollback is a
 * no-op outside a transaction and keeps the current error message. */
l4p_status l4p__store_begin(struct l4p_store *store, const char *what);
l4p_status l4p__store_commit(struct l4p_store *store, const char *what);
void l4p__store_rollback(struct l4p_store *store);

/* ESTORE "no campaign N" unless the campaign exists. */
l4p_status l4p__store_check_campaign(struct l4p_store *store, int64_t campaign);

/* Mark the campaign as touched now (campaign.updated). */
l4p_status l4p__store_touch(struct l4p_store *store, int64_t campaign);

/* Append an event inside whatever transaction is open; campaign <= 0
 * logs an event about the store as a whole. */
l4p_status l4p__store_add_event(struct l4p_store *store, int64_t campaign,
                                const char *kind, const char *message);

/* cfg as the JSON object {"option": value} kept in configuration's
 * config_json: numbers for bool/int/float, labels for enums. Heap string
 * (free() it); EDOMAIN for a value that cannot be written, ENOMEM. */
l4p_status l4p__store_config_json(const struct l4p_space *space,
                                  const double *cfg, char **json);

/* Read config_json back into cfg (n_options doubles), matching options by
 * name so the column order never matters. ESTORE naming the configuration
 * row when an option is unknown, missing or holds a bad value. */
l4p_status l4p__store_config_parse(const struct l4p_space *space,
                                   const char *json, int64_t row, double *cfg);

/* Step stmt, whose rows are (configuration id, config_json), and read
 * each configuration into a growing n x n_options array (free() it; NULL
 * when there are no rows). Finalizes nothing: the caller owns stmt. */
l4p_status l4p__store_fetch_configs(struct l4p_store *store, sqlite3_stmt *stmt,
                                    const struct l4p_space *space,
                                    double **cfgs, size_t *n);

/* The seq the next configuration added to the campaign gets. */
l4p_status l4p__store_next_seq(struct l4p_store *store, int64_t campaign,
                               int64_t *seq);

#endif
