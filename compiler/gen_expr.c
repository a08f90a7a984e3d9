/* compiler/gen_expr.c: the type checking and code generation of expressions: the
 * dispatcher, arrays, assignment, operators, conditions, type tests and string
 * interpolation. */
#include <string.h>

#include "gen.h"

static Type *gen_arraylit(Gen *g, Expr *e, Type *expected);

void g_expect_impl(Gen *g, Expr *e, Type *to)
{
    if (e->kind == EX_INT && to->kind == TY_BYTE && e->ival >= 0 && e->ival <= 255) {
        g_iconst(g, e->ival);
        return;
    }
    if (e->kind == EX_LAMBDA) {
        Type *t = g_lambda(g, e, to->kind == TY_FUN ? to : NULL, NULL);
        if (!g_convert(g, t, to))
            g_mismatch(g, e->pos, to, t);
        return;
    }
    if (e->kind == EX_CALL) {
        g->target_call = e;
        g->target = to;
    }
    Type *t = e->kind == EX_ARRAYLIT ? gen_arraylit(g, e, to)
              : e->kind == EX_NEW     ? g_new_to(g, e, to)
                                      : g_expr(g, e);
    if (!g_convert(g, t, to)) {
        g_mismatch(g, e->pos, to, t);
        if (t->kind == TY_ARRAY && to->kind == TY_ARRAY && cc_is_ref(t->elem) &&
            cc_is_ref(to->elem) && cc_ref_assignable(g->cc, t->elem, to->elem))
            cc_help(g->cc, "arrays are invariant: %s is not %s (a parameter T[] of a generic "
                    "function accepts %s where T is %s)", cc_type_name(g->cc, t),
                    cc_type_name(g->cc, to), cc_type_name(g->cc, t), cc_type_name(g->cc, t->elem));
    }
}


/* ---- arrays ------------------------------------------------------------------------ */


static Type *unify(Gen *g, Type *a, Type *b)
{
    if (a == b || b->kind == TY_ERROR)
        return a;
    if (a->kind == TY_ERROR)
        return b;
    if (g_is_intlike(a) && g_is_intlike(b))
        return &g->cc->t_int;
    if (cc_is_numeric(a) && cc_is_numeric(b))
        return &g->cc->t_float;
    if (cc_is_ref(a) && cc_is_ref(b)) {
        if (cc_ref_assignable(g->cc, a, b))
            return b;
        if (cc_ref_assignable(g->cc, b, a))
            return a;
        return g_object_type(g);
    }
    return NULL;
}

static Type *gen_arraylit(Gen *g, Expr *e, Type *expected)
{
    Cc *cc = g->cc;
    int base = g->depth;
    Buf *bufs = cc_alloc(cc, sizeof(Buf) * (size_t)(e->nargs + 1));
    Type **types = cc_alloc(cc, sizeof(Type *) * (size_t)(e->nargs + 1));
    Type *elem = expected && expected->kind == TY_ARRAY ? expected->elem : NULL;
    for (int i = 0; i < e->nargs; i++) {
        g->depth = base + 3;
        if (e->args[i]->kind == EX_ARRAYLIT) {
            Buf *saved = g->out;
            memset(&bufs[i], 0, sizeof(Buf));
            g->out = &bufs[i];
            types[i] = gen_arraylit(g, e->args[i], elem);
            g->out = saved;
        } else {
            types[i] = g_expr_to_buf(g, e->args[i], &bufs[i]);
        }
    }
    g->depth = base;
    if (!elem) {
        for (int i = 0; i < e->nargs; i++) {
            Type *u = elem ? unify(g, elem, types[i]) : types[i];
            if (!u) {
                g_error(g, e->args[i]->pos, "array elements of types %s and %s do not mix",
                        cc_type_name(cc, elem), cc_type_name(cc, types[i]));
                return &cc->t_error;
            }
            elem = u;
        }
        if (!elem) {
            g_error(g, e->pos, "cannot infer the type of an empty array literal");
            return &cc->t_error;
        }
        if (elem->kind == TY_NULL)
            elem = g_object_type(g);
        if (elem->kind == TY_VOID) {
            g_error(g, e->pos, "array elements must have a value");
            return &cc->t_error;
        }
    }
    Type *at = cc_array_of(cc, elem);
    g_iconst(g, e->nargs);
    g_op16(g, CF_OP_NEWARRAY, cf_cp_class(g->cf, at->desc));
    for (int i = 0; i < e->nargs; i++) {
        g_op(g, CF_OP_DUP);
        g_iconst(g, i);
        if (e->args[i]->kind == EX_INT && elem->kind == TY_BYTE && e->args[i]->ival >= 0 &&
            e->args[i]->ival <= 255)
            types[i] = elem;
        g_put_buf(g, &bufs[i]);
        g_adjust(g, 0, 1);
        if (!g_convert(g, types[i], elem))
            g_mismatch(g, e->args[i]->pos, elem, types[i]);
        g_op(g, g_store_op(elem));
    }
    return at;
}

