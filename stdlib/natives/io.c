/* stdlib/natives/io.c: the C side of std.io: whole-file reads and writes,
 * directories, streams (FILE * handles; stdout goes through the VM's own
 * buffer so that it interleaves with System.print) and path text. */
#include "natives.h"
#include "cm_mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "std_util.h"

/* Stream handles: a FILE * address, or one of these for the standard streams. */
enum { H_STDOUT = 1, H_STDERR = 2, H_STDIN = 3 };

static bool null_path(MicaVM *vm, VmString *p)
{
    return std_null_arg(vm, p, "the path");
}

/* Reads all of [path] into [b], a buffer on the heap: a regular file's size is
 * checked against the heap cap before anything is read, and the read polls the
 * deadline a megabyte at a time. 0, or -1 with an exception pending (or the VM
 * halted). */
static int slurp(MicaVM *vm, VmString *path, VmBuf *b)
{
    if (null_path(vm, path) || std_denied(vm, MICA_CAP_READ, "read", path->bytes))
        return -1;
    FILE *f = fopen(path->bytes, "rb");
    if (!f)
        return std_throw_io(vm, "cannot open", path->bytes, errno);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (vm_heap_reserve(vm, (size_t)st.st_size, path->bytes) < 0 ||
         vm_buf_grow(vm, b, (size_t)st.st_size) < 0)) {
        fclose(f);
        return -1;
    }
    int e = 0;
    for (;;) {
        if (vm_buf_grow(vm, b, 4096) < 0)
            break;
        size_t room = b->cap - b->n - 1;
        size_t got = fread(b->p + b->n, 1, room < VM_NATIVE_POLL_BYTES ? room : VM_NATIVE_POLL_BYTES, f);
        b->n += got;
        if (got == 0) {
            e = ferror(f) ? errno : 0;
            break;
        }
        if (vm_native_poll(vm) < 0) {
            b->failed = true;
            break;
        }
    }
    fclose(f);
    if (b->failed)
        return -1;
    if (e)
        return std_throw_io(vm, "cannot read", path->bytes, e);
    return 0;
}

static VmString *std_io_read_text(MicaVM *vm, VmString *path)
{
    VmBuf b = {0};
    return slurp(vm, path, &b) < 0 ? NULL : vm_buf_string(vm, &b);
}

static VmArray *std_io_read_bytes(MicaVM *vm, VmString *path)
{
    VmBuf b = {0};
    if (slurp(vm, path, &b) < 0)
        return NULL;
    VmArray *a = std_new_array(vm, "[B", (int64_t)b.n);
    if (a && b.n)
        memcpy(vm_array_data(a), b.p, b.n);
    return a;
}

static void put(MicaVM *vm, VmString *path, const void *data, size_t n, bool append)
{
    if (null_path(vm, path) || std_null_arg(vm, data, "the data") ||
        std_denied(vm, MICA_CAP_WRITE, "write", path->bytes))
        return;
    FILE *f = fopen(path->bytes, append ? "ab" : "wb");
    if (!f) {
        std_throw_io(vm, "cannot open", path->bytes, errno);
        return;
    }
    size_t w = fwrite(data, 1, n, f);
    int e = w < n ? errno : 0;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e)
        std_throw_io(vm, "cannot write", path->bytes, e);
}

static void std_io_write_text(MicaVM *vm, VmString *path, VmString *s, bool append)
{
    put(vm, path, s ? s->bytes : NULL, s ? (size_t)s->length : 0, append);
}

static void std_io_write_bytes(MicaVM *vm, VmString *path, VmArray *b)
{
    put(vm, path, b ? vm_array_data(b) : NULL, b ? (size_t)b->length : 0, false);
}

static bool std_io_exists(MicaVM *vm, VmString *path)
{
    struct stat st;
    return !null_path(vm, path) && !std_denied(vm, MICA_CAP_READ, "look up", path->bytes) &&
           stat(path->bytes, &st) == 0;
}

static bool std_io_is_directory(MicaVM *vm, VmString *path)
{
    struct stat st;
    return !null_path(vm, path) && !std_denied(vm, MICA_CAP_READ, "look up", path->bytes) &&
           stat(path->bytes, &st) == 0 && S_ISDIR(st.st_mode);
}

static void std_io_delete(MicaVM *vm, VmString *path)
{
    if (null_path(vm, path) || std_denied(vm, MICA_CAP_WRITE, "delete", path->bytes))
        return;
    struct stat st;
    int r = lstat(path->bytes, &st) == 0 && S_ISDIR(st.st_mode) ? rmdir(path->bytes)
                                                               : unlink(path->bytes);
    if (r < 0)
        std_throw_io(vm, "cannot delete", path->bytes, errno);
}

