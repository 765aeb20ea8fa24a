/* Internals of the command oracle (docs/LIVE.md), split by concept:
 * command_load.c reads the spec's "oracle" object into a struct cmd_def,
 * command_argv.c turns templates and a configuration into an argv,
 * command_expr.c computes objectives from metrics, command_metrics.c
 * reads the metrics of a finished run, command_run.c runs the program
 * once, command_setup.c prepares inputs, and command_oracle.c is the
 * oracle itself (warm-up, repetitions, medians). */
#ifndef L4P_ORACLE_COMMAND_INT_H
#define L4P_ORACLE_COMMAND_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/oracle.h"
#include "util/spawn_measure.h"

/* Metrics every run has, in this order at the start of the metric list
 * (tag-cmd-builtins: keep docs/LIVE.md in step). */
enum cmd_builtin {
  CMD_WALL_S,     /* wall-clock time, seconds */
  CMD_USER_S,     /* user CPU time, seconds */
  CMD_SYS_S,      /* system CPU time, seconds */
  CMD_CPU_S,      /* user + system */
  CMD_MAX_RSS_KB, /* peak resident memory, KiB */
  CMD_N_BUILTINS
};

enum cmd_metric_kind {
  CMD_METRIC_BUILTIN,
  CMD_METRIC_FILE,
  CMD_METRIC_STDOUT,
  CMD_METRIC_STDERR
};

struct cmd_metric {
  char *name;
  enum cmd_metric_kind kind;
  char *text; /* FILE: path template; STDOUT/STDERR: the pattern */
  regex_t re; /* STDOUT/STDERR, compiled REG_EXTENDED | REG_NEWLINE */
  bool compiled;
};

/* An objective's formula over metrics, in postfix order. */
enum cmd_op_kind {
  CMD_OP_NUM,
  CMD_OP_METRIC,
  CMD_OP_ADD,
  CMD_OP_SUB,
  CMD_OP_MUL,
  CMD_OP_DIV,
  CMD_OP_NEG
};
struct cmd_op {
  enum cmd_op_kind kind;
  double num;    /* NUM */
  size_t metric; /* METRIC: index in cmd_def.metrics */
};
struct cmd_expr {
  char *text; /* as written, for messages */
  struct cmd_op *ops;
  size_t n_ops;
};

/* A setup command: run in the input directory unless all of creates
 * exist there already. */
struct cmd_setup {
  char **argv;    /* templates, NULL-terminated */
  char **creates; /* file names relative to the input directory */
  size_t n_creates;
  double timeout_s;
};

/* The whole "oracle" object, checked. */
struct cmd_def {
  char **argv; /* templates, NULL-terminated */
  char **env;  /* "NAME=template", NULL-terminated */
  struct cmd_setup *setup;
  size_t n_setup;
  struct cmd_metric *metrics; /* the builtins, then the spec's */
  size_t n_metrics;
  struct cmd_expr *objectives; /* one per spec objective, in order */
  double timeout_s, grace_s;
  unsigned warmup, repetitions, max_repetitions;
  double max_rsd; /* repeat while an objective's RSD is above; 0:
                           never beyond repetitions */
  bool keep;      /* keep each run's scratch directory */
};

/* What placeholders stand for. Directories are absolute. */
struct cmd_vars {
  const char *workdir; /* the run's scratch directory; NULL in setup */
  const char *inputdir;
  const char *specdir;
  const char *self; /* the llm4perf program */
  const struct l4p_space *space;
  const double *cfg; /* the configuration; NULL in setup */
};

/* Read spec's oracle description into def (zeroed first; release it with
 * l4p__cmd_release, also after a failure). EPARSE/EUSAGE with the place
 * in the spec file. */
l4p_status l4p__cmd_load(const struct l4p_spec *spec, struct cmd_def *def);
void l4p__cmd_release(struct cmd_def *def);

/* Compile text into e over def's metrics. EPARSE with the column and
 * what is wrong, without the objective's name (the caller adds it). */
l4p_status l4p__cmd_expr_compile(const char *text, const struct cmd_def *def,
                                 struct cmd_expr *e);