static Type *gen_index(Gen *g, Expr *e)
{
    Type *t = g_expr(g, e->a);
    g_expect(g, e->b, &g->cc->t_int);
    if (t->kind == TY_ERROR)
        return t;
    if (cc_is_string(g->cc, t)) {
        /* s[i] is s.charAt(i): a one-code-point String (spec/language.md) */
        g_op16_effect(g, CF_OP_INVOKEVIRTUAL,
                      cf_cp_method(g->cf, "std/core/String", "charAt", "(I)Lstd/core/String;"), 2,
                      1);
        return g_string_type(g);
    }
    if (t->kind != TY_ARRAY) {
        g_error(g, e->pos, "cannot index a value of type %s", cc_type_name(g->cc, t));
        return &g->cc->t_error;
    }
    g_op(g, g_load_op(t->elem));
    return t->elem;
}

/* ---- assignment ------------------------------------------------------------------ */
typedef enum { LV_LOCAL, LV_STATIC, LV_FIELD, LV_ARRAY, LV_BAD } LvKind;

typedef struct Lvalue {
    LvKind kind;
    Type *type;           /* as seen through the receiver (type arguments applied) */
    Type *recv;           /* LV_FIELD: the receiver's type */
    Local *local;
    FieldInfo *field;
} Lvalue;

static bool let_ok(Gen *g, FieldInfo *fi)
{
    if (!(fi->flags & CF_ACC_FINAL))
        return true;
    if (fi->owner != g->ci)
        return false;
    return (fi->flags & CF_ACC_STATIC) ? g->is_clinit : g->is_init;
}

/* Emits the object (and index) part of an assignment target. */
static Lvalue gen_lvalue(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Lvalue lv = {LV_BAD, &cc->t_error, NULL, NULL, NULL};
    const char *name = NULL;
    if (e->kind == EX_NAME) {
        name = e->str;
        Local *l = g_find_local(g, name);
        if (l) {
            if (l->is_let) {
                g_error(g, e->pos, "cannot assign to '%s': it is declared with let", name);
                return lv;
            }
            if (l->celled) {
                g_load_holder(g, l);
                lv.kind = LV_FIELD;
                lv.field = g_cell_field(g, l->type);
                lv.type = l->type;
                return lv;
            }
            if (l->cap_field) {
                g_error(g, e->pos, "cannot assign to captured variable '%s'", name);
                return lv;
            }
            lv.kind = LV_LOCAL;
            lv.local = l;
            lv.type = l->type;
            return lv;
        }
        FieldInfo *fi = g->ci ? cc_find_field(cc, g->ci, name) : NULL;
        if (!fi && g_module_field(g, name)) {
            g_error(g, e->pos, "cannot assign to constant '%s'", name);
            return lv;
        }
        if (!fi) {
            g_error(g, e->pos, "unknown name '%s'", name);
            g_suggest_name(g, name);
            return lv;
        }
        lv.field = fi;
        lv.recv = g->self;
        if (!(fi->flags & CF_ACC_STATIC)) {
            if (g->is_static) {
                g_error(g, e->pos, "cannot use instance field '%s' in a static function", name);
                return lv;
            }
            g_load_this(g);
        }
    } else if (e->kind == EX_FIELD) {
        name = e->str;
        ClassInfo *cls = g_class_name_of(g, e->a);
        FieldInfo *fi;
        if (cls) {
            fi = cc_find_field(cc, cls, name);
            if (fi && !(fi->flags & CF_ACC_STATIC)) {
                g_error(g, e->pos, "field '%s' of %s is not static", name, cls->simple);
                return lv;
            }
        } else {
            Type *t;
            if (e->a->kind == EX_SUPER) {
                g_load_this(g);
                t = g->ci && g->ci->super ? g->ci->super_t ? g->ci->super_t : g->ci->super->type
                                          : &cc->t_error;
            } else {
                t = g_lookup_type(g_expr(g, e->a));
            }
            if (t->kind == TY_ERROR)
                return lv;
            lv.recv = t;
            if (t->kind == TY_ARRAY && strcmp(name, "length") == 0) {
                g_error(g, e->pos, "cannot assign to the length of an array");
                return lv;
            }
            if (t->kind != TY_CLASS) {
                g_error(g, e->pos, "%s has no field '%s'", cc_type_name(cc, t), name);
                return lv;
            }
            cls = t->cls;
            fi = cc_find_field(cc, cls, name);
            if (fi && (fi->flags & CF_ACC_STATIC)) {
                g_error(g, e->pos, "static field '%s' must be accessed through its class %s",
                        name, fi->owner->simple);
                return lv;
            }
        }
        if (!fi) {
            g_error(g, e->pos, "no field '%s' in class %s", name, cls->simple);
            g_suggest_member(g, cls, name, false);
            return lv;
        }
        lv.field = fi;
    } else if (e->kind == EX_INDEX) {
        Type *t = g_expr(g, e->a);
        g_expect(g, e->b, &cc->t_int);
        if (t->kind == TY_ERROR)
            return lv;
        if (t->kind != TY_ARRAY) {
            g_error(g, e->pos, "cannot index a value of type %s", cc_type_name(cc, t));
            return lv;
        }
        lv.kind = LV_ARRAY;
        lv.type = t->elem;
        return lv;
    } else {
        g_error(g, e->pos, "cannot assign to this expression");
        return lv;
    }
    FieldInfo *fi = lv.field;
    if (!g_check_private(g, e->pos, fi->owner, fi->flags, name))
        return lv;
    if (!let_ok(g, fi)) {
        if (!fi->owner->decl && fi->owner->file && fi->owner->file->module == fi->owner)
            g_error(g, e->pos, "cannot assign to constant '%s'", name);
        else
            g_error(g, e->pos, "cannot assign to '%s': it is declared with let", name);
        if (fi->decl && fi->owner->file)
            cc_note(g->cc, fi->owner->file, fi->decl->pos, "'%s' is declared here", name);
        return lv;
    }
    lv.kind = (fi->flags & CF_ACC_STATIC) ? LV_STATIC : LV_FIELD;
    lv.type = (fi->flags & CF_ACC_STATIC) ? fi->type : g_field_type(g, fi, lv.recv);
    return lv;
}

