/* tools/test_cmd.c: `mica test`, the test runner.
 *
 * Compiles the sources given (files, or every .mica file under directories)
 * as one program, finds the top-level functions annotated @test, and runs each
 * in a VM of its own, so that one test's failure, static state, limit or
 * System.exit cannot affect the others. A test passes when its function
 * returns; it fails with whatever escapes it (an AssertionError of std.test, any
 * other exception, a limit). Each VM runs a small generated driver whose main
 * calls the test named by its argument. */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cm_mem.h"
#include "toolkit.h"

#define DRIVER_CLASS "__mica_test_driver"

typedef struct TestCase {
    char *cls;        /* internal name of the module class */
    char *fn;
    char *path;
    int line;
    char *name;       /* "pkg.Module.fn" as shown and filtered */
} TestCase;

typedef struct Runner {
    TestCase *v;
    size_t n, cap;
    bool oom;
} Runner;

static void on_test(void *ud, const char *class_name, const char *function, const char *path,
                    int line)
{
    Runner *r = ud;
    if (r->oom)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        TestCase *v = cm_realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return;
        }
        r->v = v;
        r->cap = cap;
    }
    TestCase *t = &r->v[r->n];
    t->cls = tk_strdup(class_name);
    t->fn = tk_strdup(function);
    t->path = tk_strdup(path);
    t->line = line;
    t->name = cm_malloc(strlen(class_name) + strlen(function) + 2);
    if (!t->cls || !t->fn || !t->path || !t->name) {
        free(t->cls);
        free(t->fn);
        free(t->path);
        free(t->name);
        r->oom = true;
        return;
    }
    char *d = t->name;
    for (const char *s = class_name; *s; s++)
        *d++ = *s == '/' ? '.' : *s;
    *d++ = '.';
    strcpy(d, function);
    r->n++;
}

static void runner_free(Runner *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].cls);
        free(r->v[i].fn);
        free(r->v[i].path);
        free(r->v[i].name);
    }
    free(r->v);
}

static const char test_usage[] =
    "usage: mica test [options] [SOURCES...]\n"
    "  Compile SOURCES (.mica files, or directories: every .mica file under them;\n"
    "  default: the current directory) as one program and run each top-level\n"
    "  function annotated @test in a VM of its own. Assertions: import std.test.*.\n"
    "options:\n"
    "  -k, --filter TEXT     Run only the tests whose name (pkg.Module.function)\n"
    "                        contains TEXT (repeatable: any of them).\n"
    "  --list                Print the tests' names and locations, run nothing.\n"
    "  -q, --quiet           Print only failures and the summary.\n"
    "  -cp DIR[:DIR...]      Class path for the program's dependencies.\n"
    "  --allow-native        Let non-standard classes bind native functions.\n"
    "  --max-heap=SIZE, --max-time=TIME, --max-steps=N\n"
    "                        Limits for each test (a test over them fails).\n"
    "exit status: 0 when every test passed, 1 when one failed, no test was found\n"
    "or the program did not compile, 2 on bad usage.\n";

static bool contains(const char *p, size_t n, const char *what)
{
    size_t m = strlen(what);
    for (size_t k = 0; k + m <= n; k++)
        if (strncmp(p + k, what, m) == 0)
            return true;
    return false;
}

/* Prints a VM's failure message indented, without the frames of the driver and
 * of std.test's assertions. */
