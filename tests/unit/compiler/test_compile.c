/* tests/unit/compiler/test_compile.c: cc_compile end to end against an
 * in-memory class path holding the standard library it compiled first:
 * diagnostics, emitted classes, bytecode shape and verification. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "compiler.h"

typedef struct Blob {
    char name[256];
    uint8_t *bytes;
    size_t len;
} Blob;

typedef struct Store {
    Blob b[1024];
    int n;
} Store;

static Store std_store;   /* the compiled standard library, built once per test */

static int store_emit(void *ud, const char *name, const uint8_t *bytes, size_t len)
{
    Store *s = ud;
    if (s->n >= 1024)
        return -1;
    Blob *b = &s->b[s->n++];
    snprintf(b->name, sizeof b->name, "%s", name);
    b->bytes = malloc(len);
    memcpy(b->bytes, bytes, len);
    b->len = len;
    return 0;
}

static const Blob *store_get(const Store *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->b[i].name, name) == 0)
            return &s->b[i];
    return NULL;
}

static const uint8_t *cp_find(void *ud, const char *name, size_t *len)
{
    const Blob *b = store_get(ud, name);
    if (!b)
        return NULL;
    *len = b->len;
    return b->bytes;
}

static void cp_list(void *ud, const char *pkg, void (*fn)(void *, const char *), void *arg)
{
    Store *s = ud;
    size_t n = strlen(pkg);
    for (int i = 0; i < s->n; i++)
        if (strncmp(s->b[i].name, pkg, n) == 0 && s->b[i].name[n] == '/' &&
            !strchr(s->b[i].name + n + 1, '/'))
            fn(arg, s->b[i].name);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* Collects the paths of every .mica file under [dir] into [paths]. */
static void find_sources(const char *dir, char paths[][512], int *n, int max)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".mica") == 0) {
            ck_assert_int_lt(*n, max);
            snprintf(paths[(*n)++], 512, "%s", p);
        } else if (!strchr(e->d_name, '.')) {
            find_sources(p, paths, n, max);
        }
    }
    closedir(d);
}

/* The whole standard library, as the build compiles it (std.core's classes
 * use the collections, so they are compiled together). */
static void build_std(void)
{
    enum { MAXFILES = 256 };
    static char paths[MAXFILES][512];
    static CcSource srcs[MAXFILES];
    int n = 0;
    char root[512];
    snprintf(root, sizeof root, "%s/stdlib/std", MICA_SOURCE_DIR);
    find_sources(root, paths, &n, MAXFILES);
    for (int i = 0; i < n; i++) {
        srcs[i].path = paths[i];
        srcs[i].text = slurp(paths[i], &srcs[i].len);
    }
    CcOptions opt = {stderr, 0, true, false, false};
    std_store.n = 0;
    int nerr = cc_compile(srcs, n, NULL, &opt, store_emit, &std_store, NULL);
    ck_assert_int_eq(nerr, 0);
    for (int i = 0; i < n; i++)
        free((void *)srcs[i].text);
}

typedef struct Out {
    Store classes;
    char *diag;
    size_t diag_len;
    CcResult res;
    int nerr;
} Out;

static void compile(Out *o, const char *path, const char *src, int max_errors)
{
    memset(o, 0, sizeof *o);
    FILE *diag = open_memstream(&o->diag, &o->diag_len);
    CcSource s = {path, src, strlen(src)};
    CcClassPath cp = {&std_store, cp_find, cp_list};
    CcOptions opt = {diag, max_errors, false, false, false};
    o->nerr = cc_compile(&s, 1, &cp, &opt, store_emit, &o->classes, &o->res);
    fclose(diag);
}

static void out_free(Out *o)
{
    for (int i = 0; i < o->classes.n; i++)
        free(o->classes.b[i].bytes);
    free(o->diag);
}

/* ---- a verifier hierarchy over std_store and a test's own classes ---------- */
typedef struct Both {
    Store *a, *b;
} Both;

static CfClass *load(Both *h, const char *name)
{
    const Blob *bl = store_get(h->a, name);
    if (!bl)
        bl = store_get(h->b, name);
    if (!bl)
        return NULL;
    CfError err;
    return cf_read(bl->bytes, bl->len, name, &err);
}

