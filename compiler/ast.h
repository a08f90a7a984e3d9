/* compiler/ast.h: tokens and the abstract syntax tree of Mica source. */
#ifndef MICA_COMPILER_AST_H
#define MICA_COMPILER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- tokens ---------------------------------------------------------------- */
typedef enum {
    TK_EOF, TK_IDENT, TK_INT, TK_FLOAT, TK_STRING,
    /* keywords */
    TK_PACKAGE, TK_IMPORT, TK_CLASS, TK_INTERFACE, TK_ABSTRACT, TK_FINAL, TK_EXTENDS,
    TK_IMPLEMENTS, TK_FUN, TK_LET, TK_VAR, TK_STATIC, TK_PRIVATE, TK_OVERRIDE, TK_INIT,
    TK_NEW, TK_RETURN, TK_IF, TK_ELSE, TK_WHILE, TK_DO, TK_FOR, TK_IN, TK_BREAK,
    TK_CONTINUE, TK_TRUE, TK_FALSE, TK_NULL, TK_THIS, TK_SUPER, TK_IS, TK_AS, TK_THROW,
    TK_TRY, TK_CATCH, TK_FINALLY, TK_SWITCH, TK_CASE, TK_DEFAULT,
    /* punctuation and operators */
    TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACKET, TK_RBRACKET, TK_SEMI,
    TK_COMMA, TK_DOT, TK_COLON, TK_QUESTION, TK_AT, TK_ARROW,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_AMP, TK_PIPE, TK_CARET,
    TK_TILDE, TK_BANG, TK_SHL, TK_SHR, TK_USHR, TK_ANDAND, TK_OROR,
    TK_EQ, TK_NE, TK_EQEQEQ, TK_NEEQEQ, TK_LT, TK_LE, TK_GT, TK_GE,
    TK_ASSIGN, TK_PLUSEQ, TK_MINUSEQ, TK_STAREQ, TK_SLASHEQ, TK_PERCENTEQ, TK_AMPEQ,
    TK_PIPEEQ, TK_CARETEQ, TK_SHLEQ, TK_SHREQ, TK_USHREQ, TK_INC, TK_DEC,
    TK_COUNT
} TokKind;

typedef struct Token {
    TokKind kind;
    uint32_t pos;       /* byte offset of the first character in the source */
    uint32_t len;       /* bytes of source text                               */
    uint64_t ival;      /* TK_INT: magnitude                                  */
    bool overflow;      /* TK_INT: does not fit in 64 bits                    */
    double fval;        /* TK_FLOAT                                           */
} Token;

/* ---- types as written ---------------------------------------------------------- */
typedef struct TypeRef TypeRef;
struct TypeRef {
    const char *name;   /* "int", "Foo", "a.b.Foo"; NULL for a function type */
    int dims;           /* number of [] suffixes   */
    uint32_t pos;
    TypeRef **args;     /* type arguments (Foo<A, B>) or function parameters */
    int nargs;
    bool is_fun;        /* fun(args): ret */
    TypeRef *ret;       /* function result; NULL: void */
};

/* A type parameter as written: <T extends Bound> */
typedef struct TypeParamDecl {
    const char *name;
    TypeRef *bound;     /* NULL: Object */
    uint32_t pos;
} TypeParamDecl;

/* ---- expressions -------------------------------------------------------------- */
typedef enum {
    EX_INT, EX_FLOAT, EX_BOOL, EX_NULL, EX_STRING, EX_INTERP, EX_NAME, EX_THIS, EX_SUPER,
    EX_FIELD,       /* a.name                       */
    EX_CALL,        /* callee(args): callee is EX_NAME or EX_FIELD */
    EX_INDEX,       /* a[b]                         */
    EX_NEW,         /* new T(args)                  */
    EX_NEWARRAY,    /* new T[n]                     */
    EX_ARRAYLIT,    /* [a, b, c]                    */
    EX_UNARY,       /* op a: - ! ~                  */
    EX_PREINC, EX_PREDEC, EX_POSTINC, EX_POSTDEC,
    EX_BINARY,      /* a op b                       */
    EX_ASSIGN,      /* a op= b (op TK_ASSIGN for =) */
    EX_COND,        /* a ? b : c                    */
    EX_IS, EX_AS,   /* a is T, a as T               */
    EX_LAMBDA,      /* (params) => body: params in lparams, body in lbody or a */
} ExprKind;

typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    uint32_t pos;
    int depth;            /* height of this expression tree (bounded by the parser) */
    TokKind op;
    int64_t ival;
    double fval;
    const char *str;      /* EX_STRING: decoded bytes; EX_NAME / EX_FIELD: name */
    size_t slen;
    Expr *a, *b, *c;
    Expr **args;          /* call arguments, array literal elements, interpolation parts */
    int nargs;
    TypeRef *tref;        /* EX_NEW, EX_NEWARRAY, EX_IS, EX_AS; EX_LAMBDA: result */
    struct Param *lparams;  /* EX_LAMBDA: nargs parameters (tref NULL: inferred) */
    struct Stmt *lbody;     /* EX_LAMBDA: block body, or NULL for an expression body (a) */
    TypeRef **targs;        /* EX_CALL: explicit type arguments (f<A>(x)), or NULL */
    int ntargs;
};

