/* compiler/gen.h: the per-method code generator shared by the gen_*.c files. Type
 * checking happens while code is generated: each expression is emitted (possibly
 * into a side buffer, when the code that must precede it depends on its type) and
 * returns its type. */
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
typedef struct GenEntries GenEntries;

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
    const GenEntries *entries;  /* the recursive entry points (below) */
    SourceFile *f;
    ClassInfo *ci;
    CfClass *cf;
    MethodInfo *mi;
    bool is_static;
    bool is_init;         /* constructor: let fields of this class are assignable */
    bool is_clinit;       /* static initializer: static lets are assignable */
    Expr *discard_call;   /* the call whose result an expression statement drops */
    bool discard_result;  /* invoke(): leave the erased result as it is, it is popped */
    Expr *target_call;    /* the call whose result is expected to be of type [target] */
    Type *target;
    Type *choose_target;  /* g_choose(): the type expected of the call's result */
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

/* The generator's files form layers, each calling only the ones below it:
 *   gen_emit      instructions, regions, locals and temporaries, line table
 *   gen_convert   conversions (widening, boxing, erased generic values, strings)
 *   gen_locals    local variables and their heap cells
 *   gen_names     names, fields, private-member accessors, scopes and declarations
 *   gen_overload  overload resolution and type-argument inference
 *   gen_call      calls and constructor calls
 *   gen_expr      expressions (the dispatcher, operators, assignment, arrays)
 *   gen_stmt      statements
 *   gen_lambda    lambda classes and function-type adapters
 *   gen_class     methods and classes
 * (capture.c, below them all, analyses which locals lambdas capture.)
 * The language is recursive (an argument is an expression, a lambda inside it has
 * statements), so the three entry points a lower file needs from a higher one go
 * through this table, which gen_class.c fills; no two files call each other. */
struct GenEntries {
    Type *(*expr)(Gen *g, Expr *e);
    void (*expect)(Gen *g, Expr *e, Type *to);
    Type *(*lambda)(Gen *g, Expr *e, Type *target, Type *erased_as);
};

/* Emits [e] and returns its type (gen_expr.c). */
static inline Type *g_expr(Gen *g, Expr *e) { return g->entries->expr(g, e); }
/* Emits [e] converted to [to]; reports a mismatch (gen_expr.c). */
static inline void g_expect(Gen *g, Expr *e, Type *to) { g->entries->expect(g, e, to); }
/* Emits a lambda [e] typed by [target] (a TY_FUN or NULL); its invoke takes the
 * erasure of [erased_as] (NULL: of its own type). Returns its function type
 * (gen_lambda.c). */
static inline Type *g_lambda(Gen *g, Expr *e, Type *target, Type *erased_as)
{
    return g->entries->lambda(g, e, target, erased_as);
}

/* ---- capture analysis (capture.c) ---- */
/* Capture analysis: names used inside lambdas and names assigned. */
void cc_scan_stmt(Cc *cc, Stmt *s, NameSet *in_lambda, NameSet *assigned, bool inside);
void cc_scan_expr(Cc *cc, Expr *e, NameSet *in_lambda, NameSet *assigned, bool inside);
bool cc_nameset_has(const NameSet *s, const char *name);
/* The variables to keep in cells for a function body or lambda. */
void cc_celled_vars(Cc *cc, Stmt *body, Expr *expr, NameSet *out);

