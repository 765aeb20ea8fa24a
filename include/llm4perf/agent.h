/* Agents: the five roles of the LLM4Perf sampler (METHOD.md), each turning
 * a JSON document in into a JSON document out, behind one interface with
 * two implementations: "builtin" (real algorithms, no model) and "llm"
 * (prompt templates sent to an OpenAI-compatible server).
 *
 * Invariants: the input and output of every role follow the JSON schemas
 * in docs/AGENTS.md (also given to the LLM as response_format); an
 * agent's output is validated against its schema and, where it names
 * options or values, against the space before anything uses it; the same
 * input, seed and (for llm) recorded answers give the same output. */
#ifndef LLM4PERF_AGENT_H
#define LLM4PERF_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "llm4perf/prune.h"
#include "llm4perf/rng.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "llm4perf/status.h"

enum l4p_role {
  L4P_ROLE_EXTRACT,  /* option documentation text -> option list */
  L4P_ROLE_FILTER,   /* options + objectives -> keep/prune decisions */
  L4P_ROLE_ANALYZE,  /* measured history -> trends per objective */
  L4P_ROLE_DESIGN,   /* analysis -> sampling strategy */
  L4P_ROLE_GENERATE, /* strategy -> candidate configurations */
  L4P_ROLE_COUNT
};

/* "extract", "filter", "analyze", "design", "generate". */
const char *l4p_role_name(enum l4p_role role);
/* The role called name; -1 when unknown. */
int l4p_role_find(const char *name);

struct l4p_agent;

/* Everything a role may need besides its JSON input. */
struct l4p_agent_ctx {
  const struct l4p_spec *spec;
  const struct l4p_space *space; /* the (possibly pruned) space */
  uint64_t seed;                 /* varies per call: iteration, generator */
  int64_t campaign;              /* store campaign, 0 when none */
};

struct l4p_agent_ops {
  const char *name;
  const char *summary;
  /* Run role on input (JSON text); *output is a new JSON text (free()
   * it). Failures set the message and leave *output NULL. */
  l4p_status (*run)(struct l4p_agent *agent, enum l4p_role role,
                    const struct l4p_agent_ctx *ctx, const char *input,
                    char **output);
  void (*destroy)(struct l4p_agent *agent);
};

struct l4p_agent {
  const struct l4p_agent_ops *ops;
  void *data; /* the implementation's state (settings, client, store) */
};

/* The built-in agent (no model); NULL when out of memory. */
struct l4p_agent *l4p_agent_builtin_new(void);
/* Free agent; NULL is a no-op. */
void l4p_agent_free(struct l4p_agent *agent);

/* Run one role through agent. The input must satisfy the role's input
 * schema (EUSAGE naming the place otherwise) and the answer its output
 * schema (ELLM naming the place otherwise: *output stays NULL). */
l4p_status l4p_agent_run(struct l4p_agent *agent, enum l4p_role role,
                         const struct l4p_agent_ctx *ctx, const char *input,
                         char **output);

/* ------------------------------------------------- agents by name */

struct l4p_llm_settings;

/* What an agent may be made with; a zeroed struct (or NULL) suits the
 * builtin agent, which reads none of it. Everything is borrowed only for
 * the l4p_agent_new call: the llm agent copies what it keeps.
 *
 * The llm agent (docs/LLM.md "The llm agent"): its settings (model,
 * temperature, endpoint per role as llm.ROLE.NAME; llm.cache, the cache
 * mode; llm.prompts_dir; llm.chunk_chars), NULL meaning the standard
 * sources (l4p_llm_settings_load_standard). With llm.cache record or
 * replay, exchanges go to the results database at store_path, through
 * connections the agent opens itself (one per campaign it records for),
 * never a caller's handle, so the caller's threads and the agent's do
 * not share one. Each exchange is stored under ctx->campaign when the
 * call gives one, else under campaign. */
struct l4p_agent_options {
  const struct l4p_llm_settings *llm; /* llm: settings, or NULL */
  const char *store_path;             /* llm: results database, or NULL */
  int64_t campaign;                   /* llm: default campaign; 0: none */
};