static void std_io_mkdir(MicaVM *vm, VmString *path)
{
    if (!null_path(vm, path) &&
        !std_denied(vm, MICA_CAP_WRITE, "create directory", path->bytes) &&
        mkdir(path->bytes, 0777) < 0)
        std_throw_io(vm, "cannot create directory", path->bytes, errno);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory [path] (not "." or ".."), sorted bytewise. */
static VmArray *std_io_list(MicaVM *vm, VmString *path)
{
    if (null_path(vm, path) || std_denied(vm, MICA_CAP_READ, "list directory", path->bytes))
        return NULL;
    DIR *d = opendir(path->bytes);
    if (!d) {
        std_throw_io(vm, "cannot list", path->bytes, errno);
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    VmArray *a = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = cm_realloc(names, cap * sizeof *nn);
            if (!nn)
                goto oom;
            names = nn;
        }
        if (!(names[n] = cm_strdup(e->d_name)))
            goto oom;
        n++;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_name);
    a = std_new_array(vm, "[Lstd/core/String;", (int64_t)n);
    for (size_t i = 0; a && i < n; i++) {
        VmString *s = vm_new_string(vm, names[i], strlen(names[i]));
        if (!s)
            a = NULL;
        else
            std_ref_elems(a)[i] = vm_ref_slot(s);
    }
    goto done;
oom:
    vm_throw(vm, "OutOfMemoryError", "cannot list %s", path->bytes);
done:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return a;
}

/* ---- streams ---------------------------------------------------------------- */

static int64_t std_io_open(MicaVM *vm, VmString *path, VmString *mode)
{
    if (null_path(vm, path) || std_null_arg(vm, mode, "the mode"))
        return 0;
    const char *m = mode->bytes;
    if (strcmp(m, "r") && strcmp(m, "w") && strcmp(m, "a")) {
        vm_throw(vm, "IllegalArgumentError", "mode must be \"r\", \"w\" or \"a\", not \"%s\"",
                 m);
        return 0;
    }
    if (std_denied(vm, m[0] == 'r' ? MICA_CAP_READ : MICA_CAP_WRITE,
                   m[0] == 'r' ? "open for reading" : "open for writing", path->bytes))
        return 0;
    FILE *f = fopen(path->bytes, m);
    if (!f)
        std_throw_io(vm, "cannot open", path->bytes, errno);
    return (int64_t)(uintptr_t)f;
}

static FILE *file_of(int64_t h)
{
    return h == H_STDIN ? stdin : h == H_STDERR ? stderr : (FILE *)(uintptr_t)h;
}

/* The next line without its "\n" (or "\r\n"), or null at end of input. */
static VmString *std_io_read_line(MicaVM *vm, int64_t h)
{
    if (h == H_STDOUT || h == H_STDERR) {
        vm_throw(vm, "IOError", "cannot read from %s", h == H_STDOUT ? "stdout" : "stderr");
        return NULL;
    }
    if (h == H_STDIN && std_denied(vm, MICA_CAP_STDIN, "read standard input", NULL))
        return NULL;
    if (h == H_STDIN)
        vm_flush(vm); /* a prompt shows before the program waits */
    FILE *f = file_of(h);
    /* the line grows on the heap, under its cap, a poll per megabyte */
    VmBuf b = {0};
    bool any = false;
    int c = 0;
    errno = 0;
    while (vm_buf_grow(vm, &b, 4096) == 0) {
        size_t room = b.cap - b.n - 1, k = 0;
        while (k < room && (c = getc(f)) != EOF) {
            any = true;
            b.p[b.n + k++] = (char)c;
            if (c == '\n')
                break;
        }
        b.n += k;
        if (c == '\n' || c == EOF)
            break;
        if (b.n % VM_NATIVE_POLL_BYTES < k && vm_native_poll(vm) < 0)
            return NULL;
    }
    if (b.failed)
        return NULL;
    if (!any) {
        if (ferror(f) && errno)
            std_throw_io(vm, "cannot read", "stream", errno);
        return NULL;
    }
    size_t n = b.n;
    if (n > 0 && b.p[n - 1] == '\n')
        n--;
    if (n > 0 && b.p[n - 1] == '\r')
        n--;
    b.n = n;
    return vm_buf_string(vm, &b);
}

static void std_io_write_stream(MicaVM *vm, int64_t h, VmString *s)
{
    const char *p = s ? s->bytes : "null";
    size_t n = s ? (size_t)s->length : 4;
    if (h == H_STDOUT) {
        vm_out(vm, p, n);
        return;
    }
    if (h == H_STDIN) {
        vm_throw(vm, "IOError", "cannot write to stdin");
        return;
    }
    if (h == H_STDERR) {
        vm_flush(vm);
        vm_write(vm, 2, p, n);
        return;
    }
    FILE *f = file_of(h);
    if (fwrite(p, 1, n, f) < n)
        std_throw_io(vm, "cannot write", "stream", errno);
}

static void std_io_flush(MicaVM *vm, int64_t h)
{
    if (h == H_STDOUT)
        vm_flush(vm);
    else if (h != H_STDIN && fflush(file_of(h)) != 0)
        std_throw_io(vm, "cannot flush", "stream", errno);
}

