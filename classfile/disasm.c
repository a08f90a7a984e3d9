/* classfile/disasm.c: the javap-style listing of a class (cf_disasm) and of one
 * instruction (cf_disasm_insn). Tolerates anything cf_read accepts. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cf_private.h"

static void print_quoted(FILE *out, const char *s, uint32_t len)
{
    fputc('"', out);
    for (uint32_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (ch < 0x20 || ch == 0x7F)
                fprintf(out, "\\x%02x", ch);
            else
                fputc(ch, out);
        }
    }
    fputc('"', out);
}

/* Shortest %g form that reads back to the same double, as for Mica's own text. */
static void print_float(FILE *out, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, out);
    if (!strpbrk(buf, ".eninf"))   /* keep it visibly a float: 1 -> 1.0 */
        fputs(".0", out);
}

static const char *utf8_or(const CfClass *c, uint16_t idx, const char *dflt)
{
    const char *s = cf_utf8(c, idx);
    return s ? s : dflt;
}

/* The resolved value of constant [idx]: "std/core/String.length:()I", "int 42". */
static void print_const_value(const CfClass *c, uint16_t idx, FILE *out)
{
    if (idx == 0 || idx >= c->ncp) {
        fprintf(out, "<bad index #%u>", idx);
        return;
    }
    const CfConst *k = &c->cp[idx];
    switch (k->kind) {
    case CF_CONST_UTF8:
        print_quoted(out, k->u.utf8.s, k->u.utf8.len);
        break;
    case CF_CONST_INT:
        fprintf(out, "%" PRId64, k->u.i);
        break;
    case CF_CONST_FLOAT:
        print_float(out, k->u.f);
        break;
    case CF_CONST_CLASS:
        fputs(utf8_or(c, k->u.name, "?"), out);
        break;
    case CF_CONST_STRING: {
        const CfConst *s = k->u.name < c->ncp ? &c->cp[k->u.name] : NULL;
        if (s && s->kind == CF_CONST_UTF8)
            print_quoted(out, s->u.utf8.s, s->u.utf8.len);
        else
            fputs("?", out);
        break;
    }
    case CF_CONST_FIELD:
    case CF_CONST_METHOD: {
        const char *cls = cf_class_name(c, k->u.ref.cls);
        fprintf(out, "%s.%s:%s", cls ? cls : "?", utf8_or(c, k->u.ref.name, "?"),
                utf8_or(c, k->u.ref.desc, "?"));
        break;
    }
    default:
        fputs("<unused>", out);
        break;
    }
}

/* Spells out [flags] separated by spaces; [trail] follows a non-empty list. */
static void print_flags(FILE *out, uint16_t flags, const char *trail)
{
    static const struct { uint16_t bit; const char *name; } names[] = {
        {CF_ACC_PRIVATE, "private"},   {CF_ACC_STATIC, "static"},
        {CF_ACC_FINAL, "final"},       {CF_ACC_NATIVE, "native"},
        {CF_ACC_INTERFACE, "interface"}, {CF_ACC_ABSTRACT, "abstract"},
        {CF_ACC_SYNTHETIC, "synthetic"}, {CF_ACC_MODULE, "module"},
    };
    uint16_t rest = flags;
    const char *sep = "";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & names[i].bit) {
            fprintf(out, "%s%s", sep, names[i].name);
            rest &= (uint16_t)~names[i].bit;
            sep = " ";
        }
    }
    if (rest) {
        fprintf(out, "%sflags(0x%04x)", sep, rest);
        sep = " ";
    }
    if (sep[0])
        fputs(trail, out);
}

