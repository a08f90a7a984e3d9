/* classfile/opcodes.c: the opcode info table and the instruction decoder. */
#include <stddef.h>

#include "opcodes.h"

const CfOpInfo cf_op_info[256] = {
#define CF_OP_INFO(NAME, str, byte, imm, pops, pushes, types, vm) \
    [byte] = {str, imm, pops, pushes, types},
    MICA_OPCODES(CF_OP_INFO)
#undef CF_OP_INFO
};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static int32_t rd32s(const uint8_t *p)
{
    uint32_t v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    return (int32_t)v;
}

int cf_insn_decode(const uint8_t *code, uint32_t len, uint32_t pc, CfInsn *out)
{
    if (pc >= len)
        return -2;
    uint8_t op = code[pc];
    const CfOpInfo *info = &cf_op_info[op];
    if (!info->name)
        return -1;
    uint32_t left = len - pc - 1;   /* bytes after the opcode */
    const uint8_t *p = code + pc + 1;
    out->pc = pc;
    out->op = op;
    out->a = 0;
    out->i = 0;
    out->table = NULL;
    switch (info->imm) {
    case CF_IMM_NONE:
        out->size = 1;
        break;
    case CF_IMM_U16:
        if (left < 2)
            return -2;
        out->a = rd16(p);
        out->size = 3;
        break;
    case CF_IMM_I32:
        if (left < 4)
            return -2;
        out->i = rd32s(p);
        out->size = 5;
        break;
    case CF_IMM_U16I32:
        if (left < 6)
            return -2;
        out->a = rd16(p);
        out->i = rd32s(p + 2);
        out->size = 7;
        break;
    case CF_IMM_TABLE: {
        if (left < 2)
            return -2;
        uint32_t n = rd16(p);
        /* n depths plus the default, two bytes each */
        if ((left - 2) / 2 < n + 1)
            return -2;
        out->a = (uint16_t)n;
        out->table = p + 2;
        out->size = 1 + 2 + 2 * (n + 1);
        break;
    }
    default:
        return -1;
    }
    return 0;
}