static void std_io_close(MicaVM *vm, int64_t h)
{
    if (h == H_STDOUT)
        vm_flush(vm);
    else if (h > H_STDIN && fclose(file_of(h)) != 0)
        std_throw_io(vm, "cannot close", "stream", errno);
}

/* ---- paths ('/'-separated text, nothing touches the file system) ------------ */

static VmString *str(MicaVM *vm, const char *s, size_t n)
{
    return vm_new_string(vm, s, n);
}

static VmString *std_io_path_join(MicaVM *vm, VmString *a, VmString *b)
{
    if (null_path(vm, a) || null_path(vm, b))
        return NULL;
    if (b->bytes[0] == '/' || a->length == 0)
        return b;
    if (b->length == 0)
        return a;
    size_t sep = a->bytes[a->length - 1] != '/', n = (size_t)(a->length + b->length) + sep;
    VmString *r = vm_new_string_uninit(vm, n);
    if (!r)
        return NULL;
    memcpy(r->bytes, a->bytes, (size_t)a->length);
    r->bytes[a->length] = '/';
    memcpy(r->bytes + a->length + sep, b->bytes, (size_t)b->length);
    return r;
}

/* The path without its last component: "a/b/c" -> "a/b", "/a" -> "/", "a" -> null. */
static VmString *std_io_path_parent(MicaVM *vm, VmString *p)
{
    if (null_path(vm, p))
        return NULL;
    int64_t n = p->length;
    while (n > 1 && p->bytes[n - 1] == '/')
        n--;
    while (n > 0 && p->bytes[n - 1] != '/')
        n--;
    if (n == 0)
        return NULL;
    while (n > 1 && p->bytes[n - 1] == '/')
        n--;
    return str(vm, p->bytes, (size_t)n);
}

static VmString *std_io_path_file_name(MicaVM *vm, VmString *p)
{
    if (null_path(vm, p))
        return NULL;
    int64_t end = p->length;
    while (end > 1 && p->bytes[end - 1] == '/')
        end--;
    int64_t s = end;
    while (s > 0 && p->bytes[s - 1] != '/')
        s--;
    return str(vm, p->bytes + s, (size_t)(end - s));
}

/* "txt" for "a/b.txt"; "" when the name has no dot (or only a leading one). */
static VmString *std_io_path_extension(MicaVM *vm, VmString *p)
{
    VmString *name = std_io_path_file_name(vm, p);
    if (!name)
        return NULL;
    const char *dot = strrchr(name->bytes, '.');
    if (!dot || dot == name->bytes)
        return str(vm, "", 0);
    return str(vm, dot + 1, strlen(dot + 1));
}

/* Removes "." and empty components and folds "x/.." (keeps leading ".."). */
static VmString *std_io_path_normalize(MicaVM *vm, VmString *p)
{
    if (null_path(vm, p))
        return NULL;
    bool abs = p->bytes[0] == '/';
    /* scratch on the heap, under its cap */
    char *out = vm_scratch(vm, (size_t)p->length + 2, "a path");
    size_t *starts = out ? vm_scratch(vm, ((size_t)p->length + 1) * sizeof *starts, "a path")
                         : NULL;
    VmString *r = NULL;
    if (!starts)
        goto done;
    size_t k = 0, depth = 0, up = 0; /* up: leading ".." kept (relative paths) */
    if (abs)
        out[k++] = '/';
    size_t base = k;
    const char *s = p->bytes, *end = p->bytes + p->length;
    while (s < end) {
        const char *e = memchr(s, '/', (size_t)(end - s));
        if (!e)
            e = end;
        size_t len = (size_t)(e - s);
        if (len == 0 || (len == 1 && s[0] == '.')) {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (depth > up) {
                k = starts[--depth];
                k = k > base ? k - 1 : base; /* drop the separator too */
            } else if (!abs) {
                starts[depth++] = k + (k > base);
                up++;
                if (k > base)
                    out[k++] = '/';
                out[k++] = '.';
                out[k++] = '.';
            }
        } else {
            if (k > base)
                out[k++] = '/';
            starts[depth++] = k;
            memcpy(out + k, s, len);
            k += len;
        }
        s = e < end ? e + 1 : e;
    }
    if (k == 0)
        out[k++] = '.';
    r = str(vm, out, k);
done:
    return r;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_io_natives[] = {
    NATIVE(std_io_read_text),
    NATIVE(std_io_read_bytes),
    NATIVE(std_io_write_text),
    NATIVE(std_io_write_bytes),
    NATIVE(std_io_exists),
    NATIVE(std_io_is_directory),
    NATIVE(std_io_delete),
    NATIVE(std_io_mkdir),
    NATIVE(std_io_list),
    NATIVE(std_io_open),
    NATIVE(std_io_read_line),
    NATIVE(std_io_write_stream),
    NATIVE(std_io_flush),
    NATIVE(std_io_close),
    NATIVE(std_io_path_join),
    NATIVE(std_io_path_parent),
    NATIVE(std_io_path_file_name),
    NATIVE(std_io_path_extension),
    NATIVE(std_io_path_normalize),
    {NULL, NULL},
};
#undef NATIVE