void cf_disasm_insn(const CfClass *c, const CfInsn *in, FILE *out)
{
    const CfOpInfo *info = &cf_op_info[in->op];
    if (!info->name) {
        fprintf(out, ".byte 0x%02x", in->op);
        return;
    }
    fputs(info->name, out);
    switch (info->imm) {
    case CF_IMM_NONE:
        return;
    case CF_IMM_I32:
        fprintf(out, " %" PRId32, in->i);
        return;
    case CF_IMM_U16I32:
        fprintf(out, " %u, %" PRId32, in->a, in->i);
        return;
    case CF_IMM_TABLE:
        fputs(" [", out);
        for (uint32_t k = 0; k < in->a; k++)
            fprintf(out, "%s%u", k ? ", " : "", cf_insn_table_depth(in, k));
        fprintf(out, "] default %u", cf_insn_table_depth(in, in->a));
        return;
    default:
        break;
    }
    /* u16 immediates: what they mean depends on the opcode */
    switch (in->op) {
    case CF_OP_LOAD:
    case CF_OP_STORE:
    case CF_OP_BR:
    case CF_OP_BR_IF:
        fprintf(out, " %u", in->a);
        return;
    case CF_OP_BLOCK:
    case CF_OP_LOOP:
    case CF_OP_IF:
    case CF_OP_TRY:
        if (in->a == 0) {
            fputs(" void", out);
            return;
        }
        fprintf(out, " #%u // ", in->a);
        fputs(utf8_or(c, in->a, "<bad block type>"), out);
        return;
    case CF_OP_CATCH:
        if (in->a == 0) {
            fputs(" 0 // any", out);
            return;
        }
        break;
    case CF_OP_LDC:
        if (in->a && in->a < c->ncp) {
            uint8_t kind = c->cp[in->a].kind;
            fprintf(out, " #%u // %s ", in->a,
                    kind == CF_CONST_INT ? "int" : kind == CF_CONST_FLOAT ? "float"
                                                 : cf_const_kind_name(kind));
            print_const_value(c, in->a, out);
            return;
        }
        break;
    default:
        break;
    }
    fprintf(out, " #%u // ", in->a);
    print_const_value(c, in->a, out);
}

static void print_attr_raw(const CfClass *c, const CfAttr *a, const char *indent, FILE *out)
{
    fprintf(out, "%sattribute %s (%u bytes%s)\n", indent, utf8_or(c, a->name, "?"), a->len,
            a->flags & CF_ATTR_REQUIRED ? ", required" : "");
}

static void print_unknown_attrs(const CfClass *c, const CfAttr *attrs, uint16_t n,
                                const char *indent, FILE *out)
{
    for (uint16_t i = 0; i < n; i++)
        if (attrs[i].kind == CF_ATTR_UNKNOWN)
            print_attr_raw(c, &attrs[i], indent, out);
}

static void print_locals(const CfClass *c, const CfMethod *m, FILE *out)
{
    const char *desc = utf8_or(c, m->desc, "");
    uint32_t slot = 0;
    fputs("    locals:", out);
    if (!(m->flags & CF_ACC_STATIC))
        fprintf(out, " %u=this", slot++);
    if (desc[0] == '(') {
        size_t n = strlen(desc), i = 1;
        while (i < n && desc[i] != ')') {
            size_t k = cf_desc_field_len(desc + i, n - i, false);
            if (!k)
                break;
            fprintf(out, " %u=%.*s", slot++, (int)k, desc + i);
            i += k;
        }
    }
    const CfCode *code = m->code;
    for (uint32_t i = 0; i < code->nlocals; i++)
        fprintf(out, " %u:%s", slot++, utf8_or(c, code->local_types[i], "?"));
    fputc('\n', out);
}