static int h_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    if (strcmp(from, to) == 0 || strcmp(to, "std/core/Object") == 0)
        return 1;
    if (from[0] == '[' || to[0] == '[')
        return 0;
    for (int depth = 0; depth < 64; depth++) {
        CfClass *c = load(ud, from);
        if (!c) {
            snprintf(err->msg, sizeof err->msg, "no class %s", from);
            return -1;
        }
        int found = 0;
        /* interfaces, and what they extend */
        for (int i = 0; i < c->ninterfaces && !found; i++) {
            char iname[256];
            snprintf(iname, sizeof iname, "%s", cf_class_name(c, c->interfaces[i]));
            if (strcmp(iname, to) == 0 || h_assignable(ud, iname, to, err) == 1)
                found = 1;
        }
        static char next[256];
        next[0] = 0;
        if (c->super_class)
            snprintf(next, sizeof next, "%s", cf_class_name(c, c->super_class));
        cf_class_free(c);
        if (found)
            return 1;
        if (!next[0])
            return 0;
        if (strcmp(next, to) == 0)
            return 1;
        from = next;
    }
    return 0;
}

static int h_is_interface(void *ud, const char *name, CfError *err)
{
    CfClass *c = load(ud, name);
    if (!c) {
        snprintf(err->msg, sizeof err->msg, "no class %s", name);
        return -1;
    }
    int r = (c->flags & CF_ACC_INTERFACE) != 0;
    cf_class_free(c);
    return r;
}

static void verify_all(Out *o)
{
    Both both = {&std_store, &o->classes};
    CfHierarchy h = {.ud = &both, .assignable = h_assignable, .is_interface = h_is_interface};
    for (int i = 0; i < o->classes.n; i++) {
        CfError err;
        CfClass *c = cf_read(o->classes.b[i].bytes, o->classes.b[i].len, "t", &err);
        ck_assert_msg(c != NULL, "%s", err.msg);
        ck_assert_msg(cf_verify_class(c, &h, NULL, &err) == 0, "%s", err.msg);
        cf_class_free(c);
    }
}

static const CfMethod *method(const CfClass *c, const char *name)
{
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(cf_utf8(c, c->methods[i].name), name) == 0)
            return &c->methods[i];
    return NULL;
}

/* The opcodes of [m]'s code, in order, into [ops]. */
static int opcodes(const CfMethod *m, uint8_t *ops, int max)
{
    int n = 0;
    CfInsn in;
    for (uint32_t pc = 0; pc < m->code->code_len && n < max; pc += in.size) {
        ck_assert_int_eq(cf_insn_decode(m->code->code, m->code->code_len, pc, &in), 0);
        ops[n++] = in.op;
    }
    return n;
}

/* ---- tests ------------------------------------------------------------------ */
START_TEST(test_std_classes)
{
    ck_assert_ptr_nonnull(store_get(&std_store, "std/core/Object"));
    ck_assert_ptr_nonnull(store_get(&std_store, "std/core/String"));
    ck_assert_ptr_nonnull(store_get(&std_store, "std/core/NullError"));
    const Blob *b = store_get(&std_store, "std/core/Object");
    CfError err;
    CfClass *c = cf_read(b->bytes, b->len, "Object", &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->super_class, 0);
    cf_class_free(c);
    b = store_get(&std_store, "std/core/String");
    c = cf_read(b->bytes, b->len, "String", &err);
    ck_assert(c->flags & CF_ACC_FINAL);
    ck_assert_ptr_null(method(c, "<init>"));
    const CfMethod *len = method(c, "length");
    ck_assert(len->flags & CF_ACC_NATIVE);
    ck_assert_str_eq(cf_utf8(c, len->native_sym), "std_string_length");
    cf_class_free(c);
    Both both = {&std_store, &std_store};
    CfHierarchy h = {.ud = &both, .assignable = h_assignable, .is_interface = h_is_interface};
    for (int i = 0; i < std_store.n; i++) {
        c = cf_read(std_store.b[i].bytes, std_store.b[i].len, "std", &err);
        ck_assert_msg(cf_verify_class(c, &h, NULL, &err) == 0, "%s", err.msg);
        cf_class_free(c);
    }
}
END_TEST

