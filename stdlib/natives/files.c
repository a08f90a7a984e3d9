/* stdlib/natives/files.c: the natives of std.io.Files and the binary streams:
 * stat, rename, temporary files and directories, and block reads and writes
 * between FILE * handles and byte arrays. Loops over big data (copying,
 * walking) run in Mica, one bounded native call per block, so they stay under
 * the run's deadline and interrupt checks. */
#include "natives.h"
#include "cm_mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "std_util.h"

static bool null_path(MicaVM *vm, VmString *p)
{
    return std_null_arg(vm, p, "the path");
}

/* [type, size, mtime ms] of [path] (type 1 file, 2 directory, 3 other, 4 a
 * symbolic link when not [follow]), or null when it does not exist. */
static VmArray *std_files_stat(MicaVM *vm, VmString *path, bool follow)
{
    if (null_path(vm, path) || std_denied(vm, MICA_CAP_READ, "read", path->bytes))
        return NULL;
    struct stat st;
    if ((follow ? stat(path->bytes, &st) : lstat(path->bytes, &st)) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return NULL;
        std_throw_io(vm, "cannot stat", path->bytes, errno);
        return NULL;
    }
    VmArray *a = std_new_array(vm, "[I", 3);
    if (!a)
        return NULL;
    int64_t *d = vm_array_data(a);
    d[0] = S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 2 : S_ISLNK(st.st_mode) ? 4 : 3;
    d[1] = (int64_t)st.st_size;
    d[2] = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    return a;
}

static void std_files_rename(MicaVM *vm, VmString *from, VmString *to)
{
    if (null_path(vm, from) || null_path(vm, to) ||
        std_denied(vm, MICA_CAP_WRITE, "rename", from->bytes) ||
        std_denied(vm, MICA_CAP_WRITE, "write", to->bytes))
        return;
    if (rename(from->bytes, to->bytes) != 0) {
        int e = errno;
        vm_throw(vm, "IOError", "cannot rename %s to %s: %s", from->bytes, to->bytes, strerror(e));
    }
}

/* A new empty file [dir]/[prefix]XXXXXX[suffix], its path returned. */
static VmString *std_files_temp_file(MicaVM *vm, VmString *dir, VmString *prefix, VmString *suffix)
{
    if (null_path(vm, dir) || std_null_arg(vm, prefix, "the prefix") ||
        std_null_arg(vm, suffix, "the suffix") || std_denied(vm, MICA_CAP_WRITE, "write", dir->bytes))
        return NULL;
    if (strchr(prefix->bytes, '/') || strchr(suffix->bytes, '/')) {
        vm_throw(vm, "IllegalArgumentError", "a temporary file's prefix and suffix cannot hold '/'");
        return NULL;
    }
    size_t n = (size_t)dir->length + (size_t)prefix->length + (size_t)suffix->length + 8;
    char *p = cm_malloc(n + 1);
    if (!p) {
        vm_throw(vm, "OutOfMemoryError", "out of memory");
        return NULL;
    }
    snprintf(p, n + 1, "%s/%sXXXXXX%s", dir->bytes, prefix->bytes, suffix->bytes);
    VmString *r = NULL;
    int fd = mkstemps(p, (int)suffix->length);
    if (fd < 0) {
        std_throw_io(vm, "cannot create a temporary file in", dir->bytes, errno);
    } else {
        close(fd);
        r = vm_new_string(vm, p, strlen(p));
    }
    free(p);
    return r;
}

static VmString *std_files_temp_dir(MicaVM *vm, VmString *dir, VmString *prefix)
{
    if (null_path(vm, dir) || std_null_arg(vm, prefix, "the prefix") ||
        std_denied(vm, MICA_CAP_WRITE, "write", dir->bytes))
        return NULL;
    if (strchr(prefix->bytes, '/')) {
        vm_throw(vm, "IllegalArgumentError", "a temporary directory's prefix cannot hold '/'");
        return NULL;
    }
    size_t n = (size_t)dir->length + (size_t)prefix->length + 8;
    char *p = cm_malloc(n + 1);
    if (!p) {
        vm_throw(vm, "OutOfMemoryError", "out of memory");
        return NULL;
    }
    snprintf(p, n + 1, "%s/%sXXXXXX", dir->bytes, prefix->bytes);
    VmString *r = NULL;
    if (!mkdtemp(p))
        std_throw_io(vm, "cannot create a temporary directory in", dir->bytes, errno);
    else
        r = vm_new_string(vm, p, strlen(p));
    free(p);
    return r;
}