/* Make the agent called name ("builtin", "llm"). EUSAGE "unknown agent
 * 'x' (known: builtin, llm)" for other names; for llm also the errors of
 * its settings, its prompt templates (EIO, EPARSE naming the file) and
 * its client (EUSAGE: record or replay without store_path; ESTORE);
 * ENOMEM. *agent is NULL on failure. The agent's run may be called from
 * several threads at once. */
l4p_status l4p_agent_new(const char *name,
                         const struct l4p_agent_options *options,
                         struct l4p_agent **agent);
/* The agents l4p_agent_new knows, for help texts: the i-th name, with its
 * one-line summary in *summary when not NULL; NULL past the end. */
const char *l4p_agent_known(size_t i, const char **summary);
/* L4P_OK when l4p_agent_new knows name, else EUSAGE "unknown agent 'x'
 * (known: builtin, llm)". */
l4p_status l4p_agent_check_name(const char *name);

/* Make an agent whose role r is played by the agent called names[r]
 * (each name as l4p_agent_new takes it), e.g. builtin for filter and
 * generate, llm for analyze and design. Each distinct name is made once,
 * with options, and plays every role that names it (one llm agent, its
 * per-role settings llm.ROLE.NAME and its clients, serves all its
 * roles). When every role names one agent, *agent is simply that agent;
 * otherwise it is a composite (ops->name "mixed") whose run hands each
 * role to its player. Errors as l4p_agent_new; *agent NULL on failure. */
l4p_status l4p_agent_new_per_role(const char *const names[L4P_ROLE_COUNT],
                                  const struct l4p_agent_options *options,
                                  struct l4p_agent **agent);
/* The name of the agent that plays role in agent: the player's, for an
 * agent made by l4p_agent_new_per_role, else agent->ops->name. What
 * artefacts and messages record as the role's agent. */
const char *l4p_agent_player(const struct l4p_agent *agent, enum l4p_role role);

/* ------------------------------------------------------- schemas */

enum l4p_agent_doc { L4P_AGENT_INPUT, L4P_AGENT_OUTPUT };

/* The JSON Schema of a role's input or output document, as JSON text
 * (static; docs/AGENTS.md explains each field). The output schemas are
 * what the llm agent sends as response_format. */
const char *l4p_agent_schema(enum l4p_role role, enum l4p_agent_doc doc);

/* A role's output schema narrowed to space: option names become enums
 * (filter, analyze, design) and generate's configurations get one
 * property per free option with its values or bounds, so a server that
 * honours the schema cannot name an unknown option. JSON text (free()
 * it); ENOMEM. Extract is not narrowed (it reads unknown programs). */
l4p_status l4p_agent_schema_for(enum l4p_role role,
                                const struct l4p_space *space, char **schema);

/* Check text against a role's schema: EPARSE when it is not JSON, else
 * L4P_OK or the first violation with its JSON path (EUSAGE for inputs,
 * ELLM for outputs). */
l4p_status l4p_agent_check(enum l4p_role role, enum l4p_agent_doc doc,
                           const char *text);

/* -------------------------------------------------- role inputs */
/* Each builds a role's input document (JSON text, free() it) from the
 * library's structures; ENOMEM, or EUSAGE for an unknown objective.
 * Options are described with their type, domain, default and doc;
 * configurations are objects {"option": value} over the free options,
 * values in their JSON form (true/false, label, number). */

/* extract: the documentation text of system (docs/AGENTS.md). */
l4p_status l4p_agent_extract_input(const char *system, const char *text,
                                   char **input);

/* filter: every option of spec with the objectives named (n_objectives
 * 0: all of them). */
l4p_status l4p_agent_filter_input(const struct l4p_spec *spec,
                                  const char *const *objectives,
                                  size_t n_objectives, char **input);

/* analyze: the free options of space and the measured history (h->values
 * holds spec's objectives, n x n_objectives; NaN for a missing value). */
l4p_status l4p_agent_analyze_input(const struct l4p_spec *spec,
                                   const struct l4p_space *space,
                                   const struct l4p_history *h, char **input);

/* design: an analyze output (JSON text) plus the budget: measured so far
 * and the whole budget. EPARSE when analysis is not JSON. */