/* Reads the current value of a target whose object/index is on the stack
 * (duplicating them so the store can follow). */
static void lv_read(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL:
        g_op16(g, CF_OP_LOAD, lv->local->slot);
        break;
    case LV_STATIC: g_get_field_op(g, lv->field, false); break;
    case LV_FIELD:
        g_op(g, CF_OP_DUP);
        g_get_field_op(g, lv->field, true);
        g_from_erased(g, lv->field->type, lv->type);
        break;
    case LV_ARRAY:
        g_op(g, CF_OP_DUP2);
        g_op(g, g_load_op(lv->type));
        break;
    case LV_BAD: break;
    }
}

/* Duplicates the value on top so it remains after the store. */
static void lv_dup_value(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL:
    case LV_STATIC:
        g_op(g, CF_OP_DUP);
        break;
    case LV_FIELD:
        g_op(g, CF_OP_DUP_X1);
        break;
    case LV_ARRAY:
        g_op(g, CF_OP_DUP_X2);
        break;
    case LV_BAD: break;
    }
}

static void lv_write(Gen *g, Lvalue *lv)
{
    switch (lv->kind) {
    case LV_LOCAL:
        g_op16(g, CF_OP_STORE, lv->local->slot);
        break;
    case LV_STATIC: g_put_field_op(g, lv->field); break;
    case LV_FIELD:
        g_to_erased(g, lv->field->type, lv->type);
        g_put_field_op(g, lv->field);
        break;
    case LV_ARRAY:
        g_op(g, g_store_op(lv->type));
        break;
    case LV_BAD: break;
    }
}

static TokKind compound_base(TokKind k)
{
    switch (k) {
    case TK_PLUSEQ: return TK_PLUS;
    case TK_MINUSEQ: return TK_MINUS;
    case TK_STAREQ: return TK_STAR;
    case TK_SLASHEQ: return TK_SLASH;
    case TK_PERCENTEQ: return TK_PERCENT;
    case TK_AMPEQ: return TK_AMP;
    case TK_PIPEEQ: return TK_PIPE;
    case TK_CARETEQ: return TK_CARET;
    case TK_SHLEQ: return TK_SHL;
    case TK_SHREQ: return TK_SHR;
    case TK_USHREQ: return TK_USHR;
    default: return TK_EOF;
    }
}

static Type *arith(Gen *g, TokKind op, Type *ta, Type *tb, Buf *bb, Expr *ea, Expr *eb,
                   uint32_t pos);

