/* Internals of oracles: the vtable each implementation provides and the
 * common header every oracle instance starts with. */
#ifndef L4P_ORACLE_INT_H
#define L4P_ORACLE_INT_H

#include "llm4perf/oracle.h"

struct l4p_oracle;

struct l4p_oracle_ops {
  const char *name;
  l4p_status (*open)(struct l4p_oracle *oracle);
  l4p_status (*measure)(struct l4p_oracle *oracle,
                        struct l4p_measurement *batch, size_t n);
  void (*mark_measured)(struct l4p_oracle *oracle, const double *cfg);
  void (*close)(struct l4p_oracle *oracle);
};

struct l4p_oracle {
  const struct l4p_oracle_ops *ops;
  const struct l4p_spec *spec;
  struct l4p_oracle_opts opts; /* zeroed when none were given */
  void *data;                  /* the implementation's state */
};

extern const struct l4p_oracle_ops l4p__oracle_table;
extern const struct l4p_oracle_ops l4p__oracle_command;

#endif