/* ---- emission (gen_emit.c) ---- */
/* Appends [op] and records its stack effect: [pops] values taken, [pushes] given. */
void g_op(Gen *g, int op, int pops, int pushes);
void g_op16(Gen *g, int op, uint16_t imm, int pops, int pushes);
/* Records a stack effect without emitting (code appended from a side buffer). */
void g_adjust(Gen *g, int pops, int pushes);
/* Pushes the int constant [v] in the shortest form. */
void g_iconst(Gen *g, int64_t v);
void g_iinc(Gen *g, uint16_t slot, int32_t delta);
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
/* Starts a line-table entry for source offset [pos] (main buffer only). */
void g_mark_line(Gen *g, uint32_t pos);
void g_error(Gen *g, uint32_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The array element load and store instructions for element type [elem]. */
int g_load_op(Type *elem);
int g_store_op(Type *elem);
/* Generates [e] into side buffer [b]; g_put_buf appends it to the current code. */
Type *g_expr_to_buf(Gen *g, Expr *e, Buf *b);
void g_put_buf(Gen *g, Buf *b);
Type *g_object_type(Gen *g);
Type *g_string_type(Gen *g);

/* ---- conversions (gen_convert.c) ---- */
bool g_is_intlike(Type *t);
bool g_is_prim(Type *t);
void g_box(Gen *g, Type *t);
void g_unbox(Gen *g, Type *prim);
/* The primitive type a reference of type [t] unboxes to, or NULL. */
Type *g_unboxes_to(Gen *g, Type *t);
/* Converts the value on the stack from [from] to [to]; false if it cannot. */
bool g_convert(Gen *g, Type *from, Type *to);
/* Converts a value of erased declared type [decl] to [actual] and back. */
Type *g_from_erased(Gen *g, Type *decl, Type *actual);
void g_to_erased(Gen *g, Type *decl, Type *actual);
/* Reports "expected X, found Y" at [pos]. */
void g_mismatch(Gen *g, uint32_t pos, Type *expected, Type *found);
/* Converts the value on the stack (of type [t], from [e]) to a String. */
void g_to_string(Gen *g, Type *t, Expr *e);
/* Concatenates the two Strings on the stack. */
void g_concat(Gen *g);
/* Do function types [a] and [b] erase to different invoke descriptors? */
bool g_fun_erasure_differs(Cc *cc, Type *a, Type *b);
/* Wraps the function value on the stack (of type [have]) in an adapter lambda
 * of type [target] whose invoke takes the erasure of [decl]. */
void g_adapt_fun(Gen *g, Type *have, Type *target, Type *decl);

/* ---- local variables (gen_locals.c) ---- */
/* Finds the local named [name], or NULL. */
Local *g_find_local(Gen *g, const char *name);
/* The field of the heap cell holding a value of type [t]. */
FieldInfo *g_cell_field(Gen *g, Type *t);
/* A captured or celled local: the descriptor of what holds it, and loading that. */
const char *g_holder_desc(Gen *g, Local *l);
void g_load_holder(Gen *g, Local *l);
Type *g_load_local(Gen *g, Local *l);
/* Loads `this` (through this$0 inside a lambda). */
void g_load_this(Gen *g);
/* Stores the value on the stack into the newly declared [l]. */
void g_init_local(Gen *g, Local *l);

/* ---- names and fields (gen_names.c) ---- */
/* If [e] names a class (Foo, or a.b.Foo) and not a value, returns it. */
ClassInfo *g_class_name_of(Gen *g, Expr *e);
/* Reports access to a private member of another class; false if so. */
bool g_check_private(Gen *g, uint32_t pos, ClassInfo *owner, uint16_t flags,
                     const char *name);
/* The type of field [fi] seen through a receiver of type [recv]. */
Type *g_field_type(Gen *g, FieldInfo *fi, Type *recv);
/* The class type in which members of [t] are looked up. */
Type *g_lookup_type(Type *t);
/* A static field of a module class visible as a top-level constant, or NULL. */
FieldInfo *g_module_field(Gen *g, const char *name);
Type *g_name(Gen *g, Expr *e);
Type *g_member(Gen *g, Expr *e);
/* The static method through which a lambda class reaches private member [m] or [fi]
 * of [owner] (ACCESS_*), made once; calling it; whether one is needed. */
MethodInfo *g_accessor(Gen *g, ClassInfo *owner, int kind, MethodInfo *m, FieldInfo *fi);
void g_call_accessor(Gen *g, MethodInfo *a);
bool g_needs_accessor(Gen *g, uint16_t flags, ClassInfo *owner);
/* getfield/getstatic and putfield/putstatic of [fi] (through an accessor if needed). */
void g_get_field_op(Gen *g, FieldInfo *fi, bool have_obj);
void g_put_field_op(Gen *g, FieldInfo *fi);
/* Scopes of local variables; declaring one warns when it shadows a field or a
 * module constant. */
void g_push_scope(Gen *g);
void g_pop_scope(Gen *g);
/* Moves [l] into a heap cell when a lambda captures it and it is assigned
 * ([copy]: a parameter, whose value moves into the cell). */
void g_make_cell(Gen *g, Local *l, bool copy);
Local *g_declare_local(Gen *g, const char *name, Type *t, bool is_let, uint32_t pos,
                       bool param);

/* ---- overload resolution (gen_overload.c) ---- */
typedef struct ArgSet {
    Buf *bufs;
    Type **types;   /* NULL: a lambda, generated once its target type is known */
    Expr **exprs;
    int n;
    int peak;     /* highest stack depth reached while generating them */
    int base;     /* stack depth before them */
} ArgSet;

/* A candidate with its type variables replaced. */
typedef struct Cand {
    MethodInfo *m;
    Binding b;
    Type **sp;      /* parameter types after substitution, one per argument */
    Type **decl;    /* the same before substitution */
    int nsp;
    bool spread;    /* varargs: trailing arguments go into an array */
} Cand;

/* Does [t] mention one of the type variables [vars]? */
bool g_mentions_var(Type *t, Type **vars, int n);
/* Is argument [i] an array X[] (X a reference type) for a parameter of [c] declared
 * T[] (T a type variable) that [c] binds to X? It is passed as it is: T[] erases to
 * an array of T's bound, which a VM array of references may stand for. */
bool g_var_array_arg(Gen *g, const Cand *c, const ArgSet *as, int i);
/* How well argument [i] of [as] fits parameter type [p] (0 exact ... -1 not). */
int g_arg_fit(Gen *g, ArgSet *as, int i, Type *p);
/* Chooses among the [n] methods [c] named [name] for arguments [as]. A generic
 * candidate whose result, with type arguments inferred from [as], does not convert
 * to g->choose_target (when set; it is consumed) has them inferred from that
 * expected type first. */
bool g_choose(Gen *g, MethodInfo **c, int n, ArgSet *as, const char *name, uint32_t pos,
              const Binding *recv, Type **ivars, int niv, Cand *out);

/* ---- calls (gen_call.c) ---- */
/* Emits the invocation [op] of candidate [c] and returns its result type. */
Type *g_invoke(Gen *g, int op, Cand *c);
Type *g_call(Gen *g, Expr *e);
/* Emits the arguments of a constructor call to [ci]'s init and returns it. */
MethodInfo *g_init_call(Gen *g, ClassInfo *ci, Expr **args, int nargs, uint32_t pos,
                        bool own_only);
/* `new` (a constructor call), typed by [expected] when the class is generic. */
Type *g_new_to(Gen *g, Expr *e, Type *expected);
Type *g_new(Gen *g, Expr *e);

/* ---- expressions (gen_expr.c) ---- */
Type *g_expr_impl(Gen *g, Expr *e);
void g_expect_impl(Gen *g, Expr *e, Type *to);
/* Emits [e] as a statement (its value, if any, dropped). */
void g_discard(Gen *g, Expr *e);

/* ---- statements (gen_stmt.c) ---- */
bool g_stmt(Gen *g, Stmt *s);
bool g_block_stmts(Gen *g, Stmt **stmts, int n);
/* Returns the value on the stack (if [has_value]), through enclosing finally blocks. */
void g_return(Gen *g, bool has_value);

/* ---- lambdas (gen_lambda.c) ---- */
Type *g_lambda_impl(Gen *g, Expr *e, Type *target, Type *erased_as);
/* Compiles the parameters and body of lambda [e] into [lg] (types in [ptypes],
 * erased parameter types in [eparams]). */
void g_lambda_body(Gen *lg, Expr *e, Type **ptypes, Type **eparams);

/* "help: did you mean ..." after an unknown name, function or member (suggest.c) */
void g_suggest_name(Gen *g, const char *name);
void g_suggest_function(Gen *g, const char *name);
void g_suggest_member(Gen *g, ClassInfo *ci, const char *name, bool methods);

/* warnings (warn.c) */
void g_warn_unused(Gen *g, Local *l);
void g_warn_shadow(Gen *g, Local *l, FieldInfo *fi);

#endif
