/* tests/fuzz/fuzz_reader.c: fuzz target for the class-file reader; a file it accepts
 * must also write back byte for byte and disassemble. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CfError err;
    CfClass *c = cf_read(data, size, "fuzz", &err);
    if (!c)
        return 0;
    uint8_t *out = NULL;
    size_t len = 0;
    if (cf_write(c, &out, &len, &err) == 0) {
        /* reading and rewriting a valid file is byte-identical (spec/classfile.md) */
        if (len != size || memcmp(out, data, size) != 0)
            abort();
        free(out);
    }
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        cf_disasm(c, devnull);
        fclose(devnull);
    }
    cf_class_free(c);
    return 0;
}
