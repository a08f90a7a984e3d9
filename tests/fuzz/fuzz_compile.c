/* tests/fuzz/fuzz_compile.c: fuzz target for the compiler front end: the input is
 * one source file, compiled against the embedded standard library; every class it
 * emits must then pass the reader. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "compiler.h"
#include "mica.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *find_std(void *ud, const char *name, size_t *len)
{
    return mica_std_class(name, len);
}

static void list_std(void *ud, const char *pkg, void (*fn)(void *, const char *), void *arg)
{
    mica_std_list(pkg, fn, arg);
}

static int emit(void *ud, const char *name, const uint8_t *bytes, size_t len)
{
    CfError err;
    CfClass *c = cf_read(bytes, len, name, &err);
    if (!c)
        abort(); /* the compiler wrote a malformed class file */
    cf_class_free(c);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    FILE *devnull = fopen("/dev/null", "w");
    CcSource src = {"fuzz.mica", text, size};
    CcClassPath cp = {NULL, find_std, list_std};
    CcOptions opt = {devnull, 0, false, false, false};
    CcResult res;
    cc_compile(&src, 1, &cp, &opt, emit, NULL, &res);
    if (devnull)
        fclose(devnull);
    free(text);
    return 0;
}
