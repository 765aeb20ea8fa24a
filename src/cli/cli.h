/* The llm4perf tool's command table, option parser and shared helpers.
 *
 * Adding a command (as git's builtin.h lists):
 *  1. write src/cli/cmd_NAME.c with int cmd_NAME(int argc, char **argv,
 *     struct cli_ctx *cli), its opts[] table and usage lines;
 *  2. declare it below;
 *  3. add one row to commands[] in main.c;
 *  4. add docs/cli/NAME.md (the synopsis is checked by a test) and a CLI
 *     test under tests/cli/. */
#ifndef L4P_CLI_H
#define L4P_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "llm4perf/status.h"
#include "llm4perf/store.h"

/* Exit codes (DESIGN.md): 0 ok, 1 failure, 2 usage error. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_ctx {
  const char *command; /* name of the running subcommand */
  bool progress;       /* stderr is a terminal: show progress lines */
};

enum cli_opt_type {
  OPT_BOOL,
  OPT_INT,
  OPT_SIZE,
  OPT_DOUBLE,
  OPT_STRING,
  OPT_LIST /* repeatable string: each use appends to a struct cli_list */
};

/* The values of a repeatable option, in command-line order (they point
 * into argv). More than CLI_LIST_MAX uses are a usage error. */
#define CLI_LIST_MAX 64
struct cli_list {
  size_t n;
  const char *items[CLI_LIST_MAX];
};

struct cli_opt {
  const char *long_name;
  char short_name; /* 0 for none */
  enum cli_opt_type type;
  void *target;         /* bool*, long*, size_t*, double*, const char**,
                            struct cli_list* */
  const char *arg_name; /* shown in help: "N", "FILE" */
  const char *help;
};

/* Parse argv against opts (terminated by a zeroed row). Positional
 * arguments are moved to the front of argv; their count is returned
 * through *n_args. "--help" prints usage and the option table to stdout
 * and returns -1 (the caller exits 0). Errors print to stderr and return
 * CLI_USAGE. Returns 0 on success. */
int cli_parse(int argc, char **argv, const struct cli_opt *opts,
              const char *const *usage, int *n_args);
/* Print usage lines and the option table to stdout. */
void cli_print_help(const struct cli_opt *opts, const char *const *usage);
/* Print "llm4perf: error: <detail>" for a failed library call; returns
 * CLI_FAIL (bad input files are failures, not usage errors). */
int cli_fail(l4p_status st);
/* Print "llm4perf <cmd>: <message>" as a usage error; returns CLI_USAGE. */
int cli_usage_error(const struct cli_ctx *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Read the measured sample of a campaign of the run database db (the
 * campaign with id campaign, or the only one when campaign is 0) for spec,
 * after checking the campaign ran on the same system and features. Prints
 * its own errors; returns CLI_OK (release the sample), CLI_FAIL or
 * CLI_USAGE (several campaigns and none chosen). *id gets the campaign. */
int cli_read_sample(const char *db, long campaign, const struct l4p_spec *spec,
                    struct l4p_sample *sample, int64_t *id);

/* CLI_OK when name is a known agent (--agent); else prints a usage error
 * listing the known ones and returns CLI_USAGE. */
int cli_check_agent(const struct cli_ctx *cli, const char *name);

/* The progress line of a campaign on stderr (when show): pass
 * cli_show_progress as l4p_campaign_opts.progress and the struct as its
 * argument, after cli_progress_start. */
struct cli_progress {
  bool show;
  struct timespec start;
};
void cli_progress_start(struct cli_progress *p, bool show);
void cli_show_progress(size_t measured, size_t budget, void *arg);

/* Read the pruning decisions at path for spec: the pruned space
 * (l4p_space_free it) and the campaign parameters naming the pruning
 * (free() them). The library's errors (EPARSE... with the place). */
l4p_status cli_load_pruning(const char *path, const struct l4p_spec *spec,
                            struct l4p_space **pruned, char **params);

int cmd_import(int argc, char **argv, struct cli_ctx *cli);
int cmd_space(int argc, char **argv, struct cli_ctx *cli);
int cmd_sample(int argc, char **argv, struct cli_ctx *cli);
int cmd_export(int argc, char **argv, struct cli_ctx *cli);
int cmd_samplers(int argc, char **argv, struct cli_ctx *cli);
int cmd_train(int argc, char **argv, struct cli_ctx *cli);
int cmd_predict(int argc, char **argv, struct cli_ctx *cli);
int cmd_evaluate(int argc, char **argv, struct cli_ctx *cli);
int cmd_docs(int argc, char **argv, struct cli_ctx *cli);
int cmd_prune(int argc, char **argv, struct cli_ctx *cli);
int cmd_study(int argc, char **argv, struct cli_ctx *cli);
int cmd_run(int argc, char **argv, struct cli_ctx *cli);
int cmd_gen_input(int argc, char **argv, struct cli_ctx *cli);
int cmd_show(int argc, char **argv, struct cli_ctx *cli);
int cmd_report(int argc, char **argv, struct cli_ctx *cli);

#endif
