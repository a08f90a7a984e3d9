/* tools/repl.c: `mica repl` (and `mica` alone on a terminal), the interactive
 * read-eval-print loop.
 *
 * One VM lives for the whole session. Each input is compiled as a small
 * program of its own and loaded into that VM:
 * - `import ...;` is kept and put in front of every later input;
 * - declarations (functions, classes, interfaces) compile as a file of their
 *   own (module class Input_N); later inputs see them through the compiler's
 *   class path, the latest definition of a function first;
 * - anything else is a statement or an expression: it becomes the body of
 *   `main` in a file of its own, which first copies the session's variables
 *   into locals and at its end stores them back. Variables live in static
 *   fields of holder classes (ReplVars_N), one made for each input that
 *   declares some; the compiler tells their names and types (CcHooks.on_local).
 *   An expression is evaluated as `let __value = (EXPR);` and its value printed.
 * Line editing and history come from libedit when it was found at build time. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#ifdef MICA_HAVE_LIBEDIT
#include <dlfcn.h>
#include <editline/readline.h>

/* libedit, loaded with dlopen when the REPL reads from a terminal: linked in,
 * it and the libraries behind it were mapped into every `mica run`. */
typedef struct Edit {
    __typeof__(readline) *readline;
    __typeof__(using_history) *using_history;
    __typeof__(stifle_history) *stifle_history;
    __typeof__(read_history) *read_history;
    __typeof__(write_history) *write_history;
    __typeof__(add_history) *add_history;
    __typeof__(rl_readline_name) *readline_name;
} Edit;

/* Fills [e] from libedit; false (plain line reading) when it cannot be loaded. */
static bool edit_load(Edit *e)
{
    static const char *const names[] = {"libedit.so.2", "libedit.so"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib)
            continue;
        void *p[7] = {dlsym(lib, "readline"), dlsym(lib, "using_history"),
                      dlsym(lib, "stifle_history"), dlsym(lib, "read_history"),
                      dlsym(lib, "write_history"), dlsym(lib, "add_history"),
                      dlsym(lib, "rl_readline_name")};
        bool all = true;
        for (size_t k = 0; k < 7; k++)
            all = all && p[k];
        if (all) {
            /* POSIX guarantees a function pointer survives the round trip through void * */
            memcpy(&e->readline, &p[0], sizeof p[0]);
            memcpy(&e->using_history, &p[1], sizeof p[1]);
            memcpy(&e->stifle_history, &p[2], sizeof p[2]);
            memcpy(&e->read_history, &p[3], sizeof p[3]);
            memcpy(&e->write_history, &p[4], sizeof p[4]);
            memcpy(&e->add_history, &p[5], sizeof p[5]);
            e->readline_name = p[6];
            return true; /* stays loaded for the process */
        }
        dlclose(lib);
    }
    return false;
}
#endif

#include "commands.h"
#include "cm_mem.h"
#include "toolkit.h"

#define SUPPORT_CLASS "__ReplSupport"

typedef struct Var {
    char *name;
    char *type;        /* source text */
    bool is_let;
    char *holder;      /* class whose static field holds it */
} Var;

typedef struct Local {
    char *name, *type;
    bool is_let;
} Local;

typedef struct Repl {
    TkSession s;       /* s.mem: declarations, holders, the support class */
#ifdef MICA_HAVE_LIBEDIT
    Edit edit;         /* libedit, when edit_ok (a terminal, and the library loaded) */
    bool edit_ok;
#endif
    MicaVM *vm;
    TkStrs imports;
    Var *vars;
    size_t nvars, vars_cap;
    Local *locals;     /* what CcHooks.on_local reported for the last compile */
    size_t nlocals, locals_cap;
    int counter;
    int *offsets;      /* [input id]: lines the generated file has before the input */
    int offsets_cap;
    char *expr_diag;   /* diagnostics of the last input tried as an expression */
    int expr_offset;
    bool tty;
    bool oom;
    int exit_code;     /* System.exit from the program: the REPL ends with it */
    bool exited;
} Repl;

