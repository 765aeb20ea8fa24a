/* placeholder until written */
#include "cli.h"
int cmd_export(int argc, char **argv, struct cli_ctx *cli) { (void)argc; (void)argv; (void)cli; return CLI_FAIL; }
