/* "llm4perf docs": read a program's option documentation (its --help run
 * without a shell, or a file), have an agent extract the options, and
 * write each matched option's description, and its command-line form
 * when the spec has none, into the spec; or just list what was found.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_llm.h"
#include "llm4perf/agent.h"
#include "llm4perf/spec.h"
#include "util/fileio.h"
#include "util/spawn.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf docs SPEC.json [--from-command CMD | --from-file FILE] "
    "[--agent NAME] [--overwrite] [-o OUT.json] [LLM flags]",
    "llm4perf docs --list [SPEC.json] [--from-command CMD | --from-file "
    "FILE] [--agent NAME] [LLM flags]",
    NULL};

struct docs_args {
  const char *command, *file, *agent, *out, *db;
  bool list, overwrite;
  double timeout;
  struct cli_llm llm;
};

/* Run command (split without a shell) and take its help text: stdout,
 * or stderr when stdout is empty (some programs print help there). A
 * relative program path ("./frob") is taken from dir when given (the
 * spec's directory, for its own "docs" command). */
static int run_command(const char *command, const char *dir, double timeout,
                       char **text)
{
  char **argv;
  l4p_status st = l4px_split_command(command, &argv);
  if (st)
    return cli_fail(st);
  if (dir && strchr(argv[0], '/') && argv[0][0] != '/') {
    char *path = l4px_path_join(dir, argv[0]);
    if (!path) {
      l4px_argv_free(argv);
      return cli_fail(L4P_ENOMEM);
    }
    free(argv[0]);
    argv[0] = path;
  }
  struct l4px_spawn_opts opts = {timeout, 0};
  struct l4px_spawn_result res;
  st = l4px_spawn(argv, &opts, &res);
  int rc = CLI_OK;
  if (st) {
    rc = cli_fail(st);
  } else if (res.timed_out) {
    fprintf(stderr, "llm4perf: error: '%s' did not finish within %g s\n",
            argv[0], timeout);
    rc = CLI_FAIL;
  } else if (!res.out_len && !res.err_len) {
    fprintf(stderr,
            "llm4perf: error: '%s' printed nothing (exit status "
            "%d)\n",
            argv[0], res.exit_code);
    rc = CLI_FAIL;
  } else {
    if (res.exit_code != 0)
      fprintf(stderr,
              "llm4perf: warning: '%s' exited with status %d; "
              "using what it printed\n",
              argv[0], res.exit_code);
    *text = res.out_len ? res.out : res.err;
    if (res.out_len)
      res.out = NULL;
    else
      res.err = NULL;
  }
  l4px_spawn_result_release(&res);
  l4px_argv_free(argv);
  return rc;
}

/* The documentation text from the flags, else from the spec's "docs". */
static int read_text(const struct docs_args *a, const struct l4p_spec *spec,
                     struct cli_ctx *cli, char **text)
{
  *text = NULL;
  if (a->command)
    return run_command(a->command, NULL, a->timeout, text);
  if (a->file) {
    size_t len;
    l4p_status st = l4px_read_file(a->file, text, &len);
    return st ? cli_fail(st) : CLI_OK;
  }
  if (spec && spec->docs_command)
    return run_command(spec->docs_command, spec->dir, a->timeout, text);
  if (spec && spec->docs_file) {
    char *path = l4p_spec_resolve(spec, spec->docs_file);
    size_t len;
    l4p_status st = path ? l4px_read_file(path, text, &len) : L4P_ENOMEM;
    free(path);
    return st ? cli_fail(st) : CLI_OK;
  }
  return cli_usage_error(cli,
                         "no documentation: give --from-command or "
                         "--from-file (or \"docs\" in the spec)\nusage: %s",
                         usage[0]);
}

/* Run the extract role of agent on text; fills docs. */
static l4p_status extract(struct l4p_agent *agent, const char *system,
                          const char *text, struct l4p_agent_docs *docs)
{
  l4p_status st;
  char *input = NULL, *output = NULL;
  struct l4p_agent_ctx ctx = {NULL, NULL, 1, 0};
  if (!(st = l4p_agent_extract_input(system, text, &input)) &&
      !(st = l4p_agent_run(agent, L4P_ROLE_EXTRACT, &ctx, input, &output)))
    st = l4p_agent_read_docs(output, docs);
  free(input);
  free(output);
  return st;
}

/* The domain of a documented option in a few characters. */
static void domain_text(const struct l4p_agent_docopt *o, char *buf,
                        size_t size)
{
  buf[0] = '\0';
  if (o->n_values) {
    size_t used = 0;
    for (size_t k = 0; k < o->n_values && used + 1 < size; k++) {
      int n =
          snprintf(buf + used, size - used, "%s%s", k ? "|" : "", o->values[k]);
      used += n > 0 ? (size_t)n : 0;
    }
  } else if (o->has_min && o->has_max) {
    snprintf(buf, size, "%g..%g", o->min, o->max);
  }
}

static void print_list(const struct l4p_agent_docs *docs)
{
  printf("%-24s %-6s %-22s %-8s %-10s %s\n", "OPTION", "TYPE", "FLAG", "FORM",
         "DEFAULT", "VALUES");
  for (size_t k = 0; k < docs->n; k++) {
    const struct l4p_agent_docopt *o = &docs->options[k];
    char domain[64];
    domain_text(o, domain, sizeof domain);
    printf("%-24s %-6s %-22s %-8s %-10s %s\n", o->name, o->type,
           o->flag ? o->flag : "-", o->form ? o->form : "-",
           o->default_text ? o->default_text : "-", domain[0] ? domain : "-");
  }
  printf("%zu options documented\n", docs->n);
}