/* ---- statements ---------------------------------------------------------------- */
typedef enum {
    ST_BLOCK, ST_EXPR, ST_VAR, ST_IF, ST_WHILE, ST_DO, ST_FOR, ST_FOREACH, ST_BREAK,
    ST_CONTINUE, ST_RETURN, ST_THROW, ST_EMPTY,
    ST_SUPERCALL,         /* super(args) or this(args) as a constructor's first statement */
    ST_TRY,               /* try body catches [finally fin] */
    ST_SWITCH,            /* switch (expr) { cases } */
} StmtKind;

typedef struct Stmt Stmt;

typedef struct Catch {
    const char *name;     /* the exception variable */
    TypeRef *tref;        /* NULL: any Exception */
    Stmt *body;
    uint32_t pos;
} Catch;

typedef struct Case {
    Expr **labels;        /* NULL with nlabels 0: default */
    int nlabels;
    Stmt *body;           /* a block of the case's statements */
    uint32_t pos;
} Case;

struct Stmt {
    StmtKind kind;
    uint32_t pos;
    const char *label;    /* loops: optional label; break/continue: target label */
    const char *name;     /* ST_VAR, ST_FOREACH: variable name */
    bool is_let;          /* ST_VAR */
    bool is_this;         /* ST_SUPERCALL: this(...) */
    TypeRef *tref;        /* ST_VAR: optional declared type */
    Expr *expr;           /* init / condition / value */
    Expr **args;          /* ST_SUPERCALL */
    int nargs;
    Stmt *init, *update;  /* ST_FOR (update is an ST_EXPR or NULL) */
    Stmt *body, *els;
    Stmt **stmts;         /* ST_BLOCK */
    int nstmts;
    Catch *catches;       /* ST_TRY */
    int ncatches;
    Stmt *fin;            /* ST_TRY: finally block or NULL */
    Case *cases;          /* ST_SWITCH */
    int ncases;
};

/* ---- declarations -------------------------------------------------------------- */
#define MOD_STATIC    0x01
#define MOD_PRIVATE   0x02
#define MOD_ABSTRACT  0x04
#define MOD_FINAL     0x08
#define MOD_OVERRIDE  0x10

typedef struct Param Param;
struct Param {
    const char *name;
    TypeRef *tref;
    uint32_t pos;
};

typedef struct FieldInfo FieldInfo;
typedef struct MethodInfo MethodInfo;
typedef struct ClassInfo ClassInfo;

typedef struct FieldDecl {
    const char *name;
    uint32_t pos;
    int mods;
    bool is_let;
    TypeRef *tref;        /* may be NULL when inferred from init */
    Expr *init;
    FieldInfo *info;
} FieldDecl;

typedef struct MethodDecl {
    const char *name;     /* "<init>" for constructors */
    uint32_t pos;
    int mods;
    bool is_init;
    Param *params;
    int nparams;
    TypeParamDecl *tparams;
    int ntparams;
    bool varargs;         /* the last parameter is T... (a T[]) */
    TypeRef *ret;         /* NULL: void */
    Stmt *body;           /* NULL: abstract or native */
    const char *native_lib, *native_sym;
    bool is_test;         /* annotated @test (top-level functions only) */
    MethodInfo *info;
} MethodDecl;

typedef struct ClassDecl {
    const char *name;
    uint32_t pos;
    int mods;
    bool is_interface;
    TypeParamDecl *tparams;
    int ntparams;
    TypeRef *super;
    TypeRef **ifaces;
    int nifaces;
    FieldDecl **fields;
    int nfields;
    MethodDecl **methods;
    int nmethods;
    ClassInfo *info;
} ClassDecl;

typedef struct Import {
    const char *name;     /* "a.b.C" or "a.b" for a wildcard */
    bool wildcard;
    uint32_t pos;
    bool used;            /* something was found through it */
} Import;

typedef struct SourceFile SourceFile;

/* One parsed source file. */
struct SourceFile {
    const char *path;
    const char *text;
    size_t len;
    uint32_t *line_starts;   /* offsets of line starts */
    uint32_t nlines;
    const char *pkg;         /* internal form "a/b", "" for none */
    Import *imports;
    int nimports;
    ClassDecl **classes;
    int nclasses;
    MethodDecl **funcs;      /* top-level functions */
    int nfuncs;
    FieldDecl **consts;      /* top-level constants (static let fields of the module) */
    int nconsts;
    ClassInfo *module;       /* class holding the top-level functions, or NULL */
};

#endif
