/* tools/mkclass.c: a tiny class-file assembler for hostile and hand-made classes
 * (the .mcasm cases of tests/verify/cases). Text in, one .mcl per class out; it checks only
 * what it needs to emit bytes, so it can write classes that break any rule.
 *
 *   mkclass OUTDIR FILE.mcasm
 *
 * Format, one directive or instruction a line, `;` starts a comment:
 *   .class NAME [FLAG...]        starts a class (flags: final abstract interface
 *                                module synthetic private static native, or 0xNNNN)
 *   .super NAME | none           superclass (default std/core/Object)
 *   .implements NAME
 *   .version MAJOR MINOR
 *   .field [FLAG...] NAME DESC
 *   .method [FLAG...] NAME DESC [stack=N] [locals=D,D,...] [code|nocode]
 *                                code follows until .endmethod; abstract and native
 *                                methods have none unless `code` is given
 *   .native LIB SYM              gives the current method a Native attribute
 *   .endmethod
 * Instructions are mnemonics with operands by symbolic reference:
 *   ldc int N | float X | string "TEXT"      block/loop/if/try void | DESC
 *   catch any | CLASS       getfield/putfield/... CLASS NAME DESC
 *   new/invoke.../initsuper CLASS NAME DESC   callfn DESC
 *   instanceof/checkcast/newarray CLASS       br_table D... DEFAULT
 *   iinc LOCAL DELTA        other u16 and s32 operands are numbers
 *   #N anywhere a constant is expected gives a raw index; `.byte N...` raw bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"

#define MAX_TOK 64

typedef struct Asm {
    const char *file;
    int line;
    const char *outdir;
    CfClass *c;            /* class being assembled, NULL between classes        */
    CfMethod *m;           /* method being assembled                             */
    int m_index;
    bool m_code;
    uint16_t stack;
    uint16_t locals[256];
    uint16_t nlocals;
    uint8_t *code;
    uint32_t len, cap;
    const char *native_lib, *native_sym;
    char lib_buf[256], sym_buf[256];
} Asm;

static void die(const Asm *a, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", a->file, a->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void emit(Asm *a, uint8_t b)
{
    if (a->len == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->code = cm_realloc(a->code, a->cap);
        if (!a->code)
            die(a, "out of memory");
    }
    a->code[a->len++] = b;
}

static void emit16(Asm *a, uint32_t v)
{
    emit(a, (uint8_t)(v >> 8));
    emit(a, (uint8_t)v);
}

static void emit32(Asm *a, uint32_t v)
{
    emit16(a, v >> 16);
    emit16(a, v & 0xFFFF);
}

static long num(const Asm *a, const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (!*s || *end || errno)
        die(a, "expected a number, got '%s'", s);
    return v;
}

static uint16_t cpidx(Asm *a, uint16_t idx)
{
    if (!idx)
        die(a, "constant pool full");
    return idx;
}

static uint16_t flag_word(const char *s)
{
    static const struct {
        const char *name;
        uint16_t bit;
    } words[] = {{"private", CF_ACC_PRIVATE},     {"static", CF_ACC_STATIC},
                 {"final", CF_ACC_FINAL},         {"native", CF_ACC_NATIVE},
                 {"interface", CF_ACC_INTERFACE}, {"abstract", CF_ACC_ABSTRACT},
                 {"synthetic", CF_ACC_SYNTHETIC}, {"module", CF_ACC_MODULE}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(s, words[i].name))
            return words[i].bit;
    if (!strncmp(s, "0x", 2))
        return (uint16_t)strtol(s, NULL, 16);
    return 0;
}

/* Splits [line] into tokens; a "quoted string" is one token (quotes kept). */
static int tokenize(Asm *a, char *line, char **tok)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == ';')
            break;
        if (n == MAX_TOK)
            die(a, "too many tokens");
        tok[n++] = p;
        if (*p == '"') {
            p++;
            while (*p && *p != '"')
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (*p != '"')
                die(a, "unterminated string");
            p++;
        } else {
            while (*p && !isspace((unsigned char)*p))
                p++;
        }
        if (*p)
            *p++ = 0;
    }
    return n;
}

/* Unquotes a string token in place (\n, \t, \\, \", \xNN); returns its length. */
static size_t unquote(char *s)
{
    char *o = s;
    const char *p = s + 1;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1]) {
            p++;
            switch (*p) {
            case 'n':
                *o++ = '\n';
                p++;
                break;
            case 't':
                *o++ = '\t';
                p++;
                break;
            case 'x':
                *o++ = (char)strtol((char[]){p[1], p[2], 0}, NULL, 16);
                p += 3;
                break;
            default:
                *o++ = *p++;
            }
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return (size_t)(o - s);
}