/* Opens [path] for binary reading ("r"), writing ("w") or appending ("a"):
 * a FILE * handle that std_io_flush and std_io_close also take. */
static int64_t std_files_open(MicaVM *vm, VmString *path, VmString *mode)
{
    if (null_path(vm, path) || std_null_arg(vm, mode, "the mode"))
        return 0;
    const char *m = strcmp(mode->bytes, "r") == 0 ? "rb" : strcmp(mode->bytes, "w") == 0 ? "wb"
                  : strcmp(mode->bytes, "a") == 0 ? "ab" : NULL;
    if (!m) {
        vm_throw(vm, "IllegalArgumentError", "bad mode \"%s\" (use \"r\", \"w\" or \"a\")", mode->bytes);
        return 0;
    }
    if (m[0] == 'r' ? std_denied(vm, MICA_CAP_READ, "read", path->bytes)
                    : std_denied(vm, MICA_CAP_WRITE, "write", path->bytes))
        return 0;
    FILE *f = fopen(path->bytes, m);
    if (!f) {
        std_throw_io(vm, "cannot open", path->bytes, errno);
        return 0;
    }
    return (int64_t)(uintptr_t)f;
}

static int range_ok(MicaVM *vm, VmArray *buf, int64_t off, int64_t len)
{
    if (!buf)
        return vm_throw(vm, "NullError", "the buffer is null");
    if (off < 0 || len < 0 || off > buf->length - len)
        return vm_throw(vm, "IndexError", "offset %lld, length %lld, buffer %lld", (long long)off,
                        (long long)len, (long long)buf->length);
    return 0;
}

/* Up to [len] bytes into [buf] at [off]: the count, 0 only when [len] is 0,
 * -1 at the end of the file. */
static int64_t std_files_read(MicaVM *vm, int64_t h, VmArray *buf, int64_t off, int64_t len)
{
    if (h <= 3 || range_ok(vm, buf, off, len) < 0) {
        if (h <= 3)
            vm_throw(vm, "IOError", "not a binary stream");
        return -1;
    }
    if (len == 0)
        return 0;
    FILE *f = (FILE *)(uintptr_t)h;
    size_t n = fread((uint8_t *)vm_array_data(buf) + off, 1, (size_t)len, f);
    if (n == 0 && ferror(f)) {
        vm_throw(vm, "IOError", "cannot read: %s", strerror(errno));
        return -1;
    }
    return n == 0 ? -1 : (int64_t)n;
}

static void std_files_write(MicaVM *vm, int64_t h, VmArray *buf, int64_t off, int64_t len)
{
    if (h <= 3) {
        vm_throw(vm, "IOError", "not a binary stream");
        return;
    }
    if (range_ok(vm, buf, off, len) < 0)
        return;
    FILE *f = (FILE *)(uintptr_t)h;
    if (fwrite((uint8_t *)vm_array_data(buf) + off, 1, (size_t)len, f) != (size_t)len)
        vm_throw(vm, "IOError", "cannot write: %s", strerror(errno));
}

/* The directory for temporary files: $TMPDIR, else /tmp. */
static VmString *std_files_temp_root(MicaVM *vm)
{
    const char *t = getenv("TMPDIR");
    if (!t || !*t)
        t = "/tmp";
    return vm_new_string(vm, t, strlen(t));
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_files_natives[] = {
    NATIVE(std_files_stat),
    NATIVE(std_files_rename),
    NATIVE(std_files_temp_file),
    NATIVE(std_files_temp_dir),
    NATIVE(std_files_open),
    NATIVE(std_files_read),
    NATIVE(std_files_write),
    NATIVE(std_files_temp_root),
    {NULL, NULL},
};
#undef NATIVE