l4p_status l4p_agent_design_input(const struct l4p_spec *spec,
                                  const struct l4p_space *space,
                                  const char *analysis, size_t measured,
                                  size_t budget, char **input);

/* generate: a design output (JSON text), the configurations that must not
 * come back (h's measured and failed ones) and how many to propose. */
l4p_status l4p_agent_generate_input(const struct l4p_spec *spec,
                                    const struct l4p_space *space,
                                    const char *strategy,
                                    const struct l4p_history *h, size_t n,
                                    char **input);

/* ------------------------------------------------- role outputs */

/* extract: one documented option, as read from the answer. */
struct l4p_agent_docopt {
  char *name;
  char *type;         /* "bool", "int", "float", "enum", "string" */
  char *description;  /* may be "" */
  char *flag;         /* e.g. "--level"; NULL when unknown */
  char *false_flag;   /* e.g. "--no-progress"; NULL when none */
  char *form;         /* "switch", "value", "equals", "attached"; NULL */
  char *default_text; /* the default in text form; NULL when unknown */
  size_t n_values;
  char **values; /* enumerated values in text form */
  bool has_min, has_max;
  double min, max;
};

struct l4p_agent_docs {
  size_t n;
  struct l4p_agent_docopt *options;
};

/* Read an extract answer (checked against its schema first: ELLM).
 * Options without a usable name are skipped. Release with
 * l4p_agent_docs_release (also after a failure). */
l4p_status l4p_agent_read_docs(const char *output, struct l4p_agent_docs *docs);
void l4p_agent_docs_release(struct l4p_agent_docs *docs);

/* How a spec option was found among documented options. */
enum l4p_agent_match {
  L4P_MATCH_NONE,
  L4P_MATCH_FLAG,   /* the spec's cli flag is the option's flag */
  L4P_MATCH_NAME,   /* names equal up to case, '-' and '_' */
  L4P_MATCH_NEGATED /* "no-x" against "x" (either way round) */
};

/* For each option of spec, the documented option it corresponds to:
 * doc_of[i] an index into docs or -1, how[i] the kind of match. Both
 * arrays have room for the spec's options. A documented option serves
 * at most one spec option; flags win over names, names over negations. */
void l4p_agent_docs_match(const struct l4p_spec *spec,
                          const struct l4p_agent_docs *docs, int *doc_of,
                          enum l4p_agent_match *how);

/* Write the matches into the spec's JSON text (spec_text, read from path,
 * used in messages): each matched option gets its "doc" when it has none
 * (or always, with overwrite) and a "cli" object when it has none. The
 * result is checked by loading it as a spec; *merged is the new text
 * (free() it). EPARSE/EDOMAIN from that check; ENOMEM. */
l4p_status l4p_agent_docs_merge(const char *spec_text, const char *path,
                                const struct l4p_agent_docs *docs,
                                const int *doc_of,
                                const enum l4p_agent_match *how, bool overwrite,
                                char **merged);

/* filter: what was wrong with an answer's decisions. */
struct l4p_agent_decision_stats {
  size_t unknown;  /* decisions on options not in the spec (ignored) */
  size_t repeated; /* second decisions on one option (ignored) */
  size_t missing;  /* options without a decision (kept) */
  size_t restored; /* pruned options kept so that a valid configuration
                       remains */
};

/* Read a filter answer into p (l4p_prune_init'ed by the caller): one
 * decision per spec option in spec order, pruned ones held at their
 * default (or fixed value), reasons kept. agent names who decided and
 * objectives what for (both stored in p). When the pruned defaults leave
 * no valid configuration, pruned options are kept again, fewest first,
 * until one exists (their reason says so). ELLM when the answer breaks
 * its schema; ENOMEM. stats may be NULL. */
l4p_status l4p_agent_read_decisions(const struct l4p_spec *spec,
                                    const char *output, const char *agent,
                                    const char *const *objectives,
                                    size_t n_objectives, struct l4p_prune *p,
                                    struct l4p_agent_decision_stats *stats);