static Type *gen_assign(Gen *g, Expr *e, bool want)
{
    Cc *cc = g->cc;
    Lvalue lv = gen_lvalue(g, e->a);
    if (lv.kind == LV_BAD) {
        g_expr(g, e->b);
        return &cc->t_error;
    }
    Type *ft = lv.kind == LV_FIELD ? lv.field->type : NULL;
    if (e->op == TK_ASSIGN && ft && ft->kind == TY_ARRAY && ft->elem->kind == TY_VAR &&
        lv.recv && e->b->kind != EX_ARRAYLIT && e->b->kind != EX_LAMBDA) {
        /* a field declared T[] of a Box<String> takes a String[] as it is, as a
         * parameter T[] does (g_var_array_arg) */
        Type *t = g_expr(g, e->b);
        Binding b = {0};
        cc_bind_receiver(cc, &b, lv.recv, lv.field->owner);
        Type *v = cc_bound_of(&b, ft->elem);
        bool same = t->kind == TY_ARRAY && cc_is_ref(t->elem) && t->elem->kind != TY_NULL &&
                    v && cc_same_type(cc, v, t->elem) &&
                    cc_ref_assignable(cc, t->elem, cc_erasure(cc, ft->elem));
        if (!same && !g_convert(g, t, lv.type)) {
            g_mismatch(g, e->b->pos, lv.type, t);
            if (t->kind == TY_ARRAY && cc_is_ref(t->elem) && v)
                cc_help(cc, "%s is accepted for %s[] only where %s is %s (here %s is %s)",
                        cc_type_name(cc, t), ft->elem->name, ft->elem->name,
                        cc_type_name(cc, t->elem), ft->elem->name, cc_type_name(cc, v));
        }
    } else if (e->op == TK_ASSIGN) {
        g_expect(g, e->b, lv.type);
    } else {
        lv_read(g, &lv);
        Buf bb;
        Type *tb = g_expr_to_buf(g, e->b, &bb);
        g->depth--;
        Type *r = arith(g, compound_base(e->op), lv.type, tb, &bb, NULL, e->b, e->pos);
        if (r->kind != TY_ERROR && !(lv.type->kind == TY_BYTE && g_is_intlike(r)) &&
            !g_convert(g, r, lv.type))
            g_mismatch(g, e->pos, lv.type, r);
        if (lv.type->kind == TY_BYTE && g_is_intlike(r))
            g_op(g, CF_OP_I2B);
    }
    if (want)
        lv_dup_value(g, &lv);
    lv_write(g, &lv);
    return want ? lv.type : &cc->t_void;
}

static Type *gen_incdec(Gen *g, Expr *e, bool want)
{
    Cc *cc = g->cc;
    bool inc = e->kind == EX_PREINC || e->kind == EX_POSTINC;
    bool post = e->kind == EX_POSTINC || e->kind == EX_POSTDEC;
    Lvalue lv = gen_lvalue(g, e->a);
    if (lv.kind == LV_BAD)
        return &cc->t_error;
    if (!cc_is_numeric(lv.type)) {
        g_error(g, e->pos, "operator '%s' needs a number, found %s", inc ? "++" : "--",
                cc_type_name(cc, lv.type));
        return &cc->t_error;
    }
    if (lv.kind == LV_LOCAL && lv.type->kind == TY_INT) {
        if (want && post)
            g_op16(g, CF_OP_LOAD, lv.local->slot);
        g_iinc(g, lv.local->slot, inc ? 1 : -1);
        if (want && !post)
            g_op16(g, CF_OP_LOAD, lv.local->slot);
        return want ? lv.type : &cc->t_void;
    }
    lv_read(g, &lv);
    if (want && post)
        lv_dup_value(g, &lv);
    if (lv.type->kind == TY_FLOAT) {
        g_op16(g, CF_OP_LDC, cf_cp_float(g->cf, 1.0));
        g_op(g, inc ? CF_OP_FADD : CF_OP_FSUB);
    } else {
        g_iconst(g, 1);
        g_op(g, inc ? CF_OP_IADD : CF_OP_ISUB);
        if (lv.type->kind == TY_BYTE)
            g_op(g, CF_OP_I2B);
    }
    if (want && !post)
        lv_dup_value(g, &lv);
    lv_write(g, &lv);
    return want ? lv.type : &cc->t_void;
}

/* ---- operators ------------------------------------------------------------------- */
static const char *opname(TokKind k) { return cc_tok_name(k); }

static bool bad_operands(Gen *g, TokKind op, Type *a, Type *b, uint32_t pos)
{
    if (a->kind == TY_ERROR || b->kind == TY_ERROR)
        return true;
    g_error(g, pos, "operator '%s' cannot be applied to %s and %s", opname(op),
            cc_type_name(g->cc, a), cc_type_name(g->cc, b));
    return true;
}

