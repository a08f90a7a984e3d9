/* tools/cli_front.c: what `mica` does before a subcommand runs: the help of
 * each subcommand, the `mica FILE.mica` / `mica -e CODE` / `mica -` shorthands
 * (and so `#!/usr/bin/env mica` scripts), and reading a program from standard
 * input or the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "cm_mem.h"

static const char help_run[] =
    "usage: mica run [OPTIONS] SOURCES... [--] [ARGS...]\n"
    "       mica run [OPTIONS] -e CODE [ARGS...]\n"
    "       mica run [OPTIONS] - [ARGS...]\n"
    "       mica run [OPTIONS] -cp PATH CLASS [ARGS...]\n"
    "       mica run [OPTIONS] APP.mar [ARGS...]\n"
    "\n"
    "Compile SOURCES (.mica files, or directories whose .mica files are all taken)\n"
    "in memory and run the program's top-level main with ARGS. `-e CODE` runs CODE\n"
    "(statements, or whole declarations with a main); `-` reads the program from\n"
    "standard input. A file starting with `#!` is a script whatever its name.\n"
    "`mica FILE.mica ...`, `mica -e CODE` and `mica -` are short for `mica run ...`.\n"
    "\n"
    "options (see `mica --help` for all of them):\n"
    "  -cp PATH[:PATH...]    Directories and .mar archives to find classes in.\n"
    "  --max-heap=SIZE       Cap the heap (bytes, or with k, m, g: 64m).\n"
    "  --max-time=TIME       Stop the program after TIME (2s, 500ms); exit status 3.\n"
    "  --max-steps=N         Stop it after N loop iterations and calls; exit status 3.\n"
    "  --sandbox, --allow-*  Capabilities of the program.\n"
    "  --allow-native        Let non-standard classes bind native functions.\n"
    "  --jit=off|on|always   The template JIT.\n"
    "  -W, -Werror           Compiler warnings; warnings as errors.\n"
    "\n"
    "exit status: the program's (System.exit), 1 on a compile error or uncaught\n"
    "exception, 2 on bad usage, 3 at a limit, 130 when interrupted (Ctrl-C, which\n"
    "prints the Mica stack).\n";

static const char help_build[] =
    "usage: mica build -d OUTDIR [-cp PATH]... [-W] SOURCES...\n"
    "       mica build -o APP.mar [--main pkg.Main] [-r DIR]... [-cp PATH]... INPUTS...\n"
    "\n"
    "Compile SOURCES and write each class to OUTDIR/pkg/Name.mcl, or build one\n"
    "archive from sources and class directories, with the files under each -r DIR\n"
    "as resources. -W reports warnings, -Werror fails on them.\n";

static const char help_disasm[] =
    "usage: mica disasm FILE.mcl...\n"
    "       mica disasm APP.mar [pkg.Name...]\n"
    "\n"
    "Print a listing of class files, or of the classes in an archive.\n";

static const char help_verify[] =
    "usage: mica verify [-cp PATH]... FILE...\n"
    "\n"
    "Load and verify every class of class files, archives and class directories\n"
    "without running them, and list every error.\n";

static const char help_version[] =
    "usage: mica --version (also -version, version)\n"
    "\n"
    "Print the version of mica and of its class files.\n";

bool mica_is_help_flag(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "-help") == 0 ||
           strcmp(a, "-?") == 0;
}

bool mica_print_command_help(const char *cmd)
{
    const char *text = strcmp(cmd, "run") == 0      ? help_run
                       : strcmp(cmd, "build") == 0  ? help_build
                       : strcmp(cmd, "disasm") == 0 ? help_disasm
                       : strcmp(cmd, "verify") == 0 ? help_verify
                       : strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0 ||
                               strcmp(cmd, "-version") == 0
                           ? help_version
                           : NULL;
    if (!text)
        return false;
    fputs(text, stdout);
    return true;
}

/* Does [path] name a regular file that starts with "#!"? */
static bool is_script(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char head[2] = {0, 0};
    size_t n = fread(head, 1, 2, f);
    fclose(f);
    return n == 2 && head[0] == '#' && head[1] == '!';
}

bool mica_is_script_operand(const char *a)
{
    size_t n = strlen(a);
    return (n > 5 && strcmp(a + n - 5, ".mica") == 0) || is_script(a);
}

char **mica_shorthand(int argc, char **argv, int *nargc)
{
    if (argc < 2)
        return NULL;
    const char *a = argv[1];
    if (strcmp(a, "-e") != 0 && strcmp(a, "-") != 0 && !mica_is_script_operand(a))
        return NULL;
    char **v = cm_calloc((size_t)argc + 2, sizeof *v);
    if (!v)
        return NULL;
    v[0] = argv[0];
    static char run[] = "run";
    v[1] = run;
    for (int i = 1; i < argc; i++)
        v[i + 1] = argv[i];
    *nargc = argc + 1;
    return v;
}

/* A program given as -e CODE: whole declarations when it declares a main, else
 * statements that become main's body. */
char *mica_inline_program(const char *code, size_t *len)
{
    bool whole = strstr(code, "fun main") != NULL;
    const char *pre = whole ? "" : "fun main(args: String[]) {\n";
    const char *post = whole ? "\n" : "\n}\n";
    size_t n = strlen(pre) + strlen(code) + strlen(post);
    char *s = cm_malloc(n + 1);
    if (!s)
        return NULL;
    snprintf(s, n + 1, "%s%s%s", pre, code, post);
    *len = n;
    return s;
}

char *mica_read_stdin(size_t *len)
{
    size_t cap = 4096, n = 0;
    char *s = cm_malloc(cap);
    if (!s)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *ns = cap > ((size_t)64 << 20) ? NULL : cm_realloc(s, cap * 2);
            if (!ns) {
                free(s);
                return NULL;
            }
            s = ns;
            cap *= 2;
        }
        size_t k = fread(s + n, 1, cap - n, stdin);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(stdin)) {
        free(s);
        return NULL;
    }
    *len = n;
    return s;
}