static void print_failure(const char *msg)
{
    const char *p = msg;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (!contains(p, n, DRIVER_CLASS) && !contains(p, n, "    at std.test."))
            printf("      %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

/* The driver: main(args) calls the test whose index is args[0]. */
static char *driver_source(const Runner *r)
{
    size_t cap = 256;
    for (size_t i = 0; i < r->n; i++)
        cap += strlen(r->v[i].name) + 40;
    char *src = cm_malloc(cap);
    if (!src)
        return NULL;
    size_t len = (size_t)snprintf(src, cap, "fun main(args: String[]) {\n    switch (args[0]) {\n");
    for (size_t i = 0; i < r->n; i++)
        len += (size_t)snprintf(src + len, cap - len, "        case \"%zu\": %s();\n", i,
                                r->v[i].name);
    snprintf(src + len, cap - len, "    }\n}\n");
    return src;
}

static bool selected(const TestCase *t, const TkStrs *filters)
{
    if (filters->n == 0)
        return true;
    for (size_t i = 0; i < filters->n; i++)
        if (strstr(t->name, filters->v[i]))
            return true;
    return false;
}

int mica_cmd_test(int argc, char **argv)
{
    TkSession s = {0};
    TkStrs sources = {0}, filters = {0};
    TkClasses classes = {0};
    Runner r = {0};
    char *driver = NULL;
    bool list = false, quiet = false;
    int status = 1;
    int i = 0;
    while (i < argc) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(test_usage, stdout);
            status = 0;
            goto done;
        }
        if (strcmp(a, "-k") == 0 || strcmp(a, "--filter") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mica: option %s needs a text\n%s", a, test_usage);
                status = TK_EXIT_USAGE;
                goto done;
            }
            if (tk_strs_push(&filters, argv[i + 1]) != 0)
                goto oom;
            i += 2;
            continue;
        }
        if (strncmp(a, "--filter=", 9) == 0) {
            if (tk_strs_push(&filters, a + 9) != 0)
                goto oom;
            i++;
            continue;
        }
        if (strcmp(a, "--list") == 0 || strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            if (a[2] == 'l')
                list = true;
            else
                quiet = true;
            i++;
            continue;
        }
        int rc = tk_parse_option(&s, argc, argv, &i);
        if (rc == 1)
            continue;
        if (rc != 0) {
            status = rc;
            goto done;
        }
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] == '-' && a[1] != 0) {
            fprintf(stderr, "mica: unknown option '%s'\n%s", a, test_usage);
            status = TK_EXIT_USAGE;
            goto done;
        }
        break;
    }
    for (; i < argc; i++)
        if (tk_add_sources(&sources, argv[i]) != 0)
            goto done;
    if (sources.n == 0 && tk_add_sources(&sources, ".") != 0)
        goto done;

    CcHooks hooks = {.ud = &r, .on_test = on_test};
    CcResult res;
    memset(&res, 0, sizeof res);
    int nerr = tk_compile_files(&s, &sources, stderr, &hooks, &classes, &res);
    if (r.oom)
        goto oom;
    if (nerr != 0)
        goto done;
    if (r.n == 0) {
        fflush(stdout);
        fprintf(stderr, "mica: no @test functions in %s%s\n", sources.v[0],
                sources.n > 1 ? " and the other sources" : "");
        goto done;
    }
    size_t nsel = 0;
    for (size_t k = 0; k < r.n; k++)
        nsel += selected(&r.v[k], &filters);
    if (nsel == 0) {
        fflush(stdout);
        fprintf(stderr, "mica: no test matches the filter\n");
        goto done;
    }
    if (list) {
        for (size_t k = 0; k < r.n; k++)
            if (selected(&r.v[k], &filters))
                printf("%s (%s:%d)\n", r.v[k].name, r.v[k].path, r.v[k].line);
        status = 0;
        goto done;
    }

    /* The driver compiles against the program's classes, held in memory. */
    driver = driver_source(&r);
    if (!driver)
        goto oom;
    TkClasses program = classes;
    s.mem = program;
    classes = (TkClasses){0};
    CcSource dsrc = {DRIVER_CLASS ".mica", driver, strlen(driver)};
    nerr = tk_compile(&s, &dsrc, 1, stderr, NULL, &classes, NULL);
    if (nerr != 0) {
        fprintf(stderr, "mica: the test driver did not compile\n");
        goto done;
    }

    size_t passed = 0, failed = 0;
    for (size_t k = 0; k < r.n; k++) {
        TestCase *t = &r.v[k];
        if (!selected(t, &filters))
            continue;
        char index[32];
        snprintf(index, sizeof index, "%zu", k);
        const char *args[1] = {index};
        MicaVM *vm = tk_vm_new(&s, &s.mem);
        if (!vm)
            goto done;
        MicaStatus st = tk_vm_load(vm, &classes, 0);
        int exit_code = 0;
        if (st == MICA_OK)
            st = mica_run_main(vm, DRIVER_CLASS, 1, args, &exit_code);
        fflush(stdout);
        if (st == MICA_OK) {
            passed++;
            if (!quiet)
                printf("ok    %s (%s:%d)\n", t->name, t->path, t->line);
        } else {
            failed++;
            printf("FAIL  %s (%s:%d)\n", t->name, t->path, t->line);
            if (st == MICA_ERR_EXIT) {
                printf("      the test called System.exit(%d)\n", exit_code);
            } else if (st == MICA_ERR_LIMIT || st == MICA_ERR_INTERRUPTED) {
                printf("      stopped: %s\n", mica_last_error(vm));
            } else {
                print_failure(mica_last_error(vm));
            }
        }
        fflush(stdout);
        mica_vm_free(vm);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    fflush(stdout);
    status = failed ? 1 : 0;
    goto done;
oom:
    tk_out_of_memory();
done:
    free(driver);
    runner_free(&r);
    tk_strs_free(&sources);
    tk_strs_free(&filters);
    tk_classes_free(&classes);
    tk_session_free(&s);
    return status;
}