/* The left operand (type [ta]) is on the stack; [bb] holds the right one.
 * Emits the operation and returns its type. */
static Type *arith(Gen *g, TokKind op, Type *ta, Type *tb, Buf *bb, Expr *ea, Expr *eb,
                   uint32_t pos)
{
    Cc *cc = g->cc;
    if (op == TK_PLUS && (cc_is_string(cc, ta) || cc_is_string(cc, tb))) {
        if (ta->kind == TY_VOID || tb->kind == TY_VOID) {
            bad_operands(g, op, ta, tb, pos);
            return &cc->t_error;
        }
        g_to_string(g, ta, ea);
        g_put_buf(g, bb);
        g_adjust(g, 0, 1);
        g_to_string(g, tb, eb);
        g_concat(g);
        return g_string_type(g);
    }
    if (ta->kind == TY_ERROR || tb->kind == TY_ERROR) {
        g_put_buf(g, bb);
        return &cc->t_error;
    }
    bool ints = g_is_intlike(ta) && g_is_intlike(tb);
    bool nums = cc_is_numeric(ta) && cc_is_numeric(tb);
    bool bools = ta->kind == TY_BOOL && tb->kind == TY_BOOL;
    int iop = -1, fop = -1;
    switch (op) {
    case TK_PLUS: iop = CF_OP_IADD; fop = CF_OP_FADD; break;
    case TK_MINUS: iop = CF_OP_ISUB; fop = CF_OP_FSUB; break;
    case TK_STAR: iop = CF_OP_IMUL; fop = CF_OP_FMUL; break;
    case TK_SLASH: iop = CF_OP_IDIV; fop = CF_OP_FDIV; break;
    case TK_PERCENT: iop = CF_OP_IREM; fop = CF_OP_FREM; break;
    case TK_AMP: iop = CF_OP_IAND; break;
    case TK_PIPE: iop = CF_OP_IOR; break;
    case TK_CARET: iop = CF_OP_IXOR; break;
    case TK_SHL: iop = CF_OP_ISHL; break;
    case TK_SHR: iop = CF_OP_ISHR; break;
    case TK_USHR: iop = CF_OP_IUSHR; break;
    case TK_LT: iop = CF_OP_ILT; fop = CF_OP_FLT; break;
    case TK_LE: iop = CF_OP_ILE; fop = CF_OP_FLE; break;
    case TK_GT: iop = CF_OP_IGT; fop = CF_OP_FGT; break;
    case TK_GE: iop = CF_OP_IGE; fop = CF_OP_FGE; break;
    case TK_EQ: iop = CF_OP_IEQ; fop = CF_OP_FEQ; break;
    case TK_NE: iop = CF_OP_INE; fop = CF_OP_FNE; break;
    default: break;
    }
    bool cmp = op == TK_LT || op == TK_LE || op == TK_GT || op == TK_GE || op == TK_EQ ||
               op == TK_NE;
    bool bitwise = op == TK_AMP || op == TK_PIPE || op == TK_CARET;
    if (bools && (bitwise || op == TK_EQ || op == TK_NE)) {
        g_put_buf(g, bb);
        g_adjust(g, 0, 1);
        g_op(g, iop);
        return &cc->t_bool;
    }
    if (ints && iop >= 0) {
        g_put_buf(g, bb);
        g_adjust(g, 0, 1);
        g_op(g, iop);
        return cmp ? &cc->t_bool : &cc->t_int;
    }
    if (nums && fop >= 0) {
        if (g_is_intlike(ta))
            g_op(g, CF_OP_I2F);
        g_put_buf(g, bb);
        g_adjust(g, 0, 1);
        if (g_is_intlike(tb))
            g_op(g, CF_OP_I2F);
        g_op(g, fop);
        return cmp ? &cc->t_bool : &cc->t_float;
    }
    g_put_buf(g, bb);
    g_adjust(g, 0, 1);
    bad_operands(g, op, ta, tb, pos);
    return &cc->t_error;
}

/* a == b on references: null-safe equals. */
/* Reference `==`: null-safe `a.equals(b)`. When [a] is statically a String (a
 * final class, so the call can only reach String.equals), the call names
 * String.equals, which the VM runs inline (vm/link.c intrinsic_op). */
