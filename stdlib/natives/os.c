/* stdlib/natives/os.c: the C side of std.os: the environment and running a
 * process (posix_spawnp, its output read through pipes). */
#include "natives.h"
#include "cm_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "std_util.h"

extern char **environ;

static VmString *std_os_getenv(MicaVM *vm, VmString *name)
{
    if (std_null_arg(vm, name, "the variable name") ||
        std_denied(vm, MICA_CAP_ENV, "read environment variable", name->bytes))
        return NULL;
    const char *v = getenv(name->bytes);
    return v ? vm_new_string(vm, v, strlen(v)) : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every "NAME=value" of the environment, sorted. */
static VmArray *std_os_environment(MicaVM *vm)
{
    if (std_denied(vm, MICA_CAP_ENV, "read the environment", NULL))
        return NULL;
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **copy = cm_malloc((n ? n : 1) * sizeof *copy);
    if (!copy) {
        vm_throw(vm, "OutOfMemoryError", "cannot copy the environment");
        return NULL;
    }
    memcpy(copy, environ, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp_str);
    VmArray *a = std_new_array(vm, "[Lstd/core/String;", (int64_t)n);
    for (size_t i = 0; a && i < n; i++) {
        VmString *s = vm_new_string(vm, copy[i], strlen(copy[i]));
        if (!s) {
            a = NULL;
            break;
        }
        std_ref_elems(a)[i] = vm_ref_slot(s);
    }
    free(copy);
    return a;
}

static int64_t std_os_pid(MicaVM *vm)
{
    return (int64_t)getpid();
}

/* The path of the running executable (the mica command, or the host). */
static VmString *std_os_executable(MicaVM *vm)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf);
    if (n < 0 || n == (ssize_t)sizeof buf) {
        std_throw_io(vm, "cannot read", "/proc/self/exe", n < 0 ? errno : ENAMETOOLONG);
        return NULL;
    }
    return vm_new_string(vm, buf, (size_t)n);
}

/* Runs [cmd] (argv, the program looked up in PATH) with [input] as its stdin
 * (/dev/null when null), fills [result]'s exitCode, stdout and stderr. A signal
 * gives 128 + its number. */
static void std_os_run(MicaVM *vm, VmArray *cmd, VmString *input, VmObject *result)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
    sigset_t pipe_set, old_set;
    if (std_denied(vm, MICA_CAP_PROCESS, "start a process", NULL))
        return;
    bool blocked = false;
    char **argv = NULL;
    VmBuf bo = {0}, be = {0}; /* the outputs, on the heap under its cap */
    bool actions = false;
    posix_spawn_file_actions_t fa;
    if (std_null_arg(vm, cmd, "the command"))
        return;
    if (cmd->length == 0) {
        vm_throw(vm, "IllegalArgumentError", "empty command");
        return;
    }
    argv = cm_calloc((size_t)cmd->length + 1, sizeof *argv);
    if (!argv) {
        vm_throw(vm, "OutOfMemoryError", "cannot run a command");
        return;
    }
    for (int64_t i = 0; i < cmd->length; i++) {
        VmString *s = vm_slot_ref(std_ref_elems(cmd)[i]);
        if (!s) {
            vm_throw(vm, "NullError", "command argument %lld is null", (long long)i);
            goto fail;
        }
        argv[i] = s->bytes;
    }
    if (pipe(out) < 0 || pipe(err) < 0 || (input && pipe(in) < 0)) {
        std_throw_io(vm, "cannot run", argv[0], errno);
        goto fail;
    }
    posix_spawn_file_actions_init(&fa);
    actions = true;
    if (input) {
        posix_spawn_file_actions_adddup2(&fa, in[0], 0);
        posix_spawn_file_actions_addclose(&fa, in[0]);
        posix_spawn_file_actions_addclose(&fa, in[1]);
    } else {
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    posix_spawn_file_actions_addclose(&fa, err[1]);
    vm_flush(vm);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    close(out[1]);
    close(err[1]);
    out[1] = err[1] = -1;
    if (in[0] >= 0) {
        close(in[0]);
        in[0] = -1;
    }
    if (rc != 0) {
        std_throw_io(vm, "cannot run", argv[0], rc);
        goto fail;
    }
    /* a child that exits without reading its input must not kill us with
     * SIGPIPE: block it in this thread while writing, then drop any pending one */
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    blocked = pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set) == 0;
    struct pollfd pf[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    int open_fds = 2;
    size_t written = 0;
    bool oom = false;
    if (in[1] >= 0 && input->length == 0) {
        close(in[1]);
        pf[2].fd = in[1] = -1;
    }
    bool stopped = false;
    while (open_fds > 0) {
        /* wake up now and then: the run's deadline or an interrupt stops the
         * child too, and so does output beyond the heap cap */
        if (oom || vm_native_poll(vm) < 0) {
            kill(pid, SIGKILL);
            stopped = true;
            break;
        }
        int ready = poll(pf, 3, 50);
        if (ready == 0)
            continue;
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pf[2].fd >= 0 && (pf[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(in[1], input->bytes + written, (size_t)input->length - written);
            if (n > 0)
                written += (size_t)n;
            if ((n < 0 && errno != EINTR && errno != EAGAIN) ||
                written == (size_t)input->length) {
                close(in[1]);
                pf[2].fd = in[1] = -1;
            }
        }
        for (int i = 0; i < 2; i++) {
            if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char tmp[4096];
            ssize_t n = read(pf[i].fd, tmp, sizeof tmp);
            if (n > 0) {
                if (vm_buf_add(vm, i ? &be : &bo, tmp, (size_t)n) < 0)
                    oom = true;
            } else if (n == 0 || errno != EINTR) {
                pf[i].fd = -1;
                open_fds--;
            }
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (blocked) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &old_set, NULL);
        blocked = false;
    }
    if (stopped) /* an exception is pending, or the VM is halted */
        goto fail;
    int64_t code = WIFEXITED(status) ? WEXITSTATUS(status)
                   : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    VmString *so = vm_buf_string(vm, &bo);
    if (!so || std_set_field(vm, result, "stdout", vm_ref_slot(so)) < 0)
        goto fail;
    VmString *se = vm_buf_string(vm, &be);
    if (!se || std_set_field(vm, result, "stderr", vm_ref_slot(se)) < 0)
        goto fail;
    std_set_field(vm, result, "exitCode", (uint64_t)code);
fail:
    if (blocked)
        pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    if (actions)
        posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0)
            close(out[i]);
        if (err[i] >= 0)
            close(err[i]);
        if (in[i] >= 0)
            close(in[i]);
    }
    free(argv);
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_os_natives[] = {
    NATIVE(std_os_getenv),
    NATIVE(std_os_environment),
    NATIVE(std_os_pid),
    NATIVE(std_os_executable),
    NATIVE(std_os_run),
    {NULL, NULL},
};
#undef NATIVE
