/* Internals of the study runner (include/llm4perf/study.h): the loaded
 * study, its grid of samples, the shared state of the worker threads,
 * and the functions the files of src/study/ give each other. The data
 * flow is load.c -> prepare.c (pruning, caches, campaigns) -> run.c
 * (workers: hyper.c, then sample_task.c with cell.c and front.c) ->
 * export.c (with diagnostics.c) and summary*.c. */
#ifndef L4P_STUDY_INT_H
#define L4P_STUDY_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "llm4perf/model.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "llm4perf/study.h"
#include "llm4perf/table.h"

/* The hyper-parameter search sample's seed is the study seed plus this,
 * far from the samplers' seeds (seed + repetition). tag-study-seeds */
#define L4P__STUDY_HYPER_SEED_OFFSET 1000003u
/* Configurations per measured and stored batch, as 'llm4perf sample'
 * (a sampler with its own batch size, llm4perf, proposes that many). */
#define L4P__STUDY_BATCH 10

/* The true Pareto front of a system's table over the studied objectives,
 * in normalised cost space (docs/STUDY.md, "Hypervolume ratio"). */
struct l4p__study_front {
  size_t n_rows, m;     /* table rows, studied objectives */
  const double *values; /* the table's values (n_rows x n_all) */
  size_t n_all;         /* the table's objectives */
  const size_t *obj;    /* m objective indices into the table */
  bool *maximize;       /* m goals */
  double *best, *scale; /* per objective: best cost and 1 / range */
  double *ref;          /* m reference values (1.1 each) */
  double hv_true;       /* hypervolume of the true front */
};

/* One system of the study with everything evaluation needs. */
struct l4p__study_system {
  char *spec_path; /* resolved against the study file */
  struct l4p_spec *spec;
  char *spec_json; /* l4p_spec_to_json, for campaign keys */
  struct l4p_table *table;
  size_t n_obj;
  size_t *obj; /* studied objectives: indices into the spec */
  size_t n_budgets;
  size_t *budgets;
  char *decisions_path; /* the system's own decisions file, or NULL */
  /* filled by prepare.c */
  struct l4p_space *pruned; /* pruned space, or NULL */
  char *prune_json;         /* l4p_prune_identity, or NULL */
  size_t n_pruned;          /* options the decisions prune */
  char *decisions_used;     /* path of the decisions file used, or NULL */
  size_t n_features;
  double *features; /* table rows encoded, n_rows x n_features */
  struct l4p__study_front front;
};

struct l4p__study_sampler {
  char *name, *label;
  char *params; /* the entry's "params" as canonical JSON */
  bool prune;   /* also run pruned */
};

struct l4p__study_model {
  char *name, *label;
  const struct l4p_model_ops *ops;
  enum l4p_model_profile profile;
  bool tune;
  bool search_per_sample; /* DeepPerf: search on each training sample,
                             not once per scenario ("search": "sample") */
  char *key;              /* canonical settings, the cells' model key */
};

struct l4p_study {
  char *path, *name;
  char *text; /* the study file, for messages */
  size_t n_systems;
  struct l4p__study_system *systems;
  size_t n_samplers;
  struct l4p__study_sampler *samplers;
  size_t n_models;
  struct l4p__study_model *models;
  size_t repetitions;
  uint64_t seed;
  char *prune_agent; /* "builtin", or NULL */
  char *baseline;    /* sampler label */
};

/* A treatment: a sampler entry, pruned or not. */
struct l4p__study_treatment {
  size_t sampler;
  bool pruned;
};

/* One sample of the grid. */
struct l4p__study_sample {
  size_t system, budget, treatment, repetition; /* budget: index */
  uint64_t seed;
  char *params;     /* the campaign's params */
  int64_t campaign; /* its id in the store (shared samples share) */
  bool first;       /* the first sample of its campaign */
  size_t sharing;   /* first sample: samples of the campaign */
};

/* DeepPerf hyper-parameters of one scenario. */
struct l4p__study_hyper {
  size_t system, objective, budget, model; /* objective: spec index,
                                              budget: index */
  bool found;
  int layers;
  double lr, lambda;
};

/* The state the worker threads share. */
struct l4p__study_run {
  struct l4p_study *study;
  char *db_path;
  size_t n_treatments;
  struct l4p__study_treatment *treatments;
  size_t n_samples;
  struct l4p__study_sample *samples;
  size_t n_hyper;
  struct l4p__study_hyper *hyper;
  /* work of the current phase: indices into hyper or samples */
  size_t n_tasks, next_task;
  size_t *tasks;
  bool phase_hyper;
  /* progress and failure, under lock */
  pthread_mutex_t lock;
  pthread_cond_t wake;
  size_t done, done_before, total, running;
  char current[256];
  bool stop;
  l4p_status failed;
  char error[1024];
};

