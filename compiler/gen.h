/* compiler/gen.h: the per-method code generator shared by gen_expr.c and
 * gen_stmt.c. Type checking happens while code is generated: each expression
 * is emitted (possibly into a side buffer, when the code that must precede it
 * depends on its type) and returns its type. */
#ifndef MICA_COMPILER_GEN_H
#define MICA_COMPILER_GEN_H

#include "cc.h"

typedef struct Buf {
    uint8_t *code;
    int len, cap;
} Buf;

typedef struct Local {
    const char *name;
    Type *type;
    uint16_t slot;
    bool is_let;
    bool celled;          /* lives in a heap cell (captured by a lambda and assigned) */
    const char *cap_field;  /* captured by this lambda: the field holding it */
    struct Local *cap_outer;  /* captured: the variable in the enclosing function */
    struct Local *next;
    uint32_t pos;         /* where it is declared */
    bool used;            /* read or written after its declaration */
    uint8_t warn;         /* WARN_*: which "unused" warning applies */
} Local;

enum { WARN_NONE, WARN_LOCAL, WARN_PARAM };

typedef struct Gen Gen;

/* The lambda whose invoke method a Gen compiles. */
typedef struct LamCtx {
    Gen *outer;
    const char *cls;      /* internal name of the lambda class */
    Local *caps;          /* captured variables, in capture order */
    int ncaps;
    bool needs_this;      /* captures the enclosing `this` (field this$0) */
} LamCtx;

/* Names for the capture analysis (spec/language.md "Lambdas"). */
typedef struct NameSet {
    const char **names;
    int n, cap;
} NameSet;

typedef struct LoopCtx {
    const char *label;
    int break_level;      /* region index a break leaves */
    int cont_level;       /* region index a continue branches to */
    bool has_break;
    struct LoopCtx *next;
} LoopCtx;

/* An enclosing try with a finally: exits through it (return, break, continue
 * to a loop outside it) set an action code, leave the protected region, run
 * the finally code once and then dispatch on the code. */
typedef struct FinJump {
    LoopCtx *loop;
    bool brk;
} FinJump;

typedef struct FinCtx {
    int level;            /* region index of the block the exits leave */
    uint16_t action;      /* int local: 0 fall through, 1 return, 2+ a FinJump */
    uint16_t ret;         /* local holding the returned value (if any) */
    bool has_ret, has_return;
    LoopCtx *loops;       /* the loops enclosing the try */
    FinJump *jumps;
    int njumps, jumps_cap;
    struct FinCtx *next;
} FinCtx;

typedef struct Region {
    int h;                /* stack height at the region's start */
    int arity;            /* values it yields */
} Region;

typedef struct Temp {
    uint16_t slot;
    const char *desc;
    bool used;
} Temp;

struct Gen {
    Cc *cc;
    SourceFile *f;
    ClassInfo *ci;
    CfClass *cf;
    MethodInfo *mi;
    bool is_static;
    bool is_init;         /* constructor: let fields of this class are assignable */
    bool is_clinit;       /* static initializer: static lets are assignable */
    Expr *discard_call;   /* the call whose result an expression statement drops */
    bool discard_result;  /* invoke(): leave the erased result as it is, it is popped */
    Buf main;
    Buf *out;
    int depth, max_depth;
    int last_op;
    Region *regions;
    int nest, regions_cap;
    Local *locals;        /* innermost first; scope marks are NULL-named entries */
    int nparam_slots;
    uint16_t *local_types;  /* Utf8 indices for slots beyond the parameters */
    int nlocals, locals_cap;
    Temp *temps;
    int ntemps, temps_cap;
    CfLine *lines;
    int nlines, lines_cap;
    LoopCtx *loops;
    FinCtx *fins;
    Type *self;           /* the type of `this` (with the class's own type variables) */
    LamCtx *lam;          /* compiling a lambda's invoke */
    NameSet celled;       /* variables of this function that live in cells */
    Type *ret_erased;     /* lambdas: the erased result type of invoke */
    bool ret_infer;       /* lambdas: the result type comes from the first return */
    bool lenient;         /* adapters: references convert to anything by cast or unboxing */
};

