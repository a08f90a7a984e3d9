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

/* Is [s] strict UTF-8 without NUL (what the reader demands of Utf8 constants)? */
static bool utf8_ok(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t b = s[i];
        size_t need = b < 0x80 ? 0 : b < 0xC2 ? 9 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : b < 0xF5 ? 3 : 9;
        if (b == 0 || need == 9 || need > n - i - 1)
            return false;
        uint8_t lo = 0x80, hi = 0xBF;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
        else if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
        for (size_t k = 1; k <= need; k++)
            if (s[i + k] < (k == 1 ? lo : 0x80) || s[i + k] > (k == 1 ? hi : 0xBF))
                return false;
        i += need + 1;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* MICA_FUZZ_UTF8_ONLY: fuzz past the known finding that invalid UTF-8 in a string
     * literal reaches the class file (tests/fuzz/regressions/compile) */
    if (getenv("MICA_FUZZ_UTF8_ONLY") && !utf8_ok(data, size))
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    FILE *devnull = fopen("/dev/null", "w");
    CcSource src = {"fuzz.mica", text, size};
    CcClassPath cp = {NULL, find_std, list_std};
    CcOptions opt = {devnull, 0, false};
    CcResult res;
    cc_compile(&src, 1, &cp, &opt, emit, NULL, &res);
    if (devnull)
        fclose(devnull);
    free(text);
    return 0;
}
