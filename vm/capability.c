/* vm/capability.c: what a program may do beyond computing (MicaConfig.caps),
 * checked by the natives that touch files, processes, the environment, the
 * clock and C libraries; and the thread attach/detach entry points. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"

static const struct {
    unsigned cap;
    const char *name;      /* as in MICA_CAP_* */
    const char *flag;      /* the mica command's flag that grants it */
} cap_names[] = {
    {MICA_CAP_READ, "READ", "--allow-read"},
    {MICA_CAP_WRITE, "WRITE", "--allow-write"},
    {MICA_CAP_PROCESS, "PROCESS", "--allow-process"},
    {MICA_CAP_ENV, "ENV", "--allow-env"},
    {MICA_CAP_CLOCK, "CLOCK", "--allow-clock"},
    {MICA_CAP_NATIVE, "NATIVE", "--allow-native"},
    {MICA_CAP_STDIN, "STDIN", "--allow-stdin"},
};

/* [path] made absolute, with ".", ".." and repeated slashes removed, in [out]. */
static bool normalize(const char *path, char *out, size_t n)
{
    char buf[PATH_MAX * 2];
    if (path[0] == '/') {
        snprintf(buf, sizeof buf, "%s", path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return false;
        snprintf(buf, sizeof buf, "%s/%s", cwd, path);
    }
    size_t len = 0;
    out[0] = 0;
    char *save = NULL;
    for (char *seg = strtok_r(buf, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            out[len] = 0;
            continue;
        }
        size_t sl = strlen(seg);
        if (len + sl + 2 > n)
            return false;
        out[len++] = '/';
        memcpy(out + len, seg, sl);
        len += sl;
        out[len] = 0;
    }
    if (!len) {
        if (n < 2)
            return false;
        strcpy(out, "/");
    }
    return true;
}

static bool under(const char *path, const char *dir)
{
    char p[PATH_MAX], d[PATH_MAX];
    if (!normalize(path, p, sizeof p) || !normalize(dir, d, sizeof d))
        return false;
    size_t dl = strlen(d);
    if (strcmp(d, "/") == 0)
        return true;
    return strncmp(p, d, dl) == 0 && (p[dl] == 0 || p[dl] == '/');
}

int vm_check_cap(MicaVM *vm, unsigned cap, const char *path, const char *what)
{
    const char *name = "?", *flag = "?";
    for (size_t i = 0; i < sizeof cap_names / sizeof cap_names[0]; i++)
        if (cap_names[i].cap == cap) {
            name = cap_names[i].name;
            flag = cap_names[i].flag;
        }
    if (!(vm->caps & cap))
        return vm_throw(vm, "CapabilityError",
                        "%s needs the %s capability, which this VM was not granted (the mica "
                        "command: %s; an embedder: MICA_CAP_%s in MicaConfig.caps)",
                        what, name, flag, name);
    VmApi *a = vm->api;
    char **dirs = cap == MICA_CAP_READ ? a->read_dirs : cap == MICA_CAP_WRITE ? a->write_dirs : NULL;
    size_t ndirs = cap == MICA_CAP_READ ? a->nread_dirs : cap == MICA_CAP_WRITE ? a->nwrite_dirs : 0;
    if (!path || !ndirs)
        return 0;
    for (size_t i = 0; i < ndirs; i++)
        if (under(path, dirs[i]))
            return 0;
    return vm_throw(vm, "CapabilityError",
                    "%s: %s is granted only under %s%s (the mica command: %s=DIR; an embedder: "
                    "MicaConfig.%s_dirs)",
                    what, name, dirs[0], ndirs > 1 ? " and other directories" : "", flag,
                    cap == MICA_CAP_READ ? "read" : "write");
}

MicaStatus mica_thread_attach(void)
{
    return gc_thread_attach() < 0 ? MICA_ERR_OOM : MICA_OK;
}

void mica_thread_detach(void)
{
    gc_thread_detach();
}