/* The VM being run, for the SIGINT handler (a process has one REPL). */
static MicaVM *volatile running_vm;

static void on_sigint(int sig)
{
    (void)sig;
    MicaVM *vm = running_vm;
    if (vm)
        mica_interrupt(vm);
}

/* ---- text helpers ----------------------------------------------------------- */

typedef struct Buf {
    char *p;
    size_t n, cap;
    bool oom;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = cm_realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void buf_str(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_fmt(Buf *b, const char *fmt, const char *a, const char *c, const char *d)
{
    char tmp[1024];
    int n = snprintf(tmp, sizeof tmp, fmt, a, c, d);
    if (n >= 0 && (size_t)n < sizeof tmp) {
        buf_add(b, tmp, (size_t)n);
        return;
    }
    /* Long type texts: put the pieces together directly. */
    for (const char *f = fmt; *f; f++) {
        if (f[0] == '%' && f[1] == 's') {
            const char *arg = a;
            a = c;
            c = d;
            buf_str(b, arg ? arg : "");
            f++;
        } else {
            buf_add(b, f, 1);
        }
    }
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static bool is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* Does [text] start with keyword [kw] (followed by a non-identifier character)? */
static bool starts_with_word(const char *text, const char *kw)
{
    size_t n = strlen(kw);
    return strncmp(text, kw, n) == 0 && !is_ident_char(text[n]);
}

/* Does [text] declare [name] with let or var (so that it shadows a session variable)? */
static bool declares(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; *p; p++) {
        if ((p != text && is_ident_char(p[-1])) ||
            !(starts_with_word(p, "let") || starts_with_word(p, "var")))
            continue;
        const char *q = p + 3;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (strncmp(q, name, n) == 0 && !is_ident_char(q[n]))
            return true;
    }
    return false;
}

/* How deep [text] leaves brackets open: > 0 means the input goes on (a block
 * comment left open counts too). Strings with ${...} are followed. */
static int open_depth(const char *text)
{
    int depth = 0;
    int stack[64];     /* brace depth at which each ${ of a string began */
    int sp = 0;
    bool in_string = false, in_comment = false;
    for (const char *p = text; *p; p++) {
        if (in_comment) {
            if (p[0] == '*' && p[1] == '/') {
                in_comment = false;
                p++;
            }
            continue;
        }
        if (in_string) {
            if (*p == '\\' && p[1]) {
                p++;
            } else if (*p == '"') {
                in_string = false;
            } else if (*p == '\n') {
                in_string = false;   /* strings are one line: the compiler will say */
            } else if (p[0] == '$' && p[1] == '{' && sp < 64) {
                stack[sp++] = depth;
                depth++;
                in_string = false;
                p++;
            }
            continue;
        }
        if (p[0] == '/' && p[1] == '/') {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            in_comment = true;
            p++;
        } else if (*p == '"') {
            in_string = true;
        } else if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if (*p == ')' || *p == ']' || *p == '}') {
            depth--;
            if (*p == '}' && sp > 0 && depth == stack[sp - 1]) {
                sp--;
                in_string = true;
            }
        }
    }
    return in_comment ? depth + 1 : depth;
}

/* ---- compiling ---------------------------------------------------------------- */

static void on_local(void *ud, const char *name, const char *type, bool is_let)
{
    Repl *r = ud;
    if (r->nlocals == r->locals_cap) {
        size_t cap = r->locals_cap ? r->locals_cap * 2 : 16;
        Local *v = cm_realloc(r->locals, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return;
        }
        r->locals = v;
        r->locals_cap = cap;
    }
    Local *l = &r->locals[r->nlocals];
    l->name = tk_strdup(name);
    l->type = tk_strdup(type);
    l->is_let = is_let;
    if (!l->name || !l->type) {
        free(l->name);
        free(l->type);
        r->oom = true;
        return;
    }
    r->nlocals++;
}

static void clear_locals(Repl *r)
{
    for (size_t i = 0; i < r->nlocals; i++) {
        free(r->locals[i].name);
        free(r->locals[i].type);
    }
    r->nlocals = 0;
}

static const Local *find_local(const Repl *r, const char *name)
{
    for (size_t i = 0; i < r->nlocals; i++)
        if (strcmp(r->locals[i].name, name) == 0)
            return &r->locals[i];
    return NULL;
}

/* Prints diagnostics of a generated file as positions in the user's input:
 * "<path>:L:C: error: ..." becomes "<repl>:L-offset:C: error: ...". */
static void print_diagnostics(const char *text, const char *path, int offset)
{
    fflush(stdout);
    size_t plen = strlen(path);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        int line, col, used = 0;
        if (n > plen + 1 && strncmp(p, path, plen) == 0 && p[plen] == ':' &&
            sscanf(p + plen, ":%d:%d:%n", &line, &col, &used) == 2 && used > 0) {
            const char *rest = p + plen + used;
            fprintf(stderr, "<repl>:%d:%d:%.*s\n", line - offset > 0 ? line - offset : line, col,
                    (int)(n - plen - (size_t)used), rest);
        } else {
            fprintf(stderr, "%.*s\n", (int)n, p);
        }
        p += n + (nl ? 1 : 0);
    }
}

/* Compiles [nsrc] generated sources; the diagnostics are kept in *[diag]
 * (malloc'd) for the caller to print or drop. Classes go to [out]. */
static int compile(Repl *r, const CcSource *srcs, size_t nsrc, TkClasses *out, char **diag)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        tk_out_of_memory();
        return -1;
    }
    clear_locals(r);
    CcHooks hooks = {.ud = r, .locals_of = "main", .on_local = on_local};
    int nerr = tk_compile(&r->s, srcs, nsrc, f, &hooks, out, NULL);
    fclose(f);
    *diag = text;
    if (r->oom) {
        r->oom = false;
        tk_out_of_memory();
        return -1;
    }
    return nerr;
}