static void ref_equals(Gen *g, Buf *bb, bool string_left)
{
    Type *obj = g_object_type(g);
    Type *I = &g->cc->t_int;
    uint16_t ta = g_temp(g, string_left ? g_string_type(g) : obj), tb = g_temp(g, obj);
    g_op16(g, CF_OP_STORE, ta);
    g_put_buf(g, bb);
    g_adjust(g, 0, 1);
    g_op16(g, CF_OP_STORE, tb);
    g_op16(g, CF_OP_LOAD, ta);
    g_op(g, CF_OP_ACONST_NULL);
    g_op(g, CF_OP_AEQ);
    g_open(g, CF_OP_IF, I);
    g_op16(g, CF_OP_LOAD, tb);
    g_op(g, CF_OP_ACONST_NULL);
    g_op(g, CF_OP_AEQ);
    g_else(g);
    g_op16(g, CF_OP_LOAD, tb);
    g_op(g, CF_OP_ACONST_NULL);
    g_op(g, CF_OP_AEQ);
    g_open(g, CF_OP_IF, I);
    g_iconst(g, 0);
    g_else(g);
    g_op16(g, CF_OP_LOAD, ta);
    g_op16(g, CF_OP_LOAD, tb);
    g_op16_effect(g, CF_OP_INVOKEVIRTUAL,
                  cf_cp_method(g->cf, string_left ? "std/core/String" : "std/core/Object",
                               "equals", "(Lstd/core/Object;)Z"),
                  2, 1);
    g_end(g);
    g_end(g);
    g_free_temp(g, ta);
    g_free_temp(g, tb);
}

static bool comparable_refs(Gen *g, Type *a, Type *b)
{
    if (cc_ref_assignable(g->cc, a, b) || cc_ref_assignable(g->cc, b, a))
        return true;
    /* an interface may be implemented by a subclass of the other side */
    return (a->kind == TY_CLASS && (a->cls->flags & CF_ACC_INTERFACE)) ||
           (b->kind == TY_CLASS && (b->cls->flags & CF_ACC_INTERFACE));
}

static Type *gen_binary(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    TokKind op = e->op;
    if (op == TK_ANDAND || op == TK_OROR) {
        g_expect(g, e->a, &cc->t_bool);
        g_open(g, CF_OP_IF, &cc->t_int);
        if (op == TK_ANDAND) {
            g_expect(g, e->b, &cc->t_bool);
            g_else(g);
            g_iconst(g, 0);
        } else {
            g_iconst(g, 1);
            g_else(g);
            g_expect(g, e->b, &cc->t_bool);
        }
        g_end(g);
        return &cc->t_bool;
    }
    Type *ta = g_expr(g, e->a);
    Buf bb;
    Type *tb = g_expr_to_buf(g, e->b, &bb);
    g->depth--;
    if (op == TK_EQEQEQ || op == TK_NEEQEQ || ((op == TK_EQ || op == TK_NE) &&
                                               cc_is_ref(ta) && cc_is_ref(tb))) {
        g_put_buf(g, &bb);
        g_adjust(g, 0, 1);
        if (!cc_is_ref(ta) || !cc_is_ref(tb)) {
            if (ta->kind != TY_ERROR && tb->kind != TY_ERROR)
                g_error(g, e->pos, "operator '%s' needs references, found %s and %s",
                        opname(op), cc_type_name(cc, ta), cc_type_name(cc, tb));
            return &cc->t_error;
        }
        if (!comparable_refs(g, ta, tb)) {
            bad_operands(g, op, ta, tb, e->pos);
            return &cc->t_error;
        }
        bool identity = op == TK_EQEQEQ || op == TK_NEEQEQ || ta->kind == TY_NULL ||
                        tb->kind == TY_NULL;
        bool eq = op == TK_EQEQEQ || op == TK_EQ;
        bool left_string = ta->kind == TY_CLASS && ta->cls == g_string_type(g)->cls;
        if (identity) {
            g_op(g, eq ? CF_OP_AEQ : CF_OP_ANE);
        } else if (e->a->kind == EX_STRING || (e->b->kind == EX_STRING && left_string)) {
            /* a string literal is never null: `"k" == x` is "k".equals(x), and so is
             * `s == "k"` for a String s (String.equals is symmetric): no temporaries,
             * no null tests */
            if (e->a->kind != EX_STRING)
                g_op(g, CF_OP_SWAP);
            g_op16_effect(g, CF_OP_INVOKEVIRTUAL,
                          cf_cp_method(g->cf, "std/core/String", "equals",
                                       "(Lstd/core/Object;)Z"),
                          2, 1);
            if (!eq)
                g_op(g, CF_OP_EQZ);
        } else {
            /* undo the right operand: ref_equals places it itself */
            g->out->len -= bb.len;
            g->depth--;
            ref_equals(g, &bb, left_string);
            if (!eq)
                g_op(g, CF_OP_EQZ);
        }
        return &cc->t_bool;
    }
    return arith(g, op, ta, tb, &bb, e->a, e->b, e->pos);
}

