/* System specs: one JSON file describing a configurable system — its
 * options (the space), constraints, objectives, where its documentation
 * comes from and how it is measured (the oracle). The format is documented
 * in docs/SPEC.md.
 *
 * Invariants: a loaded spec is fully validated (every default in its
 * domain, every constraint parsed against known options, at least one
 * objective, names unique); errors are reported as "file:line:col: msg". */
#ifndef LLM4PERF_SPEC_H
#define LLM4PERF_SPEC_H

#include <stddef.h>

#include "llm4perf/space.h"
#include "llm4perf/status.h"

enum l4p_goal { L4P_MINIMIZE, L4P_MAXIMIZE };

struct l4p_objective {
  char *name;
  char *unit; /* may be NULL */
  char *doc;  /* may be NULL */
  enum l4p_goal goal;
};

struct l4p_spec {
  char *path; /* file it was loaded from, or NULL */
  char *dir;  /* its directory: relative paths resolve from here */
  char *name;
  char *description; /* may be NULL */
  struct l4p_space *space;
  size_t n_objectives;
  struct l4p_objective *objectives;
  char *docs_command; /* e.g. "x264 --fullhelp"; may be NULL */
  char *docs_file;    /* may be NULL */
  char *oracle_type;  /* "table", "command"... or NULL when none */
  char *oracle_json;  /* the whole "oracle" object as JSON text, or NULL */
  char *provenance;   /* where the data came from; may be NULL */
};

/* Create an empty spec named name with an empty space; NULL on ENOMEM. */
struct l4p_spec *l4p_spec_new(const char *name);
void l4p_spec_free(struct l4p_spec *spec);

/* Load and validate path. */
l4p_status l4p_spec_load(const char *path, struct l4p_spec **spec);
/* The same from text already in memory; path is used in messages. */
l4p_status l4p_spec_parse(const char *text, const char *path,
                          struct l4p_spec **spec);

/* Write spec as pretty JSON to path (atomically). */
l4p_status l4p_spec_save(const struct l4p_spec *spec, const char *path);
/* The same as a heap string (free() it). */
l4p_status l4p_spec_to_json(const struct l4p_spec *spec, char **text);

/* Add an objective; EUSAGE when the name is taken. */
l4p_status l4p_spec_add_objective(struct l4p_spec *spec, const char *name,
                                  const char *unit, enum l4p_goal goal);
/* Index of objective name, or -1. */
int l4p_spec_find_objective(const struct l4p_spec *spec, const char *name);

/* Path of a file named in the spec, resolved against the spec's directory
 * (free() it); NULL when out of memory. */
char *l4p_spec_resolve(const struct l4p_spec *spec, const char *rel);

#endif
