/* tools/commands.h: the `mica` subcommands that live in files of their own. Each
 * takes the arguments after its name and returns the process's exit status. */
#ifndef MICA_COMMANDS_H
#define MICA_COMMANDS_H

int mica_cmd_test(int argc, char **argv);   /* tools/test_cmd.c */
int mica_cmd_repl(int argc, char **argv);   /* tools/repl.c */

/* tools/cli_front.c: the help of subcommand [cmd] on stdout (false if it has none
 * here); whether [a] asks for help; `mica X.mica ...`, `mica -e ...`, `mica - ...`
 * and `mica SCRIPT ...` (a file starting with "#!") as a new argv starting "run"
 * (NULL: no shorthand); a -e program's text; all of standard input (malloc'd,
 * NULL on failure). */
#include <stdbool.h>
#include <stddef.h>
bool mica_print_command_help(const char *cmd);
bool mica_is_help_flag(const char *a);
bool mica_is_script_operand(const char *a);
char **mica_shorthand(int argc, char **argv, int *nargc);
char *mica_inline_program(const char *code, size_t *len);
char *mica_read_stdin(size_t *len);

#include "mica.h"
/* mica run --profile (tools/profile.c): start sampling [vm] (0, or 1 with the
 * reason printed); after the run, write the samples to [file] and print the top
 * methods to stderr. */
int mica_profile_begin(MicaVM *vm);
int mica_profile_end(MicaVM *vm, const char *file);

#endif
