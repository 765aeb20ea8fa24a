/* Directories the command oracle works in: created with their parents,
 * fresh scratch directories with unique names, and removal of a whole
 * tree (without following links out of it). */
#ifndef L4P_UTIL_DIRS_H
#define L4P_UTIL_DIRS_H

#include "llm4perf/status.h"

/* mkdir -p: create path and its missing parents (mode 0755). EIO naming
 * the directory that could not be made. */
l4p_status l4px_make_dirs(const char *path);

/* Create a new, empty directory "parent/prefixXXXXXX" with a unique
 * suffix; *path gets its name (free() it). A NULL parent means $TMPDIR,
 * or /tmp when that is unset or empty. EIO, ENOMEM. */
l4p_status l4px_make_temp_dir(const char *parent, const char *prefix,
                              char **path);

/* rm -rf: remove path and everything below it; links are removed, never
 * followed. A path that does not exist is not an error. EIO naming the
 * first entry that could not be removed. */
l4p_status l4px_remove_tree(const char *path);

#endif