static void finish_class(Asm *a)
{
    if (!a->c)
        return;
    if (a->m)
        die(a, "missing .endmethod");
    uint8_t *out;
    size_t len;
    CfError err;
    if (cf_write(a->c, &out, &len, &err) < 0)
        die(a, "cannot write class: %s", err.msg);
    const char *name = cf_this_name(a->c);
    size_t n = strlen(a->outdir) + strlen(name) + 8;
    char *path = cm_malloc(n);
    if (!path)
        die(a, "out of memory");
    snprintf(path, n, "%s/%s.mcl", a->outdir, name);
    /* nested packages: create the directories */
    for (char *s = path + strlen(a->outdir) + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            char cmd[4096];
            snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
            if (system(cmd) != 0)
                die(a, "cannot create %s", path);
            *s = '/';
        }
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(out, 1, len, f) != len || fclose(f) != 0)
        die(a, "cannot write %s", path);
    free(path);
    free(out);
    cf_class_free(a->c);
    a->c = NULL;
}

static uint16_t block_type(Asm *a, char *t)
{
    if (t[0] == '#')
        return (uint16_t)num(a, t + 1);
    if (!strcmp(t, "void") || !strcmp(t, "0"))
        return 0;
    return cpidx(a, cf_cp_utf8z(a->c, t));
}

static uint16_t class_ref(Asm *a, char *t)
{
    if (t[0] == '#')
        return (uint16_t)num(a, t + 1);
    if (!strcmp(t, "any") || !strcmp(t, "0"))
        return 0;
    return cpidx(a, cf_cp_class(a->c, t));
}

static void insn(Asm *a, char **tok, int n)
{
    int op = -1;
    for (int b = 0; b < 256; b++)
        if (cf_op_info[b].name && !strcmp(cf_op_info[b].name, tok[0]))
            op = b;
    if (op < 0)
        die(a, "unknown mnemonic '%s'", tok[0]);
    emit(a, (uint8_t)op);
    int imm = cf_op_info[op].imm;
    if (imm == CF_IMM_NONE) {
        if (n != 1)
            die(a, "%s takes no operand", tok[0]);
        return;
    }
    if (n < 2)
        die(a, "%s needs an operand", tok[0]);
    if (imm == CF_IMM_I32) {
        emit32(a, (uint32_t)num(a, tok[1]));
        return;
    }
    if (imm == CF_IMM_U16I32) {
        if (n != 3)
            die(a, "iinc takes LOCAL DELTA");
        emit16(a, (uint32_t)num(a, tok[1]));
        emit32(a, (uint32_t)num(a, tok[2]));
        return;
    }
    if (imm == CF_IMM_TABLE) {
        emit16(a, (uint32_t)(n - 2));
        for (int i = 1; i < n; i++)
            emit16(a, (uint32_t)num(a, tok[i]));
        return;
    }
    uint16_t v = 0;
    if (tok[1][0] == '#' && n == 2) {
        v = (uint16_t)num(a, tok[1] + 1);
    } else {
        switch (op) {
        case CF_OP_LDC:
            if (n != 3)
                die(a, "ldc takes int N, float X or string \"S\"");
            if (!strcmp(tok[1], "int"))
                v = cf_cp_int(a->c, strtoll(tok[2], NULL, 0));
            else if (!strcmp(tok[1], "float"))
                v = cf_cp_float(a->c, strtod(tok[2], NULL));
            else if (!strcmp(tok[1], "string") && tok[2][0] == '"')
                v = cf_cp_string(a->c, tok[2], unquote(tok[2]));
            else
                die(a, "bad ldc operand");
            v = cpidx(a, v);
            break;
        case CF_OP_BLOCK:
        case CF_OP_LOOP:
        case CF_OP_IF:
        case CF_OP_TRY:
            v = block_type(a, tok[1]);
            break;
        case CF_OP_CATCH:
        case CF_OP_INSTANCEOF:
        case CF_OP_CHECKCAST:
        case CF_OP_NEWARRAY:
            v = class_ref(a, tok[1]);
            break;
        case CF_OP_GETFIELD:
        case CF_OP_PUTFIELD:
        case CF_OP_GETSTATIC:
        case CF_OP_PUTSTATIC:
            if (n != 4)
                die(a, "%s takes CLASS NAME DESC", tok[0]);
            v = cpidx(a, cf_cp_field(a->c, tok[1], tok[2], tok[3]));
            break;
        case CF_OP_NEW:
        case CF_OP_INVOKESTATIC:
        case CF_OP_INVOKEVIRTUAL:
        case CF_OP_INVOKESPECIAL:
        case CF_OP_INVOKEIFACE:
        case CF_OP_INITSUPER:
            if (n != 4)
                die(a, "%s takes CLASS NAME DESC", tok[0]);
            v = cpidx(a, cf_cp_method(a->c, tok[1], tok[2], tok[3]));
            break;
        case CF_OP_CALLFN:
            v = cpidx(a, cf_cp_utf8z(a->c, tok[1]));
            break;
        default:
            v = (uint16_t)num(a, tok[1]);
            break;
        }
    }
    emit16(a, v);
}