/* ---- running ------------------------------------------------------------------- */

static void set_offset(Repl *r, int id, int offset)
{
    if (id >= r->offsets_cap) {
        int cap = r->offsets_cap ? r->offsets_cap * 2 : 64;
        while (cap <= id)
            cap *= 2;
        int *v = cm_realloc(r->offsets, (size_t)cap * sizeof *v);
        if (!v)
            return;
        memset(v + r->offsets_cap, 0, (size_t)(cap - r->offsets_cap) * sizeof *v);
        r->offsets = v;
        r->offsets_cap = cap;
    }
    r->offsets[id] = offset;
}

/* Prints a failure's message and stack trace with the frames of generated files
 * as places in the inputs: "at Input_3.sq(input_3.mica:5)" becomes
 * "at sq (input 3, line 2)", the input's own code "at input 7, line 1". */
static void print_trace(const Repl *r, const char *msg)
{
    for (const char *p = msg; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        int id, id2, line, used = 0;
        char fn[256];
        const char *at = strstr(p, "at Input_");
        if (at && at < p + n &&
            sscanf(at, "at Input_%d.%255[^(](input_%d.mica:%d)%n", &id, fn, &id2, &line,
                   &used) == 4 && used > 0 && id == id2) {
            int off = id < r->offsets_cap ? r->offsets[id] : 0;
            line = line - off < 1 ? 1 : line - off;
            if (strcmp(fn, "main") == 0)
                fprintf(stderr, "%.*sat input %d, line %d\n", (int)(at - p), p, id, line);
            else
                fprintf(stderr, "%.*sat %s (input %d, line %d)\n", (int)(at - p), p, fn, id,
                        line);
        } else {
            fprintf(stderr, "%.*s\n", (int)n, p);
        }
        p += n + (nl ? 1 : 0);
    }
}

/* Loads [classes] and runs main of [cls] if it is not NULL. false when it failed
 * (the failure is printed). */
