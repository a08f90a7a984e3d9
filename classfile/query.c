/* classfile/query.c: read-only lookups on a CfClass (cf_utf8, cf_class_name,
 * cf_this_name, cf_line_of). */
#include "classfile.h"

const char *cf_utf8(const CfClass *c, uint16_t idx)
{
    if (!c || idx == 0 || idx >= c->ncp || c->cp[idx].kind != CF_CONST_UTF8)
        return NULL;
    return c->cp[idx].u.utf8.s;
}

const char *cf_class_name(const CfClass *c, uint16_t idx)
{
    if (!c || idx == 0 || idx >= c->ncp || c->cp[idx].kind != CF_CONST_CLASS)
        return NULL;
    return cf_utf8(c, c->cp[idx].u.name);
}

const char *cf_this_name(const CfClass *c)
{
    /* "" rather than NULL so callers can print it while a class is being built */
    const char *s = cf_class_name(c, c ? c->this_class : 0);
    return s ? s : "";
}

uint32_t cf_line_of(const CfCode *code, uint32_t pc)
{
    if (!code || code->nlines == 0 || !code->lines || pc < code->lines[0].pc)
        return 0;
    uint32_t lo = 0, hi = code->nlines;   /* last entry with entry.pc <= pc */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (code->lines[mid].pc <= pc)
            lo = mid;
        else
            hi = mid;
    }
    return code->lines[lo].line;
}