/* generate: the fate of one proposed configuration. */
enum l4p_agent_config_status {
  L4P_CONFIG_OK,       /* valid as proposed */
  L4P_CONFIG_REPAIRED, /* made valid: values snapped, missing options
                          defaulted, fixed ones reset, constraints
                          repaired */
  L4P_CONFIG_INVALID   /* unusable: unknown option, unreadable value or
                          unrepairable; never measure it */
};

struct l4p_agent_configs {
  size_t n;         /* configurations in the answer */
  size_t n_options; /* the space's options */
  double *configs;  /* n x n_options; INVALID rows hold defaults */
  enum l4p_agent_config_status *status;
  char **notes; /* per configuration: the first problem, or NULL */
  /* problems over all configurations */
  size_t unknown_options;       /* names not in the space */
  size_t type_errors;           /* values of the wrong kind ("abc" for int) */
  size_t out_of_domain;         /* values outside the domain (snapped), enum
                               labels not in the list */
  size_t missing;               /* free options left out (defaulted) */
  size_t fixed_changed;         /* fixed options given another value (reset) */
  size_t constraint_violations; /* configurations breaking a constraint */
  size_t n_ok, n_repaired, n_invalid;
};

/* Read the configurations of a JSON array of {"option": value} objects
 * (generate's "configs", or any list in that form) against space, doing
 * every check of enum l4p_agent_config_status. ELLM when configs_json is
 * not such an array; ENOMEM. Release with l4p_agent_configs_release. */
l4p_status l4p_agent_read_configs(const struct l4p_space *space,
                                  const char *configs_json,
                                  struct l4p_agent_configs *out);
/* The same for a whole generate answer ({"configs": [...]}), checked
 * against generate's output schema first. */
l4p_status l4p_agent_read_generated(const struct l4p_space *space,
                                    const char *output,
                                    struct l4p_agent_configs *out);
void l4p_agent_configs_release(struct l4p_agent_configs *c);

/* Options seen as a few levels for sampling weights: every value when an
 * option has at most L4P_AGENT_MAX_LEVELS of them, else that many equal
 * slices of its values (or of its range, for continuous floats). */
#define L4P_AGENT_MAX_LEVELS 16
size_t l4p_agent_levels(const struct l4p_option *opt);
/* The level holding value v (snapped into the domain first). */
size_t l4p_agent_level_of(const struct l4p_option *opt, double v);
/* A value standing for level k: the value itself, or the middle of the
 * slice (an allowed value). */
double l4p_agent_level_value(const struct l4p_option *opt, size_t k);
/* An allowed value of level k drawn uniformly. */
double l4p_agent_level_draw(const struct l4p_option *opt, size_t k,
                            struct l4p_rng *rng);

/* design: a strategy as sampling weights. For each option, the
 * probability of each of its levels (fixed options: one level, weight
 * 1); docs/AGENTS.md gives the formula from explore, focus and avoid. */
struct l4p_agent_strategy {
  double explore; /* as the answer gave it, clamped to [0, 1] */
  size_t n_options;
  size_t *n_levels;  /* per option */
  double **weights;  /* per option: n_levels probabilities, sum 1 */
  size_t unknown;    /* focus/avoid entries naming unknown options */
  size_t bad_values; /* their values outside the domain (ignored) */
};

/* Read a design answer into s against space (checked against design's
 * output schema first: ELLM). Entries naming unknown or fixed options
 * and values outside a domain are counted and ignored. ENOMEM. Release
 * with l4p_agent_strategy_release (also after a failure). */
l4p_status l4p_agent_read_strategy(const struct l4p_space *space,
                                   const char *output,
                                   struct l4p_agent_strategy *s);
/* Uniform weights (explore 1): what a generator uses with no strategy. */
l4p_status l4p_agent_strategy_uniform(const struct l4p_space *space,
                                      struct l4p_agent_strategy *s);
void l4p_agent_strategy_release(struct l4p_agent_strategy *s);
/* Draw cfg option by option from the weights (fixed options at their
 * value). The result is not repaired: constraints may fail. */
void l4p_agent_strategy_draw(const struct l4p_agent_strategy *s,
                             const struct l4p_space *space, struct l4p_rng *rng,
                             double *cfg);

#endif