static bool load_and_run(Repl *r, const TkClasses *classes, const char *cls)
{
    MicaStatus st = tk_vm_load(r->vm, classes, 0);
    if (st != MICA_OK) {
        fflush(stdout);
        fprintf(stderr, "error: %s\n", mica_last_error(r->vm));
        return false;
    }
    if (!cls)
        return true;
    int exit_code = 0;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    running_vm = r->vm;
    sigaction(SIGINT, &sa, &old);
    st = mica_run_main(r->vm, cls, 0, NULL, &exit_code);
    sigaction(SIGINT, &old, NULL);
    running_vm = NULL;
    fflush(stdout);
    if (st == MICA_OK)
        return true;
    if (st == MICA_ERR_EXIT) {
        r->exited = true;
        r->exit_code = exit_code;
        return false;
    }
    const char *msg = mica_last_error(r->vm);
    if (st == MICA_ERR_INTERRUPTED)
        fprintf(stderr, "interrupted\n");
    else if (st == MICA_ERR_EXCEPTION)
        print_trace(r, msg);
    else
        fprintf(stderr, "error: %s\n", msg[0] ? msg : "the virtual machine failed");
    return false;
}

/* Adds the classes of [classes] to the compiler's view of the session. */
static bool remember(Repl *r, const TkClasses *classes)
{
    for (size_t i = 0; i < classes->n; i++)
        if (tk_classes_push(&r->s.mem, classes->v[i].name, classes->v[i].bytes,
                            classes->v[i].len) != 0) {
            tk_out_of_memory();
            return false;
        }
    return true;
}

static void add_imports(Repl *r, Buf *b)
{
    for (size_t i = 0; i < r->imports.n; i++) {
        buf_str(b, r->imports.v[i]);
        buf_str(b, "\n");
    }
}

/* ---- the kinds of input ------------------------------------------------------------ */

static void do_import(Repl *r, const char *text)
{
    Buf b = {0};
    add_imports(r, &b);
    buf_str(&b, text);
    buf_str(&b, "\n");
    char path[64];
    snprintf(path, sizeof path, "input_%d.mica", ++r->counter);
    if (b.oom) {
        tk_out_of_memory();
        goto done;
    }
    CcSource src = {path, b.p, b.n};
    TkClasses out = {0};
    char *diag = NULL;
    int nerr = compile(r, &src, 1, &out, &diag);
    if (nerr > 0)
        print_diagnostics(diag, path, (int)r->imports.n);
    else if (nerr == 0 && tk_strs_push(&r->imports, text) != 0)
        tk_out_of_memory();
    free(diag);
    tk_classes_free(&out);
done:
    free(b.p);
}

static void do_declaration(Repl *r, const char *text)
{
    Buf b = {0};
    add_imports(r, &b);
    buf_str(&b, text);
    buf_str(&b, "\n");
    char path[64];
    snprintf(path, sizeof path, "input_%d.mica", ++r->counter);
    if (b.oom) {
        tk_out_of_memory();
        free(b.p);
        return;
    }
    CcSource src = {path, b.p, b.n};
    TkClasses out = {0};
    char *diag = NULL;
    int nerr = compile(r, &src, 1, &out, &diag);
    if (nerr > 0)
        print_diagnostics(diag, path, (int)r->imports.n);
    bool ok = nerr == 0;
    for (size_t i = 0; ok && i < out.n; i++)
        for (size_t k = 0; k < r->s.mem.n; k++)
            if (strcmp(out.v[i].name, r->s.mem.v[k].name) == 0) {
                fprintf(stderr, "error: %s is already defined in this session "
                        "(classes cannot be redefined)\n", out.v[i].name);
                ok = false;
                break;
            }
    set_offset(r, r->counter, (int)r->imports.n);
    if (ok && load_and_run(r, &out, NULL))
        remember(r, &out);
    free(diag);
    tk_classes_free(&out);
    free(b.p);
}

/* The wrapper: imports, `fun main() {`, the session's variables as locals (those
 * [text] does not declare again), then [body]. *[first] gets the line [body]
 * starts on, less one. */
