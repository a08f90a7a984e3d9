/* classfile/peek.c: cf_peek_flags, a class's access flags read straight from its
 * bytes, without parsing or allocating (a caller deciding whether a class needs
 * loading at all). */
#include "classfile.h"

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

bool cf_peek_flags(const uint8_t *data, size_t len, uint16_t *flags)
{
    if (!data || len < 10 || len > CF_MAX_FILE_SIZE)
        return false;
    uint32_t magic = be16(data) << 16 | be16(data + 2);
    if (magic != CF_MAGIC || be16(data + 4) != CF_MAJOR)
        return false;
    uint32_t count = be16(data + 8);
    size_t off = 10;
    for (uint32_t i = 1; i < count; i++) {
        if (off >= len)
            return false;
        size_t size;
        switch (data[off]) {
        case CF_CONST_UTF8:
            if (len - off < 5)
                return false;
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
            return false;
        }
        if (size > len - off)
            return false;
        off += size;
    }
    if (len - off < 2)
        return false;
    *flags = (uint16_t)be16(data + off);
    return true;
}