static Type *gen_unary(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Type *t = g_expr(g, e->a);
    if (t->kind == TY_ERROR)
        return t;
    switch (e->op) {
    case TK_MINUS:
        if (g_is_intlike(t)) {
            g_op(g, CF_OP_INEG);
            return &cc->t_int;
        }
        if (t->kind == TY_FLOAT) {
            g_op(g, CF_OP_FNEG);
            return t;
        }
        break;
    case TK_BANG:
        if (t->kind == TY_BOOL) {
            g_op(g, CF_OP_EQZ);
            return t;
        }
        break;
    case TK_TILDE:
        if (g_is_intlike(t)) {
            g_iconst(g, -1);
            g_op(g, CF_OP_IXOR);
            return &cc->t_int;
        }
        break;
    default:
        break;
    }
    g_error(g, e->pos, "operator '%s' cannot be applied to %s", opname(e->op),
            cc_type_name(cc, t));
    return &cc->t_error;
}

static Type *gen_cond(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    g_expect(g, e->a, &cc->t_bool);
    int base = g->depth - 1;
    g->depth = base;
    Buf bb, bc;
    Type *tb = g_expr_to_buf(g, e->b, &bb);
    g->depth = base;
    Type *tc = g_expr_to_buf(g, e->c, &bc);
    g->depth = base + 1;
    Type *t = unify(g, tb, tc);
    if (!t || t->kind == TY_VOID) {
        g_error(g, e->pos, "the branches of '?:' have incompatible types %s and %s",
                cc_type_name(cc, tb), cc_type_name(cc, tc));
        t = &cc->t_error;
    }
    if (t->kind == TY_NULL)
        t = g_object_type(g);
    g_open(g, CF_OP_IF, t);
    g_put_buf(g, &bb);
    g_adjust(g, 0, 1);
    g_convert(g, tb, t);
    g_else(g);
    g_put_buf(g, &bc);
    g_adjust(g, 0, 1);
    g_convert(g, tc, t);
    g_end(g);
    return t;
}

static Type *gen_is_as(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    Type *t = g_expr(g, e->a);
    Type *to = cc_resolve_type(cc, g->f, e->tref);
    if (t->kind == TY_ERROR || to->kind == TY_ERROR)
        return e->kind == EX_IS ? &cc->t_bool : to;
    if (e->kind == EX_IS) {
        if (!cc_is_ref(t) || !cc_is_ref(to) || to->kind == TY_NULL) {
            g_error(g, e->pos, "operator 'is' needs a reference and a class or array type, "
                    "found %s and %s", cc_type_name(cc, t), cc_type_name(cc, to));
            return &cc->t_error;
        }
        Type *er = cc_erasure(cc, to);
        g_op16(g, CF_OP_INSTANCEOF,
               cf_cp_class(g->cf, er->kind == TY_ARRAY ? er->desc : er->cls->name));
        return &cc->t_bool;
    }
    if (cc_is_numeric(t) && cc_is_numeric(to)) {
        if (t == to || (t->kind == TY_BYTE && to->kind == TY_INT))
            return to;
        if (to->kind == TY_FLOAT) {
            g_op(g, CF_OP_I2F);
        } else if (to->kind == TY_INT) {
            g_op(g, CF_OP_F2I);
        } else {
            if (t->kind == TY_FLOAT)
                g_op(g, CF_OP_F2I);
            g_op(g, CF_OP_I2B);
        }
        return to;
    }
    if (t == to)
        return to;
    if (cc_is_ref(t) && cc_is_ref(to) && to->kind != TY_NULL) {
        if (cc_ref_assignable(cc, t, to))
            return to;
        if (cc_ref_assignable(cc, to, t) || comparable_refs(g, t, to) ||
            to->kind == TY_VAR || to->kind == TY_FUN || t->kind == TY_VAR ||
            (t->kind == TY_CLASS && to->kind == TY_CLASS && t->cls == to->cls)) {
            Type *er = cc_erasure(cc, to);
            if (strcmp(er->desc, "Lstd/core/Object;") != 0)
                g_op16(g, CF_OP_CHECKCAST,
                       cf_cp_class(g->cf, er->kind == TY_ARRAY ? er->desc : er->cls->name));
            return to;
        }
    }
    /* unboxing cast: (o as int) */
    if (cc_is_ref(t) && t->kind != TY_NULL && g_is_prim(to) && cc_box_class(cc, to)) {
        g_unbox(g, to);
        return to;
    }
    const char *nt, *nto;
    cc_type_names(cc, t, to, &nt, &nto);
    g_error(g, e->pos, "cannot convert %s to %s", nt, nto);
    return &cc->t_error;
}