static void wrapper_head(Repl *r, Buf *b, const char *text, int *offset)
{
    add_imports(r, b);
    buf_str(b, "fun main() {\n");
    for (size_t i = 0; i < r->nvars; i++) {
        Var *v = &r->vars[i];
        if (declares(text, v->name))
            continue;
        buf_fmt(b, v->is_let ? "let %s: %s = " : "var %s: %s = ", v->name, v->type, NULL);
        buf_fmt(b, "%s.%s;\n", v->holder, v->name, NULL);
    }
    *offset = count_lines(b->p ? b->p : "");
}

/* Stores the `var` variables of the session (not redeclared by [text]) back. */
static void write_back(Repl *r, Buf *b, const char *text)
{
    for (size_t i = 0; i < r->nvars; i++) {
        Var *v = &r->vars[i];
        if (!v->is_let && !declares(text, v->name))
            buf_fmt(b, "%s.%s = %s;\n", v->holder, v->name, v->name);
    }
}

/* Tries [text] as an expression: 1 evaluated (or, with [type_only], its type
 * printed), 0 not an expression, -1 out of memory. */
static int try_expression(Repl *r, const char *text, bool type_only)
{
    free(r->expr_diag);
    r->expr_diag = NULL;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ';' || isspace((unsigned char)text[n - 1])))
        n--;
    if (n == 0)
        return 0;
    Buf b = {0};
    int offset;
    wrapper_head(r, &b, "", &offset);
    buf_str(&b, "let __value = (\n");
    buf_add(&b, text, n);
    buf_str(&b, "\n);\n");
    if (!type_only) {
        buf_str(&b, "println(" SUPPORT_CLASS ".show(__value));\n");
        write_back(r, &b, "");
    }
    buf_str(&b, "}\n");
    char path[64];
    snprintf(path, sizeof path, "input_%d.mica", r->counter + 1);
    if (b.oom) {
        free(b.p);
        return -1;
    }
    CcSource src = {path, b.p, b.n};
    TkClasses out = {0};
    char *diag = NULL;
    int nerr = compile(r, &src, 1, &out, &diag);
    int rc = 0;
    if (nerr == 0) {
        rc = 1;
        r->counter++;
        set_offset(r, r->counter, offset + 1);
        const Local *l = find_local(r, "__value");
        if (type_only) {
            printf("%s\n", l ? l->type : "?");
        } else {
            char cls[64];
            snprintf(cls, sizeof cls, "Input_%d", r->counter);
            load_and_run(r, &out, cls);
        }
    } else if (nerr < 0) {
        rc = -1;
    } else if (type_only) {
        print_diagnostics(diag, path, offset + 1);
        rc = 1;
    } else {
        r->expr_diag = diag;   /* shown if the input is no statement either */
        r->expr_offset = offset + 1;
        diag = NULL;
    }
    free(diag);
    tk_classes_free(&out);
    free(b.p);
    return rc;
}

static bool add_var(Repl *r, const char *name, const char *type, bool is_let, const char *holder)
{
    for (size_t i = 0; i < r->nvars; i++)
        if (strcmp(r->vars[i].name, name) == 0) {
            Var *v = &r->vars[i];
            char *t = tk_strdup(type), *h = tk_strdup(holder);
            if (!t || !h) {
                free(t);
                free(h);
                return false;
            }
            free(v->type);
            free(v->holder);
            v->type = t;
            v->holder = h;
            v->is_let = is_let;
            return true;
        }
    if (r->nvars == r->vars_cap) {
        size_t cap = r->vars_cap ? r->vars_cap * 2 : 16;
        Var *v = cm_realloc(r->vars, cap * sizeof *v);
        if (!v)
            return false;
        r->vars = v;
        r->vars_cap = cap;
    }
    Var *v = &r->vars[r->nvars];
    v->name = tk_strdup(name);
    v->type = tk_strdup(type);
    v->holder = tk_strdup(holder);
    v->is_let = is_let;
    if (!v->name || !v->type || !v->holder) {
        free(v->name);
        free(v->type);
        free(v->holder);
        return false;
    }
    r->nvars++;
    return true;
}