static const char *const match_names[] = {"-", "by flag", "by name", "negated"};

/* Print what happened to each spec option. */
static void print_matches(const struct l4p_spec *before,
                          const struct l4p_spec *after,
                          const struct l4p_agent_docs *docs, const int *doc_of,
                          const enum l4p_agent_match *how, bool overwrite)
{
  size_t n = l4p_space_n_options(before->space), matched = 0;
  printf("%-24s %-8s %-24s %-9s %s\n", "OPTION", "MATCH", "DOCUMENTED AS",
         "DOC", "CLI");
  for (size_t i = 0; i < n; i++) {
    const struct l4p_option *b = l4p_space_option(before->space, i);
    const struct l4p_option *a = l4p_space_option(after->space, i);
    const struct l4p_agent_docopt *d =
        doc_of[i] >= 0 ? &docs->options[doc_of[i]] : NULL;
    const char *doc = "-", *cli = "-";
    if (d && d->description[0])
      doc = !b->doc ? "added" : overwrite ? "replaced" : "kept";
    if (b->cli.form != L4P_CLI_NONE)
      cli = "kept";
    else if (a->cli.form != L4P_CLI_NONE)
      cli = "added";
    matched += d != NULL;
    printf("%-24s %-8s %-24s %-9s %s\n", b->name, match_names[how[i]],
           d ? (d->flag ? d->flag : d->name) : "(not documented)", doc, cli);
  }
  printf("%zu of %zu options matched; %zu documented options are not in "
         "the spec\n",
         matched, n, docs->n - matched);
}

/* Match, merge and write the spec (in place unless out is given). */
static int update_spec(const struct docs_args *a, const char *path,
                       const struct l4p_spec *spec,
                       const struct l4p_agent_docs *docs)
{
  size_t n = l4p_space_n_options(spec->space), len;
  int *doc_of = malloc((n + 1) * sizeof *doc_of);
  enum l4p_agent_match *how = malloc((n + 1) * sizeof *how);
  char *text = NULL, *merged = NULL;
  struct l4p_spec *after = NULL;
  l4p_status st = doc_of && how ? L4P_OK : L4P_ENOMEM;
  if (!st) {
    l4p_agent_docs_match(spec, docs, doc_of, how);
    st = l4px_read_file(path, &text, &len);
  }
  if (!st)
    st = l4p_agent_docs_merge(text, path, docs, doc_of, how, a->overwrite,
                              &merged);
  if (!st)
    st = l4p_spec_parse(merged, path, &after);
  const char *out = a->out ? a->out : path;
  if (!st)
    st = l4px_write_file_atomic(out, merged, strlen(merged));
  if (!st) {
    print_matches(spec, after, docs, doc_of, how, a->overwrite);
    fprintf(stderr, "wrote %s\n", out);
  }
  l4p_spec_free(after);
  free(text);
  free(merged);
  free(doc_of);
  free(how);
  return st ? cli_fail(st) : CLI_OK;
}

int cmd_docs(int argc, char **argv, struct cli_ctx *cli)
{
  struct docs_args a = {.agent = "builtin", .timeout = 30};
  const struct cli_opt opts[] = {
      {"from-command", 0, OPT_STRING, &a.command, "CMD",
       "run CMD (split into words, never a shell) and read its output"},
      {"from-file", 0, OPT_STRING, &a.file, "FILE",
       "read the documentation from FILE (help or man-page text)"},
      {"agent", 0, OPT_STRING, &a.agent, "NAME",
       "builtin (default) or llm: who extracts the options"},
      {"list", 0, OPT_BOOL, &a.list, NULL,
       "only list the documented options; change nothing"},
      {"overwrite", 0, OPT_BOOL, &a.overwrite, NULL,
       "replace docs the spec already has"},
      {"output", 'o', OPT_STRING, &a.out, "OUT.json",
       "write the updated spec here (default: SPEC.json, in place)"},
      {"timeout", 0, OPT_DOUBLE, &a.timeout, "S",
       "seconds CMD may run (default 30)"},
      CLI_LLM_OPTS(&a.llm),
      {"db", 0, OPT_STRING, &a.db, "FILE",
       "database LLM exchanges are recorded in or replayed from"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args > 1 || (n_args == 0 && !a.list))
    return cli_usage_error(cli, "expected one SPEC.json\nusage: %s", usage[0]);
  if (a.command && a.file)
    return cli_usage_error(cli, "--from-command and --from-file exclude "
                                "each other");
  if (!(a.timeout > 0))
    return cli_usage_error(cli, "--timeout must be positive");
  if (a.db && strcmp(a.agent, "llm") != 0)
    return cli_usage_error(cli, "--db needs --agent llm");
  struct l4p_agent *agent;
  if ((rc = cli_llm_agent(cli, &a.llm, a.agent, a.db, 0, &agent)))
    return rc;
  struct l4p_spec *spec = NULL;
  l4p_status st = n_args ? l4p_spec_load(argv[0], &spec) : L4P_OK;
  char *text = NULL;
  if (st)
    rc = cli_fail(st);
  else
    rc = read_text(&a, spec, cli, &text);
  if (rc) {
    l4p_agent_free(agent);
    l4p_spec_free(spec);
    return rc;
  }
  struct l4p_agent_docs docs = {0};
  st = extract(agent, spec ? spec->name : "", text, &docs);
  l4p_agent_free(agent);
  free(text);
  if (st) {
    rc = cli_fail(st);
  } else if (a.list) {
    print_list(&docs);
  } else {
    rc = update_spec(&a, argv[0], spec, &docs);
  }
  l4p_agent_docs_release(&docs);
  l4p_spec_free(spec);
  return rc;
}
