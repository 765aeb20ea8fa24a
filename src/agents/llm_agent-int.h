/* Internals of the llm agent (llm_agent.c and friends): prompt templates
 * (finding their directory, reading and checking them, filling their
 * placeholders), the text each placeholder stands for, and the chunked
 * extraction of long documentation. Template format and placeholders:
 * docs/LLM.md "Prompts"; the role documents: docs/AGENTS.md. */
#ifndef L4P_LLM_AGENT_INT_H
#define L4P_LLM_AGENT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "llm4perf/agent.h"
#include "llm4perf/llm.h"

/* The line that opens a template's system part (everything above it is a
 * comment for whoever edits the file), and the one that opens its user
 * part (tag-prompt-format). */
#define L4P__PROMPT_SYSTEM "=== system ==="
#define L4P__PROMPT_USER "=== user ==="

/* One role's template, split into its two messages. */
struct l4p__prompt {
  char *path;   /* the file it came from, for messages */
  char *system; /* system message template */
  char *user;   /* user message template */
};

/* The directory templates are read from (docs/LLM.md "Prompts"): setting
 * (llm.prompts_dir) when not empty, else $L4P_PROMPTS_DIR, else the
 * source tree's prompts/ (a build run in place), else
 * ../share/llm4perf/prompts beside the running program, else the
 * configured install prefix's. An explicit directory must exist; the
 * others count when they hold extract.txt. *dir is a heap string. EIO naming
 * the places looked in; ENOMEM. */
l4p_status l4p__prompts_dir(const char *setting, char **dir);

/* Read dir/ROLE.txt into p and check it: both marker lines present, a
 * non-empty user part, and only placeholders role knows. EIO when it
 * cannot be read; EPARSE "PATH:LINE: ..." otherwise; ENOMEM. Release
 * with l4p__prompt_release (also after a failure). */
l4p_status l4p__prompt_load(const char *dir, enum l4p_role role,
                            struct l4p__prompt *p);
void l4p__prompt_release(struct l4p__prompt *p);

/* Whether role's templates may use the placeholder called name (len
 * bytes). */
bool l4p__prompt_knows(enum l4p_role role, const char *name, size_t len);

/* The placeholders role knows, comma-separated, for messages. */
const char *l4p__prompt_names(enum l4p_role role);

/* Fill the placeholders of tmpl from vars (an object of strings; a name
 * missing from it becomes ""). Text that is not a placeholder, "{{" not
 * followed by a name and "}}" included, stays as written; trailing white
 * space is dropped. *out is a heap string; ENOMEM. */
l4p_status l4p__prompt_fill(const char *tmpl, const json_t *vars, char **out);

/* The placeholder values of role's input document in (already checked
 * against the input schema) as an object of strings: each member of the
 * input rendered for reading (option and objective lists as lines,
 * history and configurations as CSV tables, documents as JSON), plus
 * "schema" (the answer's JSON Schema, schema_text), "input" (the whole
 * document), "seed" (the call's seed) and counts. NULL when out of
 * memory. */
json_t *l4p__prompt_vars(enum l4p_role role, const json_t *in,
                         const char *schema_text, uint64_t seed);

/* ------------------------------------------------------ extraction */

/* How one extract question is asked: the agent's call for one chunk.
 * Returns the chunk's answer (a new reference) or fails with the
 * message set. */
typedef l4p_status (*l4p__ask_fn)(void *data, const json_t *vars,
                                  json_t **answer);

/* Ask ask for the options of in's text, in chunks of at most chunk_chars
 * bytes when it is longer (each chunk repeats the end of the one before,
 * so an option cut at an edge is whole in one), and merge the answers:
 * options with the same name (up to case, '-', '_' and leading dashes)
 * become one, the first answer's fields winning, later answers adding
 * the fields it lacks, a description where it had an empty one, and
 * enum values it did not list. *out is the merged extract answer. */
l4p_status l4p__llm_extract(const json_t *in, const char *schema_text,
                            uint64_t seed, size_t chunk_chars, l4p__ask_fn ask,
                            void *data, json_t **out);

/* Merge the options of answer into merged (an extract answer); both are
 * schema-valid extract answers. ENOMEM. */
l4p_status l4p__extract_merge(json_t *merged, const json_t *answer);

#endif