static void end_method(Asm *a)
{
    if (!a->m)
        die(a, ".endmethod outside a method");
    CfMethod *m = &a->c->methods[a->m_index];
    if (a->m_code && cf_set_code(a->c, m, a->stack, a->nlocals, a->locals, a->code, a->len,
                                 NULL, 0) < 0)
        die(a, "cannot set code");
    if (a->native_lib) {
        uint16_t flags = m->flags;
        if (cf_set_native(a->c, m, a->native_lib, a->native_sym) < 0)
            die(a, "cannot set native");
        m->flags = flags; /* keep exactly the flags written, NATIVE or not */
    }
    a->m = NULL;
}

static void directive(Asm *a, char **tok, int n)
{
    const char *d = tok[0];
    if (!strcmp(d, ".class")) {
        finish_class(a);
        if (n < 2)
            die(a, ".class needs a name");
        a->c = cf_class_new();
        if (!a->c)
            die(a, "out of memory");
        uint16_t flags = 0;
        for (int i = 2; i < n; i++)
            flags |= flag_word(tok[i]);
        a->c->flags = flags;
        a->c->this_class = cpidx(a, cf_cp_class(a->c, tok[1]));
        a->c->super_class = cpidx(a, cf_cp_class(a->c, "std/core/Object"));
        return;
    }
    if (!a->c)
        die(a, "%s before .class", d);
    if (!strcmp(d, ".super")) {
        a->c->super_class = !strcmp(tok[1], "none") ? 0 : cpidx(a, cf_cp_class(a->c, tok[1]));
    } else if (!strcmp(d, ".implements")) {
        if (n != 2 || cf_add_interface(a->c, tok[1]) < 0)
            die(a, "bad .implements");
    } else if (!strcmp(d, ".version")) {
        a->c->major = (uint16_t)num(a, tok[1]);
        a->c->minor = (uint16_t)num(a, tok[2]);
    } else if (!strcmp(d, ".field")) {
        uint16_t flags = 0;
        int i = 1;
        for (; i < n && flag_word(tok[i]); i++)
            flags |= flag_word(tok[i]);
        if (n - i != 2 || !cf_add_field(a->c, flags, tok[i], tok[i + 1]))
            die(a, ".field takes [FLAGS] NAME DESC");
    } else if (!strcmp(d, ".method")) {
        if (a->m)
            die(a, "missing .endmethod");
        uint16_t flags = 0;
        int i = 1;
        for (; i < n && flag_word(tok[i]); i++)
            flags |= flag_word(tok[i]);
        if (n - i < 2)
            die(a, ".method takes [FLAGS] NAME DESC [stack=N] [locals=...]");
        a->m = cf_add_method(a->c, flags, tok[i], tok[i + 1]);
        if (!a->m)
            die(a, "cannot add method");
        a->m_index = a->c->nmethods - 1;
        a->m_code = !(flags & (CF_ACC_ABSTRACT | CF_ACC_NATIVE));
        a->stack = 8;
        a->nlocals = 0;
        a->len = 0;
        a->native_lib = a->native_sym = NULL;
        for (i += 2; i < n; i++) {
            if (!strncmp(tok[i], "stack=", 6)) {
                a->stack = (uint16_t)num(a, tok[i] + 6);
            } else if (!strncmp(tok[i], "locals=", 7)) {
                for (char *s = strtok(tok[i] + 7, ","); s; s = strtok(NULL, ",")) {
                    if (a->nlocals == 256)
                        die(a, "too many locals");
                    a->locals[a->nlocals++] = cpidx(a, cf_cp_utf8z(a->c, s));
                }
            } else if (!strcmp(tok[i], "code")) {
                a->m_code = true;
            } else if (!strcmp(tok[i], "nocode")) {
                a->m_code = false;
            } else {
                die(a, "unknown method option '%s'", tok[i]);
            }
        }
    } else if (!strcmp(d, ".native")) {
        if (!a->m || n != 3)
            die(a, ".native LIB SYM inside a method");
        snprintf(a->lib_buf, sizeof a->lib_buf, "%s", tok[1]);
        snprintf(a->sym_buf, sizeof a->sym_buf, "%s", tok[2]);
        a->native_lib = a->lib_buf;
        a->native_sym = a->sym_buf;
    } else if (!strcmp(d, ".endmethod")) {
        end_method(a);
    } else if (!strcmp(d, ".byte")) {
        if (!a->m)
            die(a, ".byte outside a method");
        for (int i = 1; i < n; i++)
            emit(a, (uint8_t)num(a, tok[i]));
    } else {
        die(a, "unknown directive %s", d);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkclass OUTDIR FILE.mcasm\n");
        return 2;
    }
    Asm a = {.file = argv[2], .outdir = argv[1]};
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    char line[4096];
    char *tok[MAX_TOK];
    while (fgets(line, sizeof line, f)) {
        a.line++;
        int n = tokenize(&a, line, tok);
        if (n == 0)
            continue;
        if (tok[0][0] == '.')
            directive(&a, tok, n);
        else if (a.m)
            insn(&a, tok, n);
        else
            die(&a, "instruction outside a method");
    }
    fclose(f);
    finish_class(&a);
    free(a.code);
    return 0;
}
