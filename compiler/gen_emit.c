/* compiler/gen_emit.c: bytecode emission: instructions and their stack depth, structured
 * regions, branches, locals and temporaries, side buffers and the line table. */
#include <stdarg.h>
#include <string.h>

#include "gen.h"

/* ---- emission -------------------------------------------------------------------- */
static void put8(Gen *g, uint8_t b)
{
    Buf *o = g->out;
    if (o->len + 1 > o->cap)
        cc_grow(g->cc, (void **)&o->code, 1, &o->cap, o->len + 1);
    o->code[o->len++] = b;
}

static void put16(Gen *g, uint16_t v)
{
    put8(g, (uint8_t)(v >> 8));
    put8(g, (uint8_t)v);
}

static void put32(Gen *g, int32_t v)
{
    uint32_t u = (uint32_t)v;
    put8(g, (uint8_t)(u >> 24));
    put8(g, (uint8_t)(u >> 16));
    put8(g, (uint8_t)(u >> 8));
    put8(g, (uint8_t)u);
}

void g_adjust(Gen *g, int pops, int pushes)
{
    g->depth -= pops;
    if (g->depth < 0)
        g->depth = 0;
    g->depth += pushes;
    if (g->depth > g->max_depth)
        g->max_depth = g->depth;
}

void g_op(Gen *g, int op, int pops, int pushes)
{
    put8(g, (uint8_t)op);
    g_adjust(g, pops, pushes);
    g->last_op = op;
}

void g_op16(Gen *g, int op, uint16_t imm, int pops, int pushes)
{
    put8(g, (uint8_t)op);
    put16(g, imm);
    g_adjust(g, pops, pushes);
    g->last_op = op;
}

void g_iconst(Gen *g, int64_t v)
{
    if (v >= INT32_MIN && v <= INT32_MAX) {
        put8(g, CF_OP_ICONST);
        put32(g, (int32_t)v);
        g_adjust(g, 0, 1);
        g->last_op = CF_OP_ICONST;
    } else {
        g_op16(g, CF_OP_LDC, cf_cp_int(g->cf, v), 0, 1);
    }
}

void g_iinc(Gen *g, uint16_t slot, int32_t delta)
{
    put8(g, CF_OP_IINC);
    put16(g, slot);
    put32(g, delta);
    g->last_op = CF_OP_IINC;
}

void g_error(Gen *g, uint32_t pos, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cc_error(g->cc, g->f, pos, "%s", buf);
}

uint16_t g_utf8(Gen *g, const char *s) { return cf_cp_utf8z(g->cf, s); }

void g_open(Gen *g, int op, Type *result)
{
    uint16_t bt = result && result->kind != TY_VOID ? g_utf8(g, result->desc) : 0;
    g_op16(g, op, bt, op == CF_OP_IF ? 1 : 0, 0);
    Region r = {g->depth, bt ? 1 : 0};
    CC_PUSH(g->cc, g->regions, g->nest, g->regions_cap, r);
}

void g_else(Gen *g)
{
    g_op(g, CF_OP_ELSE, 0, 0);
    g->depth = g->regions[g->nest - 1].h;
}

void g_catch(Gen *g, uint16_t cls)
{
    g_op16(g, CF_OP_CATCH, cls, 0, 0);
    g->depth = g->regions[g->nest - 1].h;
    g_adjust(g, 0, 1);
}

void g_end(Gen *g)
{
    g_op(g, CF_OP_END, 0, 0);
    Region r = g->regions[--g->nest];
    g->depth = r.h;
    g_adjust(g, 0, r.arity);
}

void g_br(Gen *g, int op, int level)
{
    g_op16(g, op, (uint16_t)(g->nest - 1 - level), op == CF_OP_BR_IF ? 1 : 0, 0);
}

void g_br_table(Gen *g, int n, const int *levels, int def_level)
{
    put8(g, CF_OP_BR_TABLE);
    put16(g, (uint16_t)n);
    for (int i = 0; i < n; i++)
        put16(g, (uint16_t)(g->nest - 1 - levels[i]));
    put16(g, (uint16_t)(g->nest - 1 - def_level));
    g_adjust(g, 1, 0);
    g->last_op = CF_OP_BR_TABLE;
}

uint16_t g_new_local(Gen *g, Type *t)
{
    uint16_t idx = g_utf8(g, t->kind == TY_NULL ? "Lstd/core/Object;" : t->desc);
    CC_PUSH(g->cc, g->local_types, g->nlocals, g->locals_cap, idx);
    return (uint16_t)(g->nparam_slots + g->nlocals - 1);
}

uint16_t g_temp(Gen *g, Type *t)
{
    for (int i = 0; i < g->ntemps; i++)
        if (!g->temps[i].used && strcmp(g->temps[i].desc, t->desc) == 0) {
            g->temps[i].used = true;
            return g->temps[i].slot;
        }
    Temp tp = {g_new_local(g, t), t->desc, true};
    CC_PUSH(g->cc, g->temps, g->ntemps, g->temps_cap, tp);
    return tp.slot;
}

void g_free_temp(Gen *g, uint16_t slot)
{
    for (int i = 0; i < g->ntemps; i++)
        if (g->temps[i].slot == slot)
            g->temps[i].used = false;
}

uint32_t g_line_of(SourceFile *f, uint32_t pos)
{
    uint32_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

/* The array element load and store instructions for element type [elem]. */
int g_load_op(Type *elem)
{
    switch (elem->kind) {
    case TY_INT: return CF_OP_IALOAD;
    case TY_FLOAT: return CF_OP_FALOAD;
    case TY_BOOL: case TY_BYTE: return CF_OP_BALOAD;
    default: return CF_OP_AALOAD;
    }
}

int g_store_op(Type *elem)
{
    switch (elem->kind) {
    case TY_INT: return CF_OP_IASTORE;
    case TY_FLOAT: return CF_OP_FASTORE;
    case TY_BOOL: case TY_BYTE: return CF_OP_BASTORE;
    default: return CF_OP_AASTORE;
    }
}

/* Generates [e] into a side buffer; the caller appends it with put_buf. */
Type *g_expr_to_buf(Gen *g, Expr *e, Buf *b)
{
    Buf *saved = g->out;
    memset(b, 0, sizeof *b);
    g->out = b;
    Type *t = g_expr(g, e);
    g->out = saved;
    return t;
}

void g_put_buf(Gen *g, Buf *b)
{
    for (int i = 0; i < b->len; i++)
        put8(g, b->code[i]);
}

Type *g_object_type(Gen *g) { return cc_class_ref(g->cc, "std/core/Object")->type; }
Type *g_string_type(Gen *g) { return cc_class_ref(g->cc, "std/core/String")->type; }

void g_mark_line(Gen *g, uint32_t pos)
{
    if (g->out != &g->main)
        return;
    uint32_t line = g_line_of(g->f, pos);
    uint32_t pc = (uint32_t)g->main.len;
    if (g->nlines > 0) {
        CfLine *last = &g->lines[g->nlines - 1];
        if (last->line == line)
            return;
        if (last->pc == pc) {
            last->line = line;
            return;
        }
    }
    CfLine l = {pc, line};
    CC_PUSH(g->cc, g->lines, g->nlines, g->lines_cap, l);
}