static bool is_session_var(const Repl *r, const char *name, const char *text)
{
    for (size_t i = 0; i < r->nvars; i++)
        if (strcmp(r->vars[i].name, name) == 0 && !declares(text, name))
            return true;
    return false;
}

static void do_statements(Repl *r, const char *text)
{
    /* A statement needs its semicolon; a block or a declaration ends with '}'. */
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    Buf body = {0};
    buf_add(&body, text, n);
    if (n > 0 && text[n - 1] != ';' && text[n - 1] != '}')
        buf_str(&body, ";");
    buf_str(&body, "\n");
    int id = ++r->counter;
    char path[64], cls[64], holder[64], hpath[64];
    snprintf(path, sizeof path, "input_%d.mica", id);
    snprintf(cls, sizeof cls, "Input_%d", id);
    snprintf(holder, sizeof holder, "ReplVars_%d", id);
    snprintf(hpath, sizeof hpath, "replvars_%d.mica", id);
    Buf plain = {0}, full = {0}, hold = {0};
    TkClasses out = {0};
    char *diag = NULL;
    int offset;
    Local *keep = NULL;
    size_t nkeep = 0;

    /* 1. As written, to report errors and learn the new variables. */
    wrapper_head(r, &plain, text, &offset);
    buf_str(&plain, body.p ? body.p : "");
    buf_str(&plain, "}\n");
    if (body.oom || plain.oom)
        goto oom;
    CcSource src = {path, plain.p, plain.n};
    int nerr = compile(r, &src, 1, &out, &diag);
    if (nerr < 0)
        goto done;
    if (nerr > 0) {
        /* An expression that does not compile reads best with the errors it had as one. */
        if (r->expr_diag && strstr(diag, "is not a statement"))
            print_diagnostics(r->expr_diag, path, r->expr_offset);
        else
            print_diagnostics(diag, path, offset);
        goto done;
    }
    set_offset(r, id, offset);
    /* 2. With a holder for the new variables and the stores back. */
    keep = cm_calloc(r->nlocals + 1, sizeof *keep);
    if (!keep)
        goto oom;
    buf_fmt(&hold, "class %s {\n", holder, NULL, NULL);
    for (size_t i = 0; i < r->nlocals; i++) {
        Local *l = &r->locals[i];
        if (is_session_var(r, l->name, text) || strncmp(l->name, "__", 2) == 0)
            continue;
        Local *k = &keep[nkeep++];
        k->name = tk_strdup(l->name);
        k->type = tk_strdup(l->type);
        k->is_let = l->is_let;
        if (!k->name || !k->type)
            goto oom;
        buf_fmt(&hold, "    static var %s: %s;\n", l->name, l->type, NULL);
    }
    buf_str(&hold, "}\n");
    wrapper_head(r, &full, text, &offset);
    buf_str(&full, body.p);
    write_back(r, &full, text);
    for (size_t i = 0; i < nkeep; i++)
        buf_fmt(&full, "%s.%s = %s;\n", holder, keep[i].name, keep[i].name);
    buf_str(&full, "}\n");
    if (hold.oom || full.oom)
        goto oom;
    CcSource two[2] = {{path, full.p, full.n}, {hpath, hold.p, hold.n}};
    TkClasses out2 = {0};
    free(diag);
    diag = NULL;
    nerr = compile(r, two, nkeep ? 2 : 1, &out2, &diag);
    if (nerr == 0) {
        tk_classes_free(&out);
        out = out2;
    } else {
        /* The body cannot complete normally (it throws or returns): the stores
         * back would be unreachable. Run it as written; no variable changes. */
        tk_classes_free(&out2);
        if (nerr < 0)
            goto done;
    }
    if (load_and_run(r, &out, cls) && nerr == 0 && nkeep) {
        TkClasses holders = {0};
        for (size_t i = 0; i < out.n; i++)
            if (strcmp(out.v[i].name, holder) == 0 &&
                tk_classes_push(&holders, holder, out.v[i].bytes, out.v[i].len) != 0)
                tk_out_of_memory();
        remember(r, &holders);
        tk_classes_free(&holders);
        for (size_t i = 0; i < nkeep; i++)
            if (!add_var(r, keep[i].name, keep[i].type, keep[i].is_let, holder))
                tk_out_of_memory();
    }
    goto done;
oom:
    tk_out_of_memory();
done:
    for (size_t i = 0; i < nkeep; i++) {
        free(keep[i].name);
        free(keep[i].type);
    }
    free(keep);
    free(diag);
    tk_classes_free(&out);
    free(body.p);
    free(plain.p);
    free(full.p);
    free(hold.p);
}

