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

#include "llm4perf/status.h"
#include "llm4perf/store.h"

/* Exit codes (DESIGN.md): 0 ok, 1 failure, 2 usage error. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_ctx {
  const char *command;  /* name of the running subcommand */
  bool progress;        /* stderr is a terminal: show progress lines */
};

enum cli_opt_type { OPT_BOOL, OPT_INT, OPT_SIZE, OPT_DOUBLE, OPT_STRING };

struct cli_opt {
  const char *long_name;
  char short_name;       /* 0 for none */
  enum cli_opt_type type;
  void *target;          /* bool*, long*, size_t*, double*, const char** */
  const char *arg_name;  /* shown in help: "N", "FILE" */
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
int cli_read_sample(const char *db, long campaign,
                    const struct l4p_spec *spec, struct l4p_sample *sample,
                    int64_t *id);

/* CLI_OK when name is a known agent (--agent); else prints a usage error
 * listing the known ones and returns CLI_USAGE. */
int cli_check_agent(const struct cli_ctx *cli, const char *name);

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

#endif