/* load.c, load_entries.c, load_systems.c: reading the study file */
struct l4p__study_reader {
  const char *text, *path;
  char *dir; /* the study file's directory */
  struct l4p_study *st;
};
/* Fail with "path:line:col: message" at the value (or, with key, the
 * member name) at where ('/'-separated JSON path). */
l4p_status l4p__study_fail_at(const struct l4p__study_reader *rd,
                              l4p_status code, bool key, const char *where,
                              const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* EPARSE at the first member of obj not in allowed (NULL-terminated). */
l4p_status l4p__study_check_keys(const struct l4p__study_reader *rd,
                                 json_t *obj, const char *where,
                                 const char *const *allowed);
/* A strictly positive integer at where into *out (max: upper bound). */
l4p_status l4p__study_positive(const struct l4p__study_reader *rd, json_t *v,
                               const char *where, size_t max, size_t *out);
l4p_status l4p__study_load_samplers(struct l4p__study_reader *rd, json_t *root);
l4p_status l4p__study_load_pruning(struct l4p__study_reader *rd, json_t *root);
l4p_status l4p__study_load_models(struct l4p__study_reader *rd, json_t *root);
l4p_status l4p__study_load_systems(struct l4p__study_reader *rd, json_t *root);
l4p_status l4p__study_check_params(struct l4p__study_reader *rd);

/* grid.c: treatments and samples in grid order (system, budget,
 * treatment, repetition); params filled, campaigns not yet. */
l4p_status l4p__study_grid(struct l4p__study_run *run);
/* Label of treatment t ("random", "random+pruned") into buf. */
void l4p__study_treatment_name(const struct l4p__study_run *run, size_t t,
                               char *buf, size_t size);
void l4p__study_run_release(struct l4p__study_run *run);

/* prepare.c: pruning decisions (deriving missing ones into
 * out_dir/prune/), evaluation caches, and every campaign created in grid
 * order so ids do not depend on the order workers reach them. */
l4p_status l4p__study_prepare(struct l4p__study_run *run, const char *out_dir);

/* front.c */
l4p_status l4p__study_front_init(struct l4p__study_front *f,
                                 const struct l4p_spec *spec,
                                 const struct l4p_table *table,
                                 const size_t *obj, size_t m);
void l4p__study_front_release(struct l4p__study_front *f);
/* Ratio of the hypervolume of the true values of the rows whose
 * predictions (pred: n_rows x m, studied objectives in order) are Pareto
 * optimal to the true front's. *front (may be NULL) gets the new array
 * of those rows (free() it), *n_front their count. NAN ratio when the
 * true front has no volume. ENOMEM. */
l4p_status l4p__study_front_ratio(const struct l4p__study_front *f,
                                  const double *pred, double *ratio,
                                  size_t **front, size_t *n_front);

/* db.c: the study tables (docs/internals/STORE-SCHEMA.md) through a
 * connection of the study's own; the store created them. */
l4p_status l4p__study_db_open(const char *path, sqlite3 **db);
void l4p__study_db_close(sqlite3 *db);
l4p_status l4p__study_db_fail(sqlite3 *db, const char *what);

/* One evaluated cell, as stored. */
struct l4p__study_cell_row {
  size_t objective; /* spec index */
  size_t train_rows, test_rows, zero_rows;
  double rmse, nrmse, mre, seconds;
};
/* The front of one (sample, model). */
struct l4p__study_front_row {
  const char *objectives; /* "a,b,c" */
  size_t n_front;
  const size_t *front; /* table rows */
  double hv_ratio;
};
/* Store the cells and front of (campaign, model) in one transaction;
 * rows already there are kept (INSERT OR IGNORE). */
l4p_status l4p__study_db_put_unit(sqlite3 *db, int64_t campaign,
                                  const char *model,
                                  const struct l4p_spec *spec,
                                  const struct l4p__study_cell_row *cells,
                                  size_t n,
                                  const struct l4p__study_front_row *front);
/* Is the unit of (campaign, model) complete: the front over objectives
 * and one cell per objective name? */
l4p_status l4p__study_db_unit_done(sqlite3 *db, int64_t campaign,
                                   const char *model, const char *objectives,
                                   size_t n_objectives, bool *done);
/* Stored hyper-parameters of a scenario (*found tells). */
l4p_status l4p__study_db_get_hyper(sqlite3 *db, const char *system,
                                   const char *objective, size_t budget,
                                   const char *model, uint64_t seed,
                                   struct l4p__study_hyper *h);
l4p_status l4p__study_db_put_hyper(sqlite3 *db, const char *system,
                                   const char *objective, size_t budget,
                                   const char *model, uint64_t seed,
                                   size_t rows, double seconds,
                                   const struct l4p__study_hyper *h);
/* Read one stored cell (*found tells); hv_ratio from the unit's front. */
l4p_status l4p__study_db_get_cell(sqlite3 *db, int64_t campaign,
                                  const char *model, const char *objective,
                                  const char *objectives,
                                  struct l4p__study_cell_row *row,
                                  double *hv_ratio, bool *found);

/* How the study's DeepPerf models search their hyper-parameters, as a
 * phrase for the summaries: once per scenario (shared), on each training
 * sample ("search": "sample"), or both when models differ. Static text. */
const char *l4p__study_deepperf_search(const struct l4p_study *st);

/* hyper.c: one DeepPerf search (task h of run) with its own db handle */
l4p_status l4p__study_hyper_task(struct l4p__study_run *run, size_t h,
                                 sqlite3 *db);
/* The hyper-parameters for a cell; NULL when none apply. */
const struct l4p__study_hyper *
l4p__study_hyper_find(const struct l4p__study_run *run, size_t system,
                      size_t objective, size_t budget, size_t model);

/* sample_task.c: a sample's campaign and its missing units */
l4p_status l4p__study_sample_task(struct l4p__study_run *run, size_t k,
                                  struct l4p_store *store, sqlite3 *db);
/* Count the cells of the grid already stored (progress at start) and
 * list the samples whose campaign still has work. */
l4p_status l4p__study_pending(struct l4p__study_run *run, sqlite3 *db,
                              size_t *cells_done, size_t *cells_total);
/* "a,b": the studied objectives of system s (heap, free() it). */
char *l4p__study_objective_list(const struct l4p_study *st, size_t s);

/* cell.c: fit and score one (sample, model) */
l4p_status l4p__study_evaluate(const struct l4p__study_run *run, size_t k,
                               size_t model, const struct l4p_sample *sample,
                               struct l4p__study_cell_row *cells,
                               struct l4p__study_front_row *front,
                               size_t **front_rows);

/* workers.c: run the current phase's tasks on jobs threads */
l4p_status l4p__study_workers(struct l4p__study_run *run, unsigned jobs,
                              const struct l4p_study_opts *opts,
                              const char *phase);
/* Mark one unit of progress (cells of a unit, or a search) done. */
void l4p__study_progress_add(struct l4p__study_run *run, size_t n,
                             const char *current);

/* export.c: cells.csv, samples.csv and diagnostics.csv, and the cells
 * for summaries */
struct l4p__study_cells {
  size_t n;
  struct l4p_study_cell *cells; /* strings point into the study */
};
l4p_status l4p__study_export(struct l4p__study_run *run, sqlite3 *db,
                             const char *out_dir,
                             struct l4p__study_cells *cells);
void l4p__study_cells_release(struct l4p__study_cells *c);

/* diagnostics.c: diagnostics.csv at path, one row per llm4perf campaign
 * in grid order (its first sample), from study.db. ESTORE, EPARSE,
 * EIO, ENOMEM. */
l4p_status l4p__study_write_diagnostics(const struct l4p__study_run *run,
                                        const char *path);

/* summary_*.c */
l4p_status l4p__study_summary_counts(struct l4p_study_summary *s);
l4p_status l4p__study_write_md(const struct l4p_study_summary *s,
                               const struct l4p__study_run *run,
                               const char *path);
l4p_status l4p__study_write_json(const struct l4p_study_summary *s,
                                 const struct l4p__study_run *run,
                                 const char *path);
l4p_status l4p__study_write_sk_csv(const struct l4p_study_summary *s,
                                   const char *path);

/* Shortest "%.Ng" text of v that reads back exactly ("" for NaN). */
void l4p__study_fmt(double v, char *buf, size_t size);

struct l4px_sb;
/* export.c: write a table built in sb to path atomically when s is
 * L4P_OK (ENOMEM when sb ran out of memory), release sb either way;
 * returns the first failure. */
l4p_status l4p__study_write_table(struct l4px_sb *sb, const char *path,
                                  l4p_status s);

#endif