/* Generic types survive compilation to class files: a second compilation
 * that reads Holder from the class path sees get(): T as String. */
START_TEST(test_generic_signature)
{
    const char *lib = "package lib;\n"
                      "class Holder<T> {\n"
                      "    var item: T;\n"
                      "    init(item: T) { this.item = item; }\n"
                      "    fun get(): T { return item; }\n"
                      "    fun pick<R>(f: fun(T): R): R { return f(item); }\n"
                      "}\n";
    CcSource s = {"lib/Holder.mica", lib, strlen(lib)};
    CcClassPath cp = {&std_store, cp_find, cp_list};
    CcOptions opt = {stderr, 0, false, false, false};
    ck_assert_int_eq(cc_compile(&s, 1, &cp, &opt, store_emit, &std_store, NULL), 0);
    const Blob *b = store_get(&std_store, "lib/Holder");
    ck_assert_ptr_nonnull(b);
    CfError err;
    CfClass *c = cf_read(b->bytes, b->len, "Holder", &err);
    ck_assert_ptr_nonnull(c);
    const char *sig = NULL;
    for (int i = 0; i < c->nattrs; i++)
        if (strcmp(cf_utf8(c, c->attrs[i].name), "Signature") == 0)
            sig = cf_utf8(c, (uint16_t)(c->attrs[i].data[0] << 8 | c->attrs[i].data[1]));
    ck_assert_ptr_nonnull(sig);
    ck_assert_str_eq(sig, "<T:Lstd/core/Object;>Lstd/core/Object;");
    const CfMethod *pick = method(c, "pick");
    ck_assert_int_eq(pick->nattrs, 2);
    cf_class_free(c);
    Out o;
    compile(&o, "user.mica",
            "import lib.*;\n"
            "fun main() {\n"
            "    let h = new Holder<String>(\"x\");\n"
            "    let s: String = h.get();\n"
            "    let n: String = h.pick((v) => v + \"!\");\n"
            "    println(s.length() + n.length());\n"
            "}\n", 0);
    ck_assert_msg(o.nerr == 0, "%s", o.diag);
    verify_all(&o);
    out_free(&o);
    /* without type arguments the result is the erasure */
    compile(&o, "raw.mica",
            "import lib.*;\n"
            "fun main() { let h = new Holder<String>(\"x\"); let n: int = h.get(); }\n", 0);
    ck_assert_int_eq(o.nerr, 1);
    ck_assert_ptr_nonnull(strstr(o.diag, "expected int, found String"));
    out_free(&o);
}
END_TEST

/* for (x in e) over an Iterable<T>: interface calls, the element typed T. */
START_TEST(test_foreach_iterable)
{
    const char *core = "package std.core;\n"
                       "interface Iterator<T> { fun hasNext(): bool; fun next(): T; }\n"
                       "interface Iterable<T> { fun iterator(): Iterator<T>; }\n";
    if (!store_get(&std_store, "std/core/Iterable")) {
        CcSource s = {"iter.mica", core, strlen(core)};
        CcClassPath cp = {&std_store, cp_find, cp_list};
        CcOptions opt = {stderr, 0, false, false, false};
        ck_assert_int_eq(cc_compile(&s, 1, &cp, &opt, store_emit, &std_store, NULL), 0);
    }
    Out o;
    compile(&o, "words.mica",
            "class Words implements Iterable<String> {\n"
            "    let items: String[];\n"
            "    init(items: String[]) { this.items = items; }\n"
            "    fun iterator(): Iterator<String> { return new WordIt(items); }\n"
            "}\n"
            "class WordIt implements Iterator<String> {\n"
            "    let items: String[];\n"
            "    var i = 0;\n"
            "    init(items: String[]) { this.items = items; }\n"
            "    fun hasNext(): bool { return i < items.length; }\n"
            "    fun next(): String { i += 1; return items[i - 1]; }\n"
            "}\n"
            "fun main() {\n"
            "    var n = 0;\n"
            "    for (w in new Words([\"a\", \"bc\"])) { n += w.length(); }\n"
            "    println(n);\n"
            "}\n", 0);
    ck_assert_msg(o.nerr == 0, "%s", o.diag);
    verify_all(&o);
    /* WordIt gets a bridge next()Object for Iterator<T>.next()T */
    const Blob *b = store_get(&o.classes, "WordIt");
    ck_assert_ptr_nonnull(b);
    CfError err;
    CfClass *c = cf_read(b->bytes, b->len, "WordIt", &err);
    int nexts = 0;
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(cf_utf8(c, c->methods[i].name), "next") == 0)
            nexts++;
    ck_assert_int_eq(nexts, 2);
    cf_class_free(c);
    out_free(&o);
}
END_TEST