static const char help_text[] =
    "Type a declaration (fun, class, interface), an import, a statement or an\n"
    "expression; an expression's value is printed. Input goes on over several\n"
    "lines while brackets are open. Variables declared with let/var stay for the\n"
    "session; functions and classes declared here do not see them.\n"
    "  :type EXPR   the static type of EXPR (not evaluated)\n"
    "  :vars        the session's variables and their types\n"
    "  :help        this text\n"
    "  :quit        leave (also Ctrl-D)\n";

static void do_command(Repl *r, const char *text)
{
    if (starts_with_word(text, ":quit") || starts_with_word(text, ":q") ||
        starts_with_word(text, ":exit")) {
        r->exited = true;
        r->exit_code = 0;
    } else if (starts_with_word(text, ":help") || starts_with_word(text, ":h") ||
               starts_with_word(text, ":?")) {
        fputs(help_text, stdout);
    } else if (starts_with_word(text, ":type") || starts_with_word(text, ":t")) {
        const char *e = text + (starts_with_word(text, ":t") ? 2 : 5);
        while (isspace((unsigned char)*e))
            e++;
        if (!*e)
            fprintf(stderr, "usage: :type EXPR\n");
        else if (try_expression(r, e, true) < 0)
            tk_out_of_memory();
    } else if (starts_with_word(text, ":vars")) {
        for (size_t i = 0; i < r->nvars; i++)
            printf("%s %s: %s\n", r->vars[i].is_let ? "let" : "var", r->vars[i].name,
                   r->vars[i].type);
    } else {
        fprintf(stderr, "unknown command %s (:help lists them)\n", text);
    }
    fflush(stdout);
}

static void eval(Repl *r, const char *text)
{
    while (isspace((unsigned char)*text))
        text++;
    if (!*text)
        return;
    if (text[0] == ':') {
        do_command(r, text);
        return;
    }
    if (starts_with_word(text, "import")) {
        do_import(r, text);
        return;
    }
    if (starts_with_word(text, "package")) {
        fprintf(stderr, "error: a package cannot be declared here\n");
        return;
    }
    static const char *const decl_words[] = {"fun", "class", "interface", "abstract", "final",
                                             "private", "static", NULL};
    for (int i = 0; decl_words[i]; i++)
        if (starts_with_word(text, decl_words[i])) {
            do_declaration(r, text);
            return;
        }
    if (text[0] == '@') {
        do_declaration(r, text);
        return;
    }
    int rc = try_expression(r, text, false);
    if (rc == 0)
        do_statements(r, text);
    else if (rc < 0)
        tk_out_of_memory();
}

/* ---- reading input ---------------------------------------------------------------- */

