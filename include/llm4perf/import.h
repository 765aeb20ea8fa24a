/* Importers: turn measured datasets into a spec plus a table.
 *
 * Formats:
 * - csv:   a plain table (',' or ';'); objectives named by the caller,
 *          every other column an option whose type is inferred from its
 *          values (0/1 columns are bools).
 * - moot:  MOOT headers: a trailing '-' or '+' marks an objective to
 *          minimise or maximise, an uppercase first letter a numeric
 *          option, a trailing 'X' a column to ignore. A numeric column
 *          holding exactly 0 and 1 (No_mbtree) is a bool, not int {0, 1}.
 * - splc:  an SPL Conqueror FeatureModel.xml plus its measurement CSV:
 *          binary and numeric options, alternative groups as enums,
 *          implied and excluded options as constraints.
 *
 * One-hot groups (csv and moot): bool columns that continue a common
 * prefix (ref_1, ref_5, ref_9; compressionBzip2 .. compressionLzma) and
 * are never two at 1 in one row become one enum named by the prefix,
 * with a first label "none" when some rows have none at 1; a bool column
 * named like the enum that is their OR in every row is dropped. The
 * exact rules are in docs/IMPORT.md. */
#ifndef LLM4PERF_IMPORT_H
#define LLM4PERF_IMPORT_H

#include "llm4perf/spec.h"
#include "llm4perf/status.h"
#include "llm4perf/table.h"

enum l4p_import_format {
  L4P_IMPORT_AUTO,
  L4P_IMPORT_CSV,
  L4P_IMPORT_MOOT,
  L4P_IMPORT_SPLC
};

struct l4p_import_opts {
  enum l4p_import_format format;
  const char *name;          /* system name; default from the file name */
  const char *objectives;    /* "time,energy:min,psnr:max"; csv needs it,
                                splc defaults to non-model columns */
  const char *ignore;        /* comma list of columns to drop */
  const char *where;         /* "COL OP VALUE,...", OP one of = == !=
                                < <= > >=: keep rows meeting every
                                condition (numbers compare as numbers,
                                else = and != compare text); a column
                                tested only with = or == is dropped
                                (e.g. revision=9.6.3) */
  const char *feature_model; /* splc: FeatureModel.xml path */
  char delimiter;            /* 0: guess ',' or ';' */
};

/* Import table_path. On success *spec (with a table oracle pointing at
 * nothing yet; the caller sets its path when saving) and *table are new
 * objects the caller frees. Errors name file:line and the column. */
l4p_status l4p_import(const char *table_path,
                      const struct l4p_import_opts *opts,
                      struct l4p_spec **spec, struct l4p_table **table);

/* Merge an overlay file into *spec: words written by people that a table
 * cannot hold (description, option docs, command-line forms, defaults,
 * objective units and goals). Format:
 *   {"description": "...", "docs": {...}, "provenance": "...",
 *    "options": {"NAME": {"doc": "...", "cli": {...}, "default": V}},
 *    "objectives": {"NAME": {"unit": "s", "goal": "min", "doc": "..."}}}
 * Every name must exist in the spec; errors name file:line:col. On
 * success *spec is replaced by the merged spec. */
l4p_status l4p_import_overlay(struct l4p_spec **spec, const char *path);

/* Guess the format from the file name and header (FeatureModel beside it:
 * splc; '-'/'+' suffixed header names: moot; else csv). */
enum l4p_import_format l4p_import_guess(const char *table_path,
                                        const char *feature_model);

#endif