/* A class the program only names (a parameter's type, as main's String[]) is found
 * from its file's header without reading its members: a file whose members are cut
 * off still serves there, and is refused (not found) where a member is used. */
START_TEST(test_named_class_not_read)
{
    const char *lib = "package lib;\n"
                      "class Cut { init() {} fun size(): int { return 1; } }\n";
    Store built;
    memset(&built, 0, sizeof built);
    CcSource s = {"lib/Cut.mica", lib, strlen(lib)};
    CcClassPath cp = {&std_store, cp_find, cp_list};
    CcOptions opt = {stderr, 0, false, false, false};
    ck_assert_int_eq(cc_compile(&s, 1, &cp, &opt, store_emit, &built, NULL), 0);
    const Blob *b = store_get(&built, "lib/Cut");
    ck_assert_ptr_nonnull(b);
    /* the file cut in its last member: the header is whole, cf_read refuses it */
    size_t cut = b->len - 6;
    CfError err;
    ck_assert_ptr_null(cf_read(b->bytes, cut, "Cut.mcl", &err));
    ck_assert(store_emit(&std_store, "lib/Cut", b->bytes, cut) == 0);
    Out o;
    compile(&o, "named.mica",
            "import lib.Cut;\n"
            "fun keep(items: Cut[], one: Cut): Cut { return one; }\n"
            "fun main(args: String[]) { println(args.length); }\n", 0);
    ck_assert_msg(o.nerr == 0, "%s", o.diag);
    out_free(&o);
    compile(&o, "used.mica",
            "import lib.Cut;\n"
            "fun main() { println(new Cut().size()); }\n", 0);
    ck_assert_int_ge(o.nerr, 1);
    ck_assert_msg(strstr(o.diag, "error: cannot read class lib/Cut from the class path: "
                                 "lib/Cut: offset ") != NULL, "%s", o.diag);
    out_free(&o);
    for (int i = 0; i < built.n; i++)
        free(built.b[i].bytes);
}
END_TEST

START_TEST(test_hello)
{
    Out o;
    compile(&o, "dir/hello.mica", "fun main() { println(\"hi ${1 + 2}\"); }\n", 0);
    ck_assert_int_eq(o.nerr, 0);
    ck_assert_str_eq(o.diag, "");
    ck_assert_int_eq(o.classes.n, 1);
    ck_assert_str_eq(o.classes.b[0].name, "Hello");
    ck_assert_str_eq(o.res.main_class, "Hello");
    CfError err;
    CfClass *c = cf_read(o.classes.b[0].bytes, o.classes.b[0].len, "Hello", &err);
    ck_assert(c->flags & CF_ACC_MODULE);
    ck_assert_str_eq(cf_utf8(c, c->source_file), "hello.mica");
    cf_class_free(c);
    verify_all(&o);
    out_free(&o);
}
END_TEST

