/* classfile/file.c: reading a whole file under a size limit, for class files,
 * archives and resources alike. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"
#include "cm_mem.h"

int cf_read_file(const char *path, size_t limit, uint8_t **data, size_t *len, CfError *err,
                 int *errno_out)
{
    if (errno_out)
        *errno_out = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        if (errno_out)
            *errno_out = e;
        snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(e));
        return -1;
    }
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            if (ncap > limit + 1 || ncap < cap)
                ncap = limit + 1;
            if (ncap == n)
                break; /* one byte past the limit is in: too long */
            uint8_t *nb = cm_realloc(buf, ncap);
            if (!nb) {
                snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err->msg, sizeof err->msg, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    if (n > limit) {
        long long size = (long long)n;
        if (fseek(f, 0, SEEK_END) == 0) {
            long end = ftell(f);
            if (end > (long)size)
                size = end;
        }
        snprintf(err->msg, sizeof err->msg, "%s: file size %lld exceeds the limit of %zu bytes",
                 path, size, limit);
        goto done;
    }
    *data = buf ? buf : cm_malloc(1);
    if (!*data) {
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
        goto done;
    }
    buf = NULL;
    *len = n;
    rc = 0;
done:
    fclose(f);
    free(buf);
    return rc;
}