/* A string constant. Class files cannot hold NUL in strings, so a literal with
 * "\0" is built at run time: its pieces joined by String.fromCodePoint(0). */
static void emit_string(Gen *g, const char *s, size_t len)
{
    const char *nul = memchr(s, 0, len);
    if (!nul) {
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, s, len));
        return;
    }
    g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, s, (size_t)(nul - s)));
    while (nul) {
        g_iconst(g, 0);
        g_op16_effect(
            g, CF_OP_INVOKESTATIC,
            cf_cp_method(g->cf, "std/core/String", "fromCodePoint", "(I)Lstd/core/String;"), 1, 1);
        g_concat(g);
        size_t rest = len - (size_t)(nul - s) - 1;
        const char *p = nul + 1;
        nul = memchr(p, 0, rest);
        size_t piece = nul ? (size_t)(nul - p) : rest;
        if (piece > 0) {
            g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, p, piece));
            g_concat(g);
        }
    }
}

static Type *gen_interp(Gen *g, Expr *e)
{
    if (e->nargs == 0) {
        g_op16(g, CF_OP_LDC, cf_cp_string(g->cf, "", 0));
        return g_string_type(g);
    }
    for (int i = 0; i < e->nargs; i++) {
        Type *t = g_expr(g, e->args[i]);
        g_to_string(g, t, e->args[i]);
        if (i > 0)
            g_concat(g);
    }
    return g_string_type(g);
}

Type *g_expr_impl(Gen *g, Expr *e)
{
    Cc *cc = g->cc;
    switch (e->kind) {
    case EX_INT:
        g_iconst(g, e->ival);
        return &cc->t_int;
    case EX_FLOAT:
        g_op16(g, CF_OP_LDC, cf_cp_float(g->cf, e->fval));
        return &cc->t_float;
    case EX_BOOL:
        g_iconst(g, e->ival);
        return &cc->t_bool;
    case EX_NULL:
        g_op(g, CF_OP_ACONST_NULL);
        return &cc->t_null;
    case EX_STRING:
        emit_string(g, e->str, e->slen);
        return g_string_type(g);
    case EX_INTERP:
        return gen_interp(g, e);
    case EX_NAME:
        return g_name(g, e);
    case EX_THIS:
        if (g->is_static || !g->ci) {
            g_error(g, e->pos, "'this' cannot be used in a static function");
            return &cc->t_error;
        }
        g_load_this(g);
        return g->self ? g->self : g->ci->type;
    case EX_SUPER:
        g_error(g, e->pos, "'super' must be followed by '.' and a member");
        return &cc->t_error;
    case EX_FIELD:
        return g_member(g, e);
    case EX_CALL:
        return g_call(g, e);
    case EX_INDEX:
        return gen_index(g, e);
    case EX_NEW:
        return g_new(g, e);
    case EX_NEWARRAY: {
        g_expect(g, e->a, &cc->t_int);
        Type *t = cc_resolve_type(cc, g->f, e->tref);
        if (t->kind == TY_ERROR)
            return t;
        if (t->elem->kind == TY_VOID) {
            g_error(g, e->pos, "cannot create an array of void");
            return &cc->t_error;
        }
        g_op16(g, CF_OP_NEWARRAY, cf_cp_class(g->cf, t->desc));
        return t;
    }
    case EX_ARRAYLIT:
        return gen_arraylit(g, e, NULL);
    case EX_UNARY:
        return gen_unary(g, e);
    case EX_PREINC: case EX_PREDEC: case EX_POSTINC: case EX_POSTDEC:
        return gen_incdec(g, e, true);
    case EX_BINARY:
        return gen_binary(g, e);
    case EX_ASSIGN:
        return gen_assign(g, e, true);
    case EX_COND:
        return gen_cond(g, e);
    case EX_IS: case EX_AS:
        return gen_is_as(g, e);
    case EX_LAMBDA:
        return g_lambda(g, e, NULL, NULL);
    }
    return &cc->t_error;
}

void g_discard(Gen *g, Expr *e)
{
    switch (e->kind) {
    case EX_ASSIGN:
        gen_assign(g, e, false);
        return;
    case EX_PREINC: case EX_PREDEC: case EX_POSTINC: case EX_POSTDEC:
        gen_incdec(g, e, false);
        return;
    case EX_CALL:
    case EX_NEW: {
        g->discard_call = e;
        Type *t = g_expr(g, e);
        g->discard_call = NULL;
        if (t->kind != TY_VOID && t->kind != TY_ERROR)
            g_op(g, CF_OP_POP);
        return;
    }
    default:
        g_error(g, e->pos, "this expression is not a statement");
        return;
    }
}
