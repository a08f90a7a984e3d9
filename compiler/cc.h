/* compiler/cc.h: the compiler's internal state shared by its files: memory,
 * diagnostics, the type model, class information and the per-method
 * code generator. */
#ifndef MICA_COMPILER_CC_H
#define MICA_COMPILER_CC_H

#include <setjmp.h>
#include <stdarg.h>

#include "ast.h"
#include "classfile.h"
#include "compiler.h"

/* ---- types ------------------------------------------------------------------------ */
typedef enum { TY_VOID, TY_INT, TY_FLOAT, TY_BOOL, TY_BYTE, TY_NULL, TY_CLASS, TY_ARRAY,
               TY_ERROR,
               TY_VAR,    /* a type variable: erases to its bound */
               TY_FUN     /* fun(A, B): R, erases to std/core/Function */
} TyKind;

typedef struct Type Type;
struct Type {
    TyKind kind;
    ClassInfo *cls;       /* TY_CLASS */
    Type *elem;           /* TY_ARRAY */
    Type *array_of;       /* cached T[] */
    const char *desc;     /* field descriptor ("V" for void); erased */
    Type **args;          /* TY_CLASS: type arguments (none: raw); TY_FUN: parameters */
    int nargs;
    Type *ret;            /* TY_FUN: result */
    const char *name;     /* TY_VAR */
    Type *bound;          /* TY_VAR: upper bound (a class type) */
};

/* Type variables and the types standing for them. */
typedef struct Binding {
    Type **vars;
    Type **vals;
    int n, cap;
} Binding;

/* Type variables in scope while resolving written types. */
typedef struct TScope {
    Type **vars;
    int n;
    struct TScope *next;
} TScope;

struct FieldInfo {
    const char *name;
    Type *type;
    uint16_t flags;       /* CF_ACC_* */
    ClassInfo *owner;
    FieldDecl *decl;      /* NULL for loaded classes */
};

struct MethodInfo {
    const char *name;
    Type *ret;
    Type **params;
    int nparams;
    uint16_t flags;       /* CF_ACC_* */
    bool is_override;
    ClassInfo *owner;
    const char *desc;
    MethodDecl *decl;     /* NULL for loaded classes */
    Type **tparams;       /* generic method: its type variables */
    int ntparams;
    bool varargs;
    MethodInfo *bridge_to;  /* a bridge: the erased descriptor of an overridden
                             * generic method, calling this method */
    int access_kind;        /* an accessor lambdas use for a private member
                             * (ACCESS_CALL, ACCESS_GET or ACCESS_SET) or for a
                             * superclass method called through `super`
                             * (ACCESS_SUPER) */
    MethodInfo *access_method;
    FieldInfo *access_field;
};

enum { ACCESS_NONE, ACCESS_CALL, ACCESS_GET, ACCESS_SET, ACCESS_SUPER };

/* A class from the class path starts as a STUB (only its name); NAMED once its
 * file is found and its header names it (flags known, nothing else: a type that is
 * only named, such as main's String[], needs no more); LOADED once its file is read
 * whole (cc_class_ensure); MISSING when there is no such class or its file is bad. */
typedef enum { CS_STUB, CS_NAMED, CS_LOADED, CS_MISSING } ClassState;

struct ClassInfo {
    const char *name;     /* internal name */
    const char *simple;   /* after the last '/' */
    ClassState state;
    bool from_source;
    uint16_t flags;
    ClassInfo *super;
    ClassInfo **ifaces;
    int nifaces;
    FieldInfo **fields;
    int nfields, fields_cap;
    MethodInfo **methods;
    int nmethods, methods_cap;
    ClassDecl *decl;      /* source classes (NULL for a pure module class) */
    SourceFile *file;     /* source classes */
    Type *type;
    ClassInfo *hash_next;
    Type **tparams;       /* generic class: its type variables */
    int ntparams;
    Type *super_t;        /* the superclass with its type arguments, or NULL */
    Type **iface_t;       /* [nifaces] the interfaces with their type arguments */
    bool header_done;     /* supertypes resolved */
    bool visiting;        /* cycle detection */
};

typedef struct ModuleList {
    const char *pkg;
    ClassInfo **mods;
    int n, cap;
    struct ModuleList *next;
} ModuleList;

typedef struct Block { struct Block *next; size_t used, cap; } Block;

typedef struct Cc {
    jmp_buf oom;
    Block *blocks;
    const CcClassPath *cp;
    FILE *diag;
    int max_errors;
    int nerrors;
    int mute;                     /* > 0: diagnostics are dropped (re-emitted code) */
    bool shown;                   /* the last error or warning was printed: notes follow it */
    bool warnings, werror;        /* report warnings; count them as errors */
    int nwarnings;
    int nwerrors;                 /* errors that are warnings under werror */
    bool no_implicit_std;
    const CcHooks *hooks;         /* tools listening (may be NULL) */
    SourceFile **files;
    int nfiles;
    ClassInfo *buckets[512];
    ClassInfo **source_classes;   /* in declaration order (modules included) */
    int nsource, source_cap;
    ModuleList *modules;          /* module classes per package, cached */
    Type t_void, t_int, t_float, t_bool, t_byte, t_null, t_error;
    ClassInfo *c_object, *c_string;
    TScope *tscope;               /* type variables visible to cc_resolve_type */
    int nlambdas;                 /* synthetic classes made so far (lambdas, adapters) */
    int dry;                      /* > 0: lambdas are compiled only for their types */
    CfClass **extra;              /* lambda and adapter classes */
    int nextra, extra_cap;
} Cc;

