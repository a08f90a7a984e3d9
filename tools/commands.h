/* tools/commands.h: the `mica` subcommands that live in files of their own. Each
 * takes the arguments after its name and returns the process's exit status. */
#ifndef MICA_COMMANDS_H
#define MICA_COMMANDS_H

int mica_cmd_test(int argc, char **argv);   /* tools/test_cmd.c */
int mica_cmd_repl(int argc, char **argv);   /* tools/repl.c */

#include "mica.h"
/* mica run --profile (tools/profile.c): start sampling [vm] (0, or 1 with the
 * reason printed); after the run, write the samples to [file] and print the top
 * methods to stderr. */
int mica_profile_begin(MicaVM *vm);
int mica_profile_end(MicaVM *vm, const char *file);

#endif
