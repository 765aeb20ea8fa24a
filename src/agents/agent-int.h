/* Internals shared by the agent files: schema checks on parsed documents,
 * the JSON form of options, objectives, values and configurations (the
 * pieces every role document is made of), and the builtin agent's five
 * roles. Document formats: docs/AGENTS.md. */
#ifndef L4P_AGENT_INT_H
#define L4P_AGENT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "llm4perf/agent.h"
#include "space/value_json.h"

/* l4p_agent_check on a parsed document. */
l4p_status l4p__agent_check_json(enum l4p_role role, enum l4p_agent_doc doc,
                                 const json_t *value);

/* Parse text as a JSON object; EPARSE "what: not JSON: line:col: ..."
 * (or "not an object"). *value is a new reference. */
l4p_status l4p__agent_parse(const char *text, const char *what, json_t **value);

/* Parse output, the role's answer, with l4p__agent_parse (labelled
 * "<role> output") and check it against the role's output schema. On a
 * parse failure the status is ELLM (the detail says why), on a schema
 * failure the check's status; *root is then NULL. On L4P_OK *root is a
 * new reference. */
l4p_status l4p__agent_read_output(enum l4p_role role, const char *output,
                                  json_t **root);

/* Dump value compactly into a heap string; ENOMEM. value is kept. */
l4p_status l4p__agent_dump(const json_t *value, char **text);

/* ------------------------------------------------------------ values */

/* How a JSON value fits an option (values.c). */
enum l4p__fit {
  L4P__FIT_OK,       /* an allowed value (text forms such as "4" too) */
  L4P__FIT_SNAPPED,  /* a number outside the domain, snapped into it, or
                         a label matched ignoring case */
  L4P__FIT_BAD_TYPE, /* not a value of this type at all */
  L4P__FIT_BAD_LABEL /* a string that is no label of the enum */
};
enum l4p__fit l4p__value_read(const struct l4p_option *opt, const json_t *j,
                              double *v);

/* ------------------------------------------------------ documents */

/* One option: name, type, values or min/max/step, default, fixed (when
 * fixed), doc and flag (when known). NULL when out of memory. */
json_t *l4p__option_json(const struct l4p_space *space, size_t i);
/* The options of space (only the free ones when free_only). */
json_t *l4p__options_json(const struct l4p_space *space, bool free_only);
/* The objectives of spec named in names (n 0: all); EUSAGE for an
 * unknown name, ENOMEM. */
l4p_status l4p__objectives_json(const struct l4p_spec *spec,
                                const char *const *names, size_t n,
                                json_t **objectives);
/* {"option": value} over the free options of space. */
json_t *l4p__config_json(const struct l4p_space *space, const double *cfg);
/* The configurations of a JSON array of {"option": value} objects (see
 * l4p_agent_read_configs). */
l4p_status l4p__read_configs_json(const struct l4p_space *space,
                                  const json_t *list,
                                  struct l4p_agent_configs *out);
/* Read a strategy object (design's output) against space. */
l4p_status l4p__read_strategy_json(const struct l4p_space *space,
                                   const json_t *strategy,
                                   struct l4p_agent_strategy *s);

/* ------------------------------------------------ the builtin roles */
/* Each reads its (schema-checked) input and sets *out to a new output
 * document; failures set the message. */
l4p_status l4p__builtin_extract(const struct l4p_agent_ctx *ctx,
                                const json_t *in, json_t **out);
l4p_status l4p__builtin_filter(const struct l4p_agent_ctx *ctx,
                               const json_t *in, json_t **out);
l4p_status l4p__builtin_analyze(const struct l4p_agent_ctx *ctx,
                                const json_t *in, json_t **out);
l4p_status l4p__builtin_design(const struct l4p_agent_ctx *ctx,
                               const json_t *in, json_t **out);
l4p_status l4p__builtin_generate(const struct l4p_agent_ctx *ctx,
                                 const json_t *in, json_t **out);

/* ------------------------------------------------------ the llm agent */

/* Make the llm agent (llm_agent.c); see l4p_agent_new. */
l4p_status l4p__agent_llm_make(const struct l4p_agent_options *options,
                               struct l4p_agent **agent);

#endif