static void print_code(const CfClass *c, const CfMethod *m, FILE *out)
{
    const CfCode *k = m->code;
    fprintf(out, "    max_stack %u, %u declared locals, %u bytes of code\n", k->max_stack,
            k->nlocals, k->code_len);
    print_locals(c, m, out);
    uint32_t depth = 0, pc = 0;
    while (pc < k->code_len) {
        CfInsn in;
        int rc = cf_insn_decode(k->code, k->code_len, pc, &in);
        if (rc != 0) {
            in.pc = pc;
            in.op = k->code[pc];
            in.size = 1;
        }
        bool closes = rc == 0 && (in.op == CF_OP_END || in.op == CF_OP_ELSE ||
                                  in.op == CF_OP_CATCH);
        if (closes && depth > 0 && in.op == CF_OP_END)
            depth--;
        uint32_t indent = depth;
        if (closes && in.op != CF_OP_END && indent > 0)
            indent--;
        fprintf(out, "    %5u: %*s", pc, (int)(2 * (indent < 40 ? indent : 40)), "");
        if (rc != 0)
            fprintf(out, ".byte 0x%02x", k->code[pc]);
        else
            cf_disasm_insn(c, &in, out);
        fputc('\n', out);
        if (rc == 0 && (in.op == CF_OP_BLOCK || in.op == CF_OP_LOOP || in.op == CF_OP_IF ||
                        in.op == CF_OP_TRY))
            depth++;
        pc += in.size;
    }
    if (k->nlines) {
        fputs("    line numbers:\n", out);
        for (uint32_t i = 0; i < k->nlines; i++)
            fprintf(out, "      pc %u: line %u\n", k->lines[i].pc, k->lines[i].line);
    }
    print_unknown_attrs(c, k->attrs, k->nattrs, "    ", out);
}

void cf_disasm(const CfClass *c, FILE *out)
{
    if (!c || !out)
        return;
    const char *self = cf_this_name(c);
    bool iface = c->flags & CF_ACC_INTERFACE;
    fprintf(out, "%s %s", iface ? "interface" : "class", self[0] ? self : "?");
    if (c->super_class) {
        const char *s = cf_class_name(c, c->super_class);
        fprintf(out, " extends %s", s ? s : "?");
    }
    for (uint32_t i = 0; i < c->ninterfaces; i++) {
        const char *s = cf_class_name(c, c->interfaces[i]);
        fprintf(out, "%s%s", i ? ", " : " implements ", s ? s : "?");
    }
    fprintf(out, "\n  version %u.%u, flags 0x%04x", c->major, c->minor, c->flags);
    if (c->flags) {
        fputs(" (", out);
        print_flags(out, c->flags, ")");
    }
    fputc('\n', out);
    if (c->source_file)
        fprintf(out, "  source file %s\n", utf8_or(c, c->source_file, "?"));
    print_unknown_attrs(c, c->attrs, c->nattrs, "  ", out);

    fprintf(out, "Constant pool (%u entries):\n", c->ncp > 0 ? c->ncp - 1u : 0u);
    for (uint32_t i = 1; i < c->ncp; i++) {
        const CfConst *k = &c->cp[i];
        char num[8];
        snprintf(num, sizeof num, "#%u", i);
        fprintf(out, "  %6s = %s ", num, cf_const_kind_name(k->kind));
        print_const_value(c, (uint16_t)i, out);
        fputc('\n', out);
    }

    fprintf(out, "Fields (%u):\n", c->nfields);
    for (uint32_t i = 0; i < c->nfields; i++) {
        const CfField *f = &c->fields[i];
        fputs("  ", out);
        print_flags(out, f->flags, " ");
        fprintf(out, "%s: %s\n", utf8_or(c, f->name, "?"), utf8_or(c, f->desc, "?"));
        print_unknown_attrs(c, f->attrs, f->nattrs, "    ", out);
    }

    fprintf(out, "Methods (%u):\n", c->nmethods);
    for (uint32_t i = 0; i < c->nmethods; i++) {
        const CfMethod *m = &c->methods[i];
        fputs("  ", out);
        print_flags(out, m->flags, " ");
        fprintf(out, "%s%s\n", utf8_or(c, m->name, "?"), utf8_or(c, m->desc, "?"));
        if (m->native_sym)
            fprintf(out, "    native library \"%s\" symbol \"%s\"\n",
                    utf8_or(c, m->native_lib, "?"), utf8_or(c, m->native_sym, "?"));
        if (m->code)
            print_code(c, m, out);
        print_unknown_attrs(c, m->attrs, m->nattrs, "    ", out);
    }
}
