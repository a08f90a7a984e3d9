/* tests/fuzz/fuzz_verify.c: fuzz target for the verifier, with a small made-up
 * hierarchy (so the answers depend only on the input) and member lookups that find
 * the class's own members. */
#include <string.h>

#include "classfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int h_assignable(void *ud, const char *from, const char *to, CfError *err)
{
    if (!strcmp(from, to) || !strcmp(to, "std/core/Object"))
        return 1;
    if (!strcmp(from, "X"))
        return -1; /* a class that cannot be loaded */
    /* a stable, arbitrary answer: names of even total length are related */
    return ((strlen(from) + strlen(to)) & 1) == 0;
}

static int h_is_interface(void *ud, const char *name, CfError *err)
{
    return name[0] == 'I';
}

static int h_lookup(void *ud, const char *owner, const char *name, const char *desc,
                    uint16_t *flags, const char **declaring, CfError *err)
{
    if (owner[0] == 'X')
        return -1;
    *flags = (uint16_t)(name[0] * 7u);
    *declaring = owner;
    return name[0] & 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CfError err;
    CfClass *c = cf_read(data, size, "fuzz", &err);
    if (!c)
        return 0;
    CfHierarchy h = {NULL, h_assignable, h_is_interface, h_lookup, h_lookup, NULL};
    CfMethodInfo info[64];
    cf_verify_class(c, &h, c->nmethods <= 64 ? info : NULL, &err);
    cf_class_free(c);
    return 0;
}
