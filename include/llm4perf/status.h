/* Status codes and error details shared by every llm4perf function.
 *
 * Invariants: every public function that can fail returns an l4p_status;
 * L4P_OK is zero; on failure a one-line message with context (file:line:col,
 * option and value) is available from l4p_last_error() in the same thread
 * until the next failure. */
#ifndef LLM4PERF_STATUS_H
#define LLM4PERF_STATUS_H

#define L4P_STATUS_MAP(XX)                           \
  XX(OK, "success")                                  \
  XX(ENOMEM, "out of memory")                        \
  XX(EUSAGE, "invalid argument")                     \
  XX(EPARSE, "malformed input")                      \
  XX(EDOMAIN, "value outside the option's domain")   \
  XX(ECONSTR, "configuration violates a constraint") \
  XX(EORACLE, "measurement failed")                  \
  XX(ELLM, "LLM request failed or answer invalid")   \
  XX(ESTORE, "results store error")                  \
  XX(EMODEL, "model error")                          \
  XX(EIO, "i/o error")

typedef enum {
#define XX(code, _) L4P_##code,
  L4P_STATUS_MAP(XX)
#undef XX
} l4p_status;

/* "L4P_EPARSE" for L4P_EPARSE; "L4P_UNKNOWN" for values outside the map. */
const char *l4p_status_name(l4p_status st);

/* Generic description of a status: "malformed input". */
const char *l4p_strerror(l4p_status st);

/* Detail of this thread's last failure, or "" when there is none. */
const char *l4p_last_error(void);

/* Forget this thread's last failure message. */
void l4p_clear_error(void);

#endif
