/* "llm4perf import": turn a measured dataset (plain CSV, MOOT CSV or an
 * SPL Conqueror feature model with its measurements) into a system spec
 * plus a normalised table that the table oracle answers from.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/import.h"
#include "llm4perf/table.h"
#include "util/fileio.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf import TABLE.csv -o SPEC.json [--format csv|moot|splc] "
    "[--feature-model FM.xml] [--objectives LIST] [--ignore LIST] "
    "[--where CONDS] [--name NAME] [--overlay FILE] [--table OUT.csv]",
    NULL};

static bool parse_format(const char *text, enum l4p_import_format *format)
{
  static const char *const names[] = {"auto", "csv", "moot", "splc"};
  for (size_t k = 0; k < 4; k++)
    if (!strcmp(text, names[k])) {
      *format = (enum l4p_import_format)k;
      return true;
    }
  return false;
}

/* Point the spec's table oracle at the table, relative to the spec. */
static l4p_status set_table_path(struct l4p_spec *spec, const char *spec_path,
                                 const char *table_path)
{
  char *dir = l4px_dirname(spec_path);
  size_t dlen = dir ? strlen(dir) : 0;
  const char *rel = table_path;
  if (dir && strcmp(dir, ".") != 0 && strncmp(table_path, dir, dlen) == 0 &&
      table_path[dlen] == '/')
    rel = table_path + dlen + 1;
  json_t *oracle = json_pack("{s:s, s:s}", "type", "table", "path", rel);
  free(dir);
  char *text =
      oracle ? json_dumps(oracle, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(oracle);
  if (!text)
    return L4P_ENOMEM;
  free(spec->oracle_json);
  free(spec->oracle_type);
  spec->oracle_json = text;
  spec->oracle_type = strdup("table");
  return spec->oracle_type ? L4P_OK : L4P_ENOMEM;
}

/* SPEC.json -> SPEC.csv */
static char *default_table_path(const char *spec_path)
{
  size_t len = strlen(spec_path);
  const char *dot = strrchr(spec_path, '.');
  const char *slash = strrchr(spec_path, '/');
  if (dot && (!slash || dot > slash))
    len = (size_t)(dot - spec_path);
  char *out = malloc(len + 5);
  if (out) {
    memcpy(out, spec_path, len);
    memcpy(out + len, ".csv", 5);
  }
  return out;
}

int cmd_import(int argc, char **argv, struct cli_ctx *cli)
{
  const char *format = "auto", *output = NULL, *table_out = NULL,
             *overlay = NULL;
  struct l4p_import_opts io = {0};
  const struct cli_opt opts[] = {
      {"output", 'o', OPT_STRING, &output, "SPEC.json", "spec to write"},
      {"format", 'f', OPT_STRING, &format, "FMT",
       "csv, moot or splc (default: guessed)"},
      {"feature-model", 0, OPT_STRING, &io.feature_model, "FM.xml",
       "SPL Conqueror feature model (splc)"},
      {"objectives", 0, OPT_STRING, &io.objectives, "LIST",
       "objective columns, e.g. time,energy:min,psnr:max"},
      {"ignore", 0, OPT_STRING, &io.ignore, "LIST", "columns to drop"},
      {"where", 0, OPT_STRING, &io.where, "CONDS",
       "keep rows meeting every COL OP VALUE (OP: = == != < <= > >=)"},
      {"name", 0, OPT_STRING, &io.name, "NAME", "system name"},
      {"overlay", 0, OPT_STRING, &overlay, "FILE",
       "merge option docs, cli forms and units from FILE"},
      {"table", 0, OPT_STRING, &table_out, "OUT.csv",
       "normalised table to write (default: SPEC.csv)"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1 || !output)
    return cli_usage_error(cli,
                           "expected TABLE.csv and -o SPEC.json\n"
                           "usage: %s",
                           usage[0]);
  if (!parse_format(format, &io.format))
    return cli_usage_error(cli, "unknown format '%s' (csv, moot, splc)",
                           format);
  struct l4p_spec *spec;
  struct l4p_table *table;
  l4p_status st = l4p_import(argv[0], &io, &spec, &table);
  if (st)
    return cli_fail(st);
  char *table_path = table_out ? strdup(table_out) : default_table_path(output);
  if (!table_path)
    st = L4P_ENOMEM;
  if (!st && overlay)
    st = l4p_import_overlay(&spec, overlay);
  if (!st)
    st = set_table_path(spec, output, table_path);
  if (!st)
    st = l4p_table_save(table, spec, table_path);
  if (!st)
    st = l4p_spec_save(spec, output);
  struct l4p_space_size size = {0};
  if (!st)
    st = l4p_space_count(spec->space, &size);
  if (!st) {
    printf("imported %s: %zu options, %zu constraints, %zu objectives (",
           spec->name, l4p_space_n_options(spec->space),
           l4p_space_n_constraints(spec->space), spec->n_objectives);
    for (size_t k = 0; k < spec->n_objectives; k++)
      printf("%s%s", k ? ", " : "", spec->objectives[k].name);
    printf("), %zu rows", table->n_rows);
    if (table->n_merged)
      printf(" (%zu duplicate rows averaged)", table->n_merged);
    printf("; space size %s%s\nwrote %s and %s\n", size.exact ? "" : "at most ",
           size.decimal, output, table_path);
  }
  free(size.decimal);
  free(table_path);
  l4p_table_free(table);
  l4p_spec_free(spec);
  return st ? cli_fail(st) : CLI_OK;
}
