/* The llm4perf tool: one table of subcommands (as git.c), global --help and
 * --version, and dispatch. Each command lives in its own cmd_*.c file.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/banned.h"

struct cli_cmd {
  const char *name;
  int (*fn)(int argc, char **argv, struct cli_ctx *cli);
  const char *summary;
};

static const struct cli_cmd commands[] = {
    {"run", cmd_run, "the main job: sample, measure, train, report"},
    {"import", cmd_import, "build a system spec and table from a dataset"},
    {"space", cmd_space, "describe a system's options, constraints, size"},
    {"sample", cmd_sample, "propose and measure configurations; resumable"},
    {"study", cmd_study, "run an evaluation grid of samplers; resumable"},
    {"report", cmd_report, "a study's results as one HTML page with plots"},
    {"samplers", cmd_samplers, "list the available samplers"},
    {"export", cmd_export, "write a run's measurements as CSV"},
    {"show", cmd_show, "what an llm4perf campaign decided, and why"},
    {"train", cmd_train, "fit performance models on a measured sample"},
    {"predict", cmd_predict, "predict the objectives of configurations"},
    {"evaluate", cmd_evaluate, "score a model on a table-backed system"},
    {"docs", cmd_docs, "extract option documentation into a spec"},
    {"prune", cmd_prune, "decide which options cannot matter (filter)"},
    {"gen-input", cmd_gen_input, "write a synthetic input for live runs"},
};

static void print_help(void)
{
  printf("usage: llm4perf [--version] [--help] <command> [<args>]\n\n"
         "Sample configurations of configurable software, measure them and\n"
         "model their performance objectives.\n\ncommands:\n");
  for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
    printf("  %-10s %s\n", commands[k].name, commands[k].summary);
  printf("\n'llm4perf <command> --help' describes a command.\n");
}

int main(int argc, char **argv)
{
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    if (argc >= 3 && !strcmp(argv[1], "help")) {
      char *help_argv[] = {argv[2], "--help", NULL};
      for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (!strcmp(commands[k].name, argv[2])) {
          struct cli_ctx cli = {commands[k].name, false};
          commands[k].fn(2, help_argv, &cli);
          return CLI_OK;
        }
    }
    print_help();
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("llm4perf %s\n", L4P_VERSION);
    return CLI_OK;
  }
  for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
    if (strcmp(commands[k].name, argv[1]) == 0) {
      struct cli_ctx cli = {commands[k].name, isatty(STDERR_FILENO) != 0};
      return commands[k].fn(argc - 1, argv + 1, &cli);
    }
  }
  fprintf(stderr,
          "llm4perf: error: '%s' is not a command; see 'llm4perf "
          "--help'\n",
          argv[1]);
  return CLI_USAGE;
}
