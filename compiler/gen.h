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
    struct Local *next;
} Local;

typedef struct LoopCtx {
    const char *label;
    int break_level;      /* region index a break leaves */
    int cont_level;       /* region index a continue branches to */
    bool has_break;
    struct LoopCtx *next;
} LoopCtx;

typedef struct Region {
    int h;                /* stack height at the region's start */
    int arity;            /* values it yields */
} Region;

typedef struct Temp {
    uint16_t slot;
    const char *desc;
    bool used;
} Temp;

typedef struct Gen {
    Cc *cc;
    SourceFile *f;
    ClassInfo *ci;
    CfClass *cf;
    MethodInfo *mi;
    bool is_static;
    bool is_init;         /* constructor: let fields of this class are assignable */
    bool is_clinit;       /* static initializer: static lets are assignable */
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
} Gen;

/* emission (gen_expr.c) */
void g_op(Gen *g, int op, int pops, int pushes);
void g_op16(Gen *g, int op, uint16_t imm, int pops, int pushes);
void g_open(Gen *g, int op, Type *result);
void g_else(Gen *g);
void g_end(Gen *g);
void g_br(Gen *g, int op, int level);
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

/* statements and methods (gen_stmt.c) */
bool g_stmt(Gen *g, Stmt *s);

#endif