START_TEST(test_while_shape)
{
    Out o;
    compile(&o, "w.mica",
            "package p;\nfun count(n: int): int {\n  var i = 0;\n  while (i < n) { i++; }\n"
            "  return i;\n}\n", 0);
    ck_assert_int_eq(o.nerr, 0);
    ck_assert_str_eq(o.classes.b[0].name, "p/W");
    CfError err;
    CfClass *c = cf_read(o.classes.b[0].bytes, o.classes.b[0].len, "W", &err);
    const CfMethod *m = method(c, "count");
    uint8_t ops[64];
    int n = opcodes(m, ops, 64);
    uint8_t want[] = {CF_OP_ICONST, CF_OP_STORE, CF_OP_BLOCK, CF_OP_LOOP, CF_OP_LOAD,
                      CF_OP_LOAD, CF_OP_ILT, CF_OP_EQZ, CF_OP_BR_IF, CF_OP_IINC, CF_OP_BR,
                      CF_OP_END, CF_OP_END, CF_OP_LOAD, CF_OP_RETURN};
    ck_assert_int_eq(n, (int)sizeof want);
    ck_assert_mem_eq(ops, want, sizeof want);
    ck_assert_int_eq(m->code->max_stack, 2);
    ck_assert_int_eq(m->code->nlocals, 1);
    ck_assert_str_eq(cf_utf8(c, m->code->local_types[0]), "I");
    ck_assert_uint_eq(m->code->nlines, 3);
    ck_assert_uint_eq(m->code->lines[0].line, 3);
    cf_class_free(c);
    verify_all(&o);
    out_free(&o);
}
END_TEST

static const char *classes_src =
    "abstract class Shape {\n"
    "    let id: int;\n"
    "    var tag: String = \"none\";\n"
    "    static var made: int = 0;\n"
    "    init(id: int) { this.id = id; made += 1; }\n"
    "    abstract fun area(): float;\n"
    "    override fun toString(): String { return \"${tag}#${id} ${area()}\"; }\n"
    "}\n"
    "final class Sq extends Shape {\n"
    "    private var s: float;\n"
    "    init(s: float) { super(1); this.s = s; }\n"
    "    init() { this(2); }\n"
    "    override fun area(): float { return s * s; }\n"
    "}\n"
    "fun main(args: String[]) {\n"
    "    let xs = [new Sq(), new Sq(3.0)];\n"
    "    var total = 0.0;\n"
    "    outer: for (x in xs) {\n"
    "        for (var i = 0; i < 3; i++) { if (i == 1) { continue outer; } total += x.area(); }\n"
    "    }\n"
    "    let t = total > 1 ? \"big\" : null;\n"
    "    println(t == \"big\" && xs[0] is Sq);\n"
    "    do { total -= 1; } while (total > 0);\n"
    "    println(-9223372036854775808 + 0x7F + 0b1 + 1_000);\n"
    "}\n";

START_TEST(test_classes_verify)
{
    Out o;
    compile(&o, "shapes.mica", classes_src, 0);
    ck_assert_msg(o.nerr == 0, "%s", o.diag);
    ck_assert_int_eq(o.classes.n, 3);
    verify_all(&o);
    CfError err;
    const Blob *b = store_get(&o.classes, "Sq");
    CfClass *c = cf_read(b->bytes, b->len, "Sq", &err);
    ck_assert(c->flags & CF_ACC_FINAL);
    ck_assert_str_eq(cf_class_name(c, c->super_class), "Shape");
    cf_class_free(c);
    b = store_get(&o.classes, "Shape");
    c = cf_read(b->bytes, b->len, "Shape", &err);
    ck_assert(c->flags & CF_ACC_ABSTRACT);
    ck_assert_ptr_nonnull(method(c, "<clinit>"));
    ck_assert(method(c, "area")->flags & CF_ACC_ABSTRACT);
    ck_assert_ptr_null(method(c, "area")->code);
    cf_class_free(c);
    out_free(&o);
}
END_TEST

START_TEST(test_diagnostic_format)
{
    Out o;
    compile(&o, "e.mica", "fun main() {\n\tvar x: int = \"s\";\n\tx = 2;\n}\n", 0);
    ck_assert_int_eq(o.nerr, 1);
    ck_assert_str_eq(o.diag, "e.mica:2:15: error: type mismatch: expected int, found String\n"
                             "\tvar x: int = \"s\";\n"
                             "\t             ^\n");
    ck_assert_int_eq(o.classes.n, 0);
    out_free(&o);
}
END_TEST