/* Value of e for the metric values given (NAN on division by zero or a
 * NAN metric). */
double l4p__cmd_expr_eval(const struct cmd_expr *e, const double *metrics);
void l4p__cmd_expr_release(struct cmd_expr *e);

/* Expand the placeholders of tmpl into a new string (free() it). EUSAGE
 * naming an unknown or unavailable placeholder or a '{' left open. */
l4p_status l4p__cmd_expand(const char *tmpl, const struct cmd_vars *v,
                           char **out);
/* An argv from templates: each element expanded, "{options}" replaced by
 * the configuration's command-line arguments (none when v->cfg is NULL).
 * NULL-terminated heap array (l4px_argv_free it). */
l4p_status l4p__cmd_argv(char *const *tmpl, const struct cmd_vars *v,
                         char ***argv);
/* The text an option's value is written as: the cli.values entry of an
 * enum label, else l4p_value_format's. */
void l4p__cmd_value_text(const struct l4p_space *space, size_t i, double v,
                         char *buf, size_t size);

/* Files of one finished run. */
struct cmd_run_files {
  const char *out_path, *err_path; /* the program's stdout and stderr */
};

/* Why the run failed ("timed out after 5 s", "exit status 2: <last
 * stderr line>", "killed by signal SIGABRT (Aborted)") into why; false
 * when it did not fail. */
bool l4p__cmd_run_failed(const struct cmd_def *def,
                         const struct l4px_measure_result *res,
                         const struct cmd_run_files *files, char *why,
                         size_t size);
/* Fill metrics (def->n_metrics values) from a successful run. EORACLE
 * with the reason in this thread's error ("stderr did not match /re/",
 * "output file 'x' was not created"). */
l4p_status l4p__cmd_read_metrics(const struct cmd_def *def,
                                 const struct cmd_vars *v,
                                 const struct l4px_measure_result *res,
                                 const struct cmd_run_files *files,
                                 double *metrics);

/* The oracle's state, shared by its files. */
struct cmd_state {
  struct cmd_def def;
  const struct l4p_spec *spec;
  struct l4p_oracle_opts opts;
  char *work_dir;                        /* absolute */
  bool own_work_dir;                     /* made by us: removed on close */
  char *input_dir, *runs_dir, *spec_dir; /* absolute */
  double *metrics;                       /* def.n_metrics, scratch */
  double *reps;                          /* the last batch's repetitions */
  size_t reps_cap;
};

/* A run's scratch directory under runs/: the program's stdout and stderr
 * files and its working directory work/. */
struct cmd_scratch {
  char *dir, *work, *out, *err;
};
/* Make a fresh scratch directory named prefixXXXXXX. EIO, ENOMEM. */
l4p_status l4p__cmd_scratch_open(const struct cmd_state *s, const char *prefix,
                                 struct cmd_scratch *sc);
/* Remove it (unless runs are kept) and free the names. */
void l4p__cmd_scratch_close(const struct cmd_state *s, struct cmd_scratch *sc);

/* Run the program once on cfg in a fresh scratch directory and compute
 * the objectives into values. L4P_OK when it ran and every objective has
 * a finite value; EORACLE with the reason in why when the run failed;
 * other codes, with this thread's error, when the oracle itself is broken
 * (EIO making a directory, ENOMEM). */
l4p_status l4p__cmd_run(struct cmd_state *s, const double *cfg, double *values,
                        char *why, size_t size);

/* Run the setup commands whose outputs are missing, in order. EORACLE
 * naming the command and why when one fails or does not create what it
 * declares. */
l4p_status l4p__cmd_setup(struct cmd_state *s);

/* The placeholders' values for cfg (NULL in setup) and the run's scratch
 * directory workdir (NULL in setup). */
struct cmd_vars l4p__cmd_vars(const struct cmd_state *s, const double *cfg,
                              const char *workdir);

/* Start and supervise argv like l4px_spawn_measure, with s's environment
 * templates expanded against v. */
l4p_status l4p__cmd_spawn(const struct cmd_state *s, const struct cmd_vars *v,
                          char *const *argv,
                          const struct l4px_measure_opts *opts,
                          struct l4px_measure_result *res);

#endif
