/* compiler/compiler.c: cc_compile, the compiler's entry point: parse every
 * source, declare, generate, then hand the class files to the caller. */
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "cm_mem.h"

static void free_blocks(Cc *cc)
{
    Block *b = cc->blocks;
    while (b) {
        Block *next = b->next;
        free(b);
        b = next;
    }
    cc->blocks = NULL;
}

static void find_main(Cc *cc, CcResult *res)
{
    for (int i = 0; i < cc->nfiles; i++) {
        SourceFile *f = cc->files[i];
        for (int k = 0; f->module && k < f->nfuncs; k++)
            if (strcmp(f->funcs[k]->name, "main") == 0) {
                snprintf(res->main_class, sizeof res->main_class, "%s", f->module->name);
                return;
            }
    }
}

static int line_of(const SourceFile *f, uint32_t pos)
{
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

static void find_tests(Cc *cc, const CcHooks *hooks)
{
    for (int i = 0; i < cc->nfiles; i++) {
        SourceFile *f = cc->files[i];
        for (int k = 0; f->module && k < f->nfuncs; k++)
            if (f->funcs[k]->is_test)
                hooks->on_test(hooks->ud, f->module->name, f->funcs[k]->name, f->path,
                        line_of(f, f->funcs[k]->pos));
    }
}

int cc_compile(const CcSource *srcs, size_t n, const CcClassPath *cp, const CcOptions *opt,
               CcEmitFn emit, void *emit_ud, CcResult *res)
{
    return cc_compile_hooks(srcs, n, cp, opt, emit, emit_ud, res, NULL);
}

int cc_compile_hooks(const CcSource *srcs, size_t n, const CcClassPath *cp, const CcOptions *opt,
                     CcEmitFn emit, void *emit_ud, CcResult *res, const CcHooks *hooks)
{
    Cc *cc = cm_calloc(1, sizeof *cc);
    if (!cc)
        return 1;
    CfClass **volatile classes = NULL;
    volatile int nclasses = 0;
    cc->cp = cp;
    cc->diag = opt && opt->diag ? opt->diag : stderr;
    cc->max_errors = opt && opt->max_errors > 0 ? opt->max_errors : 50;
    cc->no_implicit_std = opt && opt->no_implicit_std;
    cc->warnings = opt && (opt->warnings || opt->werror);
    cc->werror = opt && opt->werror;
    cc->hooks = hooks;
    if (res) {
        res->nerrors = 0;
        res->nwarnings = 0;
        res->main_class[0] = 0;
    }
    if (setjmp(cc->oom)) {
        fprintf(cc->diag, "error: out of memory while compiling\n");
        cc->nerrors++;
        goto done;
    }
    cc_types_init(cc);
    cc->files = cc_alloc(cc, sizeof(SourceFile *) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        SourceFile *f = cc_alloc(cc, sizeof *f);
        f->path = srcs[i].path ? srcs[i].path : "<input>";
        f->text = srcs[i].text ? srcs[i].text : "";
        f->len = srcs[i].text ? srcs[i].len : 0;
        /* A leading UTF-8 byte-order mark is not part of the program. */
        if (f->len >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0) {
            f->text += 3;
            f->len -= 3;
        }
        cc_index_lines(cc, f);
        cc->files[cc->nfiles++] = f;
        cc_parse_file(cc, f);
    }
    if (cc->nerrors)
        goto done;
    cc_declare_all(cc);
    if (cc->nerrors)
        goto done;
    CfClass **out;
    int nout;
    cc_generate_all(cc, &out, &nout);
    classes = out;
    nclasses = nout;
    if (cc->nerrors)
        goto done;
    for (int i = 0; i < nclasses; i++) {
        uint8_t *bytes = NULL;
        size_t len = 0;
        CfError err;
        if (cf_write(classes[i], &bytes, &len, &err) != 0) {
            fprintf(cc->diag, "error: cannot write class %s: %s\n", cf_this_name(classes[i]),
                    err.msg);
            cc->nerrors++;
            break;
        }
        int rc = emit ? emit(emit_ud, cf_this_name(classes[i]), bytes, len) : 0;
        free(bytes);
        if (rc != 0)
            break;
    }
    if (res)
        find_main(cc, res);
    if (hooks && hooks->on_test && cc->nerrors == 0)
        find_tests(cc, hooks);
done:
    for (int i = 0; i < nclasses; i++)
        cf_class_free(classes[i]);
    int nerr = cc->nerrors;
    if (res) {
        res->nerrors = nerr;
        res->nwarnings = cc->nwarnings;
    }
    free_blocks(cc);
    free(cc);
    return nerr;
}