/* One line without its newline (malloc'd), NULL at end of input. */
static char *read_line(Repl *r, bool more)
{
#ifdef MICA_HAVE_LIBEDIT
    if (r->tty && r->edit_ok)
        return r->edit.readline(more ? "  ... " : "mica> ");
#endif
    if (r->tty) {
        fputs(more ? "  ... " : "mica> ", stdout);
        fflush(stdout);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[--n] = 0;
    return line;
}

static const char support_source[] =
    "class " SUPPORT_CLASS " {\n"
    "    static fun show(v: Object): String {\n"
    "        if (v is String) { return \"\\\"\" + (v as String) + \"\\\"\"; }\n"
    "        return String.valueOf(v);\n"
    "    }\n"
    "}\n";

static const char repl_usage[] =
    "usage: mica repl [--allow-native] [-cp DIR]... [--max-heap=SIZE]\n"
    "  Read declarations, statements and expressions and evaluate each at once.\n"
    "  Without a terminal on standard input, lines are read from it without prompts.\n";

int mica_cmd_repl(int argc, char **argv)
{
    Repl r;
    memset(&r, 0, sizeof r);
    int status = 0;
    for (int i = 0; i < argc;) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(repl_usage, stdout);
            return 0;
        }
        int rc = tk_parse_option(&r.s, argc, argv, &i);
        if (rc == 1)
            continue;
        if (rc == 0) {
            fprintf(stderr, "mica: unexpected argument '%s'\n%s", argv[i], repl_usage);
            rc = TK_EXIT_USAGE;
        }
        tk_session_free(&r.s);
        return rc;
    }
    /* --max-time and --max-steps apply to each input, not to the session. */
    r.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    TkClasses support = {0};
    char *diag = NULL;
    CcSource src = {SUPPORT_CLASS ".mica", support_source, strlen(support_source)};
    if (compile(&r, &src, 1, &support, &diag) != 0) {
        fprintf(stderr, "mica: internal error: %s", diag ? diag : "");
        free(diag);
        tk_session_free(&r.s);
        return 1;
    }
    free(diag);
    remember(&r, &support);
    r.vm = tk_vm_new(&r.s, &support);
    tk_classes_free(&support);
    if (!r.vm) {
        tk_session_free(&r.s);
        return 1;
    }
    char *history = NULL;
#ifdef MICA_HAVE_LIBEDIT
    if (r.tty && (r.edit_ok = edit_load(&r.edit))) {
        *r.edit.readline_name = "mica";
        r.edit.using_history();
        r.edit.stifle_history(1000);
        const char *home = getenv("HOME");
        if (home && *home && (history = cm_malloc(strlen(home) + 20)) != NULL) {
            sprintf(history, "%s/.mica_history", home);
            r.edit.read_history(history);
        }
    }
#endif
    if (r.tty)
        printf("Mica %s. Type :help for help, :quit or Ctrl-D to leave.\n", MICA_VERSION_STRING);
    Buf input = {0};
    while (!r.exited) {
        char *line = read_line(&r, input.n > 0);
        if (!line) {
            if (input.n > 0)
                eval(&r, input.p);   /* what was left open: let the compiler say */
            if (r.tty)
                putchar('\n');
            break;
        }
        if (input.n > 0)
            buf_str(&input, "\n");
        buf_str(&input, line);
        free(line);
        if (input.oom) {
            tk_out_of_memory();
            status = 1;
            break;
        }
        if (open_depth(input.p) > 0)
            continue;
#ifdef MICA_HAVE_LIBEDIT
        if (r.tty && r.edit_ok && input.p[strspn(input.p, " \t")])
            r.edit.add_history(input.p);
#endif
        eval(&r, input.p);
        input.n = 0;
        input.p[0] = 0;
        fflush(stdout);
    }
    if (r.exited)
        status = r.exit_code;
#ifdef MICA_HAVE_LIBEDIT
    if (history)
        r.edit.write_history(history);
#endif
    free(history);
    free(input.p);
    clear_locals(&r);
    free(r.locals);
    for (size_t i = 0; i < r.nvars; i++) {
        free(r.vars[i].name);
        free(r.vars[i].type);
        free(r.vars[i].holder);
    }
    free(r.vars);
    tk_strs_free(&r.imports);
    free(r.offsets);
    free(r.expr_diag);
    mica_vm_free(r.vm);
    tk_session_free(&r.s);
    return status;
}