START_TEST(test_many_errors_and_cap)
{
    const char *src = "fun main() {\n  a;\n  b = 1;\n  let c = d;\n  f();\n}\n";
    Out o;
    compile(&o, "m.mica", src, 0);
    ck_assert_int_eq(o.nerr, 4);
    ck_assert_ptr_nonnull(strstr(o.diag, "m.mica:2:3: error: this expression is not a statement"));
    ck_assert_ptr_nonnull(strstr(o.diag, "m.mica:3:3: error: unknown name 'b'"));
    ck_assert_ptr_nonnull(strstr(o.diag, "m.mica:4:11: error: unknown name 'd'"));
    ck_assert_ptr_nonnull(strstr(o.diag, "m.mica:5:3: error: unknown function 'f'"));
    out_free(&o);
    compile(&o, "m.mica", src, 2);
    ck_assert_int_le(o.nerr, 3);
    ck_assert_ptr_null(strstr(o.diag, "unknown function"));
    out_free(&o);
}
END_TEST

START_TEST(test_semantic_errors)
{
    static const struct { const char *src, *msg; } cases[] = {
        {"fun f(): int { }\n", "missing return in function 'f'"},
        {"fun f() { return; f(); }\n", "unreachable code"},
        {"fun f() { break; }\n", "'break' outside a loop"},
        {"fun f(a: int) { f(1, 2); }\n",
         "wrong number of arguments to 'f': expected 1, found 2"},
        {"class A { fun m() {} }\nclass B extends A { fun m() {} }\n",
         "method 'm' overrides a method of A and must be marked override"},
        {"class A { override fun m() {} }\n", "is marked override but overrides nothing"},
        {"fun f() { let x = 1; { let x = 2; } }\n", "'x' is already defined"},
        {"fun f() { let x = 1; x = 2; }\n", "cannot assign to 'x': it is declared with let"},
        {"fun f() { let x = new Nope(); }\n", "class 'Nope' not found"},
        {"class A {}\nfun f() { new A().bar(); }\n", "no method 'bar' in class A"},
        {"fun f() { let x = 9223372036854775808; }\n", "is out of range"},
        {"fun f() { println(1) }\n", "expected ';' after expression"},
        {"fun g(a: int, b: float) {}\nfun g(a: float, b: int) {}\nfun f() { g(1, 2); }\n",
         "call to 'g' is ambiguous"},
        {"abstract class A {}\nfun f() { new A(); }\n", "cannot create an instance of abstract"},
        {"fun f() { while (true) {} println(1); }\n", "unreachable code"},
        {"fun f() { let s = \"a\" - 1; }\n", "operator '-' cannot be applied to String and int"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Out o;
        compile(&o, "s.mica", cases[i].src, 0);
        ck_assert_msg(o.nerr > 0, "case %zu compiled", i);
        ck_assert_msg(strstr(o.diag, cases[i].msg) != NULL, "case %zu: got %s", i, o.diag);
        out_free(&o);
    }
}
END_TEST

START_TEST(test_overloads_and_conversions)
{
    Out o;
    compile(&o, "o.mica",
            "fun k(x: int): int { return 1; }\n"
            "fun k(x: float): int { return 2; }\n"
            "fun k(x: Object): int { return 3; }\n"
            "fun main() {\n"
            "  var b: byte = 7;\n"
            "  let f: float = 1;\n"
            "  println(k(b) + k(1) + k(f) + k(\"s\") + k(null));\n"
            "  println(Math.max(1, 2.5) + Math.PI + (f as int) + (300 as byte));\n"
            "}\n", 0);
    ck_assert_msg(o.nerr == 0, "%s", o.diag);
    verify_all(&o);
    out_free(&o);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("compile");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, build_std, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_std_classes);
    tcase_add_test(tc, test_hello);
    tcase_add_test(tc, test_named_class_not_read);
    tcase_add_test(tc, test_generic_signature);
    tcase_add_test(tc, test_foreach_iterable);
    tcase_add_test(tc, test_while_shape);
    tcase_add_test(tc, test_classes_verify);
    tcase_add_test(tc, test_diagnostic_format);
    tcase_add_test(tc, test_many_errors_and_cap);
    tcase_add_test(tc, test_semantic_errors);
    tcase_add_test(tc, test_overloads_and_conversions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