/* emission (gen_expr.c) */
void g_op(Gen *g, int op, int pops, int pushes);
void g_op16(Gen *g, int op, uint16_t imm, int pops, int pushes);
void g_open(Gen *g, int op, Type *result);
void g_else(Gen *g);
void g_end(Gen *g);
/* Starts a handler of the innermost try for class constant [cls] (0: any). */
void g_catch(Gen *g, uint16_t cls);
void g_br(Gen *g, int op, int level);
/* br_table: index i goes to region [levels][i], others to [def_level]. */
void g_br_table(Gen *g, int n, const int *levels, int def_level);
uint16_t g_utf8(Gen *g, const char *s);
uint16_t g_new_local(Gen *g, Type *t);
uint16_t g_temp(Gen *g, Type *t);
void g_free_temp(Gen *g, uint16_t slot);
uint32_t g_line_of(SourceFile *f, uint32_t pos);
void g_error(Gen *g, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* expressions (gen_expr.c) */
Type *g_expr(Gen *g, Expr *e);
/* Emits [e] converted to [to]; reports a mismatch. */
void g_expect(Gen *g, Expr *e, Type *to);
/* Emits [e] as a statement (its value, if any, dropped). */
void g_discard(Gen *g, Expr *e);
/* Finds the local named [name], or NULL. */
Local *g_find_local(Gen *g, const char *name);
/* Emits the arguments of a constructor call to [ci]'s init and returns it. */
MethodInfo *g_init_call(Gen *g, ClassInfo *ci, Expr **args, int nargs, uint32_t pos,
                        bool own_only);

/* Loads `this` (through this$0 inside a lambda). */
void g_load_this(Gen *g);
/* Converts the value on the stack as from_erased / to_erased in gen_expr.c. */
Type *g_from_erased(Gen *g, Type *decl, Type *actual);
void g_to_erased(Gen *g, Type *decl, Type *actual);
/* Stores the value on the stack into the newly declared [l]. */
void g_init_local(Gen *g, Local *l);
/* Emits a lambda [e] typed by [target] (a TY_FUN or NULL); its invoke takes the
 * erasure of [erased_as] (NULL: of its own type). Returns its function type. */
Type *g_lambda(Gen *g, Expr *e, Type *target, Type *erased_as);

/* "help: did you mean ..." after an unknown name, function or member (suggest.c) */
void g_suggest_name(Gen *g, const char *name);
void g_suggest_function(Gen *g, const char *name);
void g_suggest_member(Gen *g, ClassInfo *ci, const char *name, bool methods);

/* warnings (warn.c) */
void g_warn_unused(Gen *g, Local *l);
void g_warn_shadow(Gen *g, Local *l, FieldInfo *fi);
/* A static field of a module class visible as a top-level constant, or NULL. */
FieldInfo *g_module_field(Gen *g, const char *name);

/* statements and methods (gen_stmt.c) */
bool g_stmt(Gen *g, Stmt *s);
/* Compiles the parameters and body of lambda [e] into [lg] (types in [ptypes],
 * erased parameter types in [eparams]). */
void g_lambda_body(Gen *lg, Expr *e, Type **ptypes, Type **eparams);
/* Capture analysis: names used inside lambdas and names assigned (lambda.c). */
void cc_scan_stmt(Cc *cc, Stmt *s, NameSet *in_lambda, NameSet *assigned, bool inside);
void cc_scan_expr(Cc *cc, Expr *e, NameSet *in_lambda, NameSet *assigned, bool inside);
bool cc_nameset_has(const NameSet *s, const char *name);
/* The variables to keep in cells for a function body or lambda. */
void cc_celled_vars(Cc *cc, Stmt *body, Expr *expr, NameSet *out);

#endif