/* ---- memory (arena; out of memory longjmps to cc->oom) ---------------------------- */
void *cc_alloc(Cc *cc, size_t n);
char *cc_strdup(Cc *cc, const char *s, size_t n);
char *cc_printf(Cc *cc, const char *fmt, ...);
/* Grows [*arr] (elements of [size] bytes, capacity *[cap]) to hold [need]. */
void cc_grow(Cc *cc, void **arr, size_t size, int *cap, int need);
#define CC_PUSH(cc, arr, n, cap, v) \
    do { cc_grow((cc), (void **)&(arr), sizeof(*(arr)), &(cap), (n) + 1); (arr)[(n)++] = (v); } \
    while (0)

/* ---- diagnostics --------------------------------------------------------------- */
/* Reports "path:line:col: error: msg" with the source line and a caret. */
void cc_error(Cc *cc, SourceFile *f, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports "path:line:col: warning: msg" when warnings are on (an error under
 * werror). */
void cc_warning(Cc *cc, SourceFile *f, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Attaches "path:line:col: note: msg" with its source line to the last error or
 * warning, if that was printed. */
void cc_note(Cc *cc, SourceFile *f, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Attaches "help: msg" to the last error or warning, if that was printed. */
void cc_help(Cc *cc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Builds the line table of [f]. */
void cc_index_lines(Cc *cc, SourceFile *f);

/* ---- lexer and parser ------------------------------------------------------------- */
/* Lexes [start, end) of [f] into a token array (ending with TK_EOF). */
Token *cc_lex(Cc *cc, SourceFile *f, uint32_t start, uint32_t end, int *ntoks);
/* The offset of the '}' closing the interpolation whose expression starts
 * at [start] (strings inside it skipped), or [end] if there is none. */
uint32_t cc_interp_end(SourceFile *f, uint32_t start, uint32_t end);
/* The text of a keyword or operator token kind, for messages. */
const char *cc_tok_name(TokKind k);
/* Parses the whole of [f]; errors are reported through cc_error. */
void cc_parse_file(Cc *cc, SourceFile *f);

/* ---- the type model (types.c) ------------------------------------------------------ */
void cc_types_init(Cc *cc);
Type *cc_array_of(Cc *cc, Type *elem);
/* A ClassInfo for [name], possibly still a stub (for descriptors). */
ClassInfo *cc_class_ref(Cc *cc, const char *name);
ClassInfo *cc_class_new_source(Cc *cc, const char *name);
/* The primitive (or void) type whose descriptor is the single character [d] (a
 * CfKind), or NULL: the one place descriptor letters become types. */
Type *cc_type_of_kind(Cc *cc, char d);
/* Parses a field descriptor into a type. */
Type *cc_type_from_desc(Cc *cc, const char **p);
const char *cc_method_desc(Cc *cc, Type **params, int n, Type *ret);
/* The erased type of [t] (a class, array or primitive type). */
Type *cc_erasure(Cc *cc, Type *t);
/* A new type variable named [name] with [bound] (NULL: Object). */
Type *cc_type_var(Cc *cc, const char *name, Type *bound);
/* The parameterised type [cls]<[args]>. */
Type *cc_param_type(Cc *cc, ClassInfo *cls, Type **args, int n);
/* The function type fun([params]): [ret]. */
Type *cc_fun_type(Cc *cc, Type **params, int n, Type *ret);
/* A type's name as written in messages ("int", "String", "Foo[]"). */
const char *cc_type_name(Cc *cc, Type *t);
const char *cc_type_source(Cc *cc, Type *t);
/* The names of [a] and [b] for one message: qualified when they would read alike. */
void cc_type_names(Cc *cc, Type *a, Type *b, const char **na, const char **nb);
bool cc_is_ref(Type *t);
bool cc_is_numeric(Type *t);
bool cc_is_string(Cc *cc, Type *t);

/* ---- generic signatures (signature.c) ------------------------------------------------ */
/* The Signature attribute text of a type, and of a method. */
const char *cc_type_sig(Cc *cc, Type *t);
const char *cc_method_sig(Cc *cc, MethodInfo *m);
const char *cc_class_sig(Cc *cc, ClassInfo *ci);
/* Parses a Signature type at *[p], type variables from [scope]. NULL if malformed. */
Type *cc_parse_sig_type(Cc *cc, const char **p, TScope *scope);
/* Type parameter list <T:bound;...> at *[p]; false if malformed. */
bool cc_parse_sig_tparams(Cc *cc, const char **p, Type ***vars, int *n, TScope *outer);

/* ---- classes from the class path (classes.c) ---------------------------------------- */
/* The ClassInfo of [name] (internal), found on the class path on demand; NULL
 * when no such class exists. A class from the class path may come back NAMED
 * (its flags known, its members not read yet): cc_class_ensure before reading its
 * supertypes, type parameters or members. */
ClassInfo *cc_class_find(Cc *cc, const char *name);
/* Makes sure the members and supertypes of [ci] are known. false if missing. */
bool cc_class_ensure(Cc *cc, ClassInfo *ci);

/* ---- generics (generic.c) ------------------------------------------------------- */
/* Replaces the variables bound in [b] in [t]. */
Type *cc_subst(Cc *cc, Type *t, const Binding *b);
void cc_bind(Cc *cc, Binding *b, Type *var, Type *val);
Type *cc_bound_of(const Binding *b, Type *var);
/* [t] (a class type) seen as its supertype [owner], with type arguments; NULL if
 * [owner] is not a supertype. Raw types give raw supertypes. */
Type *cc_as_super(Cc *cc, Type *t, ClassInfo *owner);
/* Binds the type variables of [owner] as [recv] sees them. */
void cc_bind_receiver(Cc *cc, Binding *b, Type *recv, ClassInfo *owner);
/* Are [a] and [b] the same type (primitives equal to their boxes)? */
bool cc_same_type(Cc *cc, Type *a, Type *b);
/* The box class of a primitive type, or NULL. */
ClassInfo *cc_box_class(Cc *cc, Type *t);
/* The primitive type boxed by class [ci], or NULL. */
Type *cc_unboxed(Cc *cc, ClassInfo *ci);

/* ---- subtyping and member lookup (lookup.c) ----------------------------------------- */
/* Is class [a] the same as or a subtype of [b]? */
bool cc_subclass(Cc *cc, ClassInfo *a, ClassInfo *b);
/* Can a reference of type [from] be used where [to] is expected? */
bool cc_ref_assignable(Cc *cc, Type *from, Type *to);
/* Modules (classes with top-level functions) in package [pkg]. */
ModuleList *cc_modules_of(Cc *cc, const char *pkg);
FieldInfo *cc_find_field(Cc *cc, ClassInfo *ci, const char *name);
/* Collects the methods named [name] visible in [ci] (supertypes included,
 * overridden ones dropped). Returns the count. */
int cc_find_methods(Cc *cc, ClassInfo *ci, const char *name, MethodInfo ***out);
MethodInfo *cc_find_exact(Cc *cc, ClassInfo *ci, const char *name, const char *desc,
                          bool supers_only);

/* ---- declarations (decl.c) --------------------------------------------------------- */
/* Resolves a written type in the scope of [f]; reports and returns t_error. */
Type *cc_resolve_type(Cc *cc, SourceFile *f, TypeRef *tr);
/* Resolves a simple or qualified class name in [f]'s scope, or NULL. */
ClassInfo *cc_lookup_class(Cc *cc, SourceFile *f, const char *name);
/* Declares classes, resolves headers and members of all files. */
void cc_declare_all(Cc *cc);

/* ---- suggestions (suggest.c) ------------------------------------------------------ */
/* Names a misspelt one may have meant. */
typedef struct Cands {
    const char **v;
    int n, cap;
} Cands;
int cc_edit_distance(const char *a, const char *b);
void cc_cands_add(Cc *cc, Cands *c, const char *name);
/* The candidate closest to [name] (case differences first), or NULL if none is
 * close enough to suggest. */
const char *cc_cands_best(const Cands *c, const char *name);
/* Adds the method and/or field names of [ci] and its supertypes. */
void cc_cands_members(Cc *cc, Cands *c, ClassInfo *ci, bool methods, bool fields, int depth);
/* Adds the class names visible in [f] (its package's, imported, std.core's). */
void cc_cands_classes(Cc *cc, Cands *c, SourceFile *f);
/* "std.collections.HashMap" when the standard library has a class [simple]
 * outside std.core, else NULL. */
const char *cc_std_import_for(Cc *cc, const char *simple);
/* The source text of the call starting at [pos] ("Point(3)"), or NULL. */
const char *cc_call_text(Cc *cc, SourceFile *f, uint32_t pos);
/* Reports an unknown class name with the import to add or a similar name. */
void cc_class_not_found(Cc *cc, SourceFile *f, uint32_t pos, const char *name);

/* ---- code generation (gen_*.c) ---------------------------------------------------- */
/* Compiles every source class into a CfClass; returns them via [out]. */
void cc_generate_all(Cc *cc, CfClass ***out, int *nout);
/* The type of static initializer [e] in [ci] (type-checked only; errors reported). */
Type *cc_infer_static_init(Cc *cc, ClassInfo *ci, Expr *e);
/* Warns about imports nothing used (warn.c). */
void cc_warn_unused_imports(Cc *cc);

#endif
