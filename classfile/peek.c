/* classfile/peek.c: a class's access flags and name read straight from its bytes,
 * without parsing or allocating (a caller deciding whether a class needs loading at
 * all, or only needs to know that it exists). */
#include <string.h>

#include "classfile.h"

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

/* The offset of constant [stop] (or, when [stop] is 0, of the end of the pool: the
 * class's access flags), walking the pool from its start; 0 when the bytes end or
 * hold an unknown tag first. */
static size_t pool_walk(const uint8_t *data, size_t len, uint32_t stop)
{
    if (!data || len < 10 || len > CF_MAX_FILE_SIZE)
        return 0;
    uint32_t magic = be16(data) << 16 | be16(data + 2);
    if (magic != CF_MAGIC || be16(data + 4) != CF_MAJOR)
        return 0;
    uint32_t count = be16(data + 8);
    if (stop >= count)
        return 0;
    uint32_t end = stop ? stop : count;
    size_t off = 10;
    for (uint32_t i = 1; i < end; i++) {
        if (off >= len)
            return 0;
        size_t size;
        switch (data[off]) {
        case CF_CONST_UTF8:
            if (len - off < 5)
                return 0;
            size = 5 + ((size_t)be16(data + off + 1) << 16 | be16(data + off + 3));
            break;
        case CF_CONST_INT:
        case CF_CONST_FLOAT:
            size = 9;
            break;
        case CF_CONST_CLASS:
        case CF_CONST_STRING:
            size = 3;
            break;
        case CF_CONST_FIELD:
        case CF_CONST_METHOD:
            size = 7;
            break;
        default:
            return 0;
        }
        if (size > len - off)
            return 0;
        off += size;
    }
    return off < len ? off : 0;
}

bool cf_peek_flags(const uint8_t *data, size_t len, uint16_t *flags)
{
    size_t off = pool_walk(data, len, 0);
    if (!off || len - off < 2)
        return false;
    *flags = (uint16_t)be16(data + off);
    return true;
}

bool cf_peek_class(const uint8_t *data, size_t len, const char *name, uint16_t *flags)
{
    size_t off = pool_walk(data, len, 0);
    if (!off || len - off < 4)
        return false;
    uint16_t fl = (uint16_t)be16(data + off);
    uint32_t this_class = be16(data + off + 2);
    size_t cls = this_class ? pool_walk(data, len, this_class) : 0;
    if (!cls || data[cls] != CF_CONST_CLASS || len - cls < 3)
        return false;
    uint32_t name_index = be16(data + cls + 1);
    size_t utf = name_index ? pool_walk(data, len, name_index) : 0;
    if (!utf || data[utf] != CF_CONST_UTF8 || len - utf < 5)
        return false;
    size_t n = (size_t)be16(data + utf + 1) << 16 | be16(data + utf + 3);
    if (n > len - utf - 5 || strlen(name) != n || memcmp(data + utf + 5, name, n) != 0)
        return false;
    *flags = fl;
    return true;
}
