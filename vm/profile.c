/* vm/profile.c: the sampling profiler (mica_profile_*, spec/embedding.md "Profiling").
 *
 * A POSIX timer on the CPU-time clock of the thread that runs the program sends
 * that thread a signal [hz] times per CPU second; the handler copies the methods of
 * the live frames (vm->frames, which the interpreter and compiled code share) into
 * a buffer allocated up front. Nothing in the interpreter or the JIT checks for the
 * profiler: when it is off, it costs nothing. The handler finds its profile
 * through the timer's signal value, so several VMs may each be profiled. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <pthread.h>
#include <sys/syscall.h>
#endif

#include "vm.h"
#include "cm_mem.h"

#define PROFILE_SIGNAL SIGPROF
#define PROFILE_MAX_DEPTH 512        /* innermost frames kept per sample */
#define PROFILE_SLOTS (4u << 20)     /* 32 MiB of address space; touched as filled */

struct VmProfile {
    MicaVM *vm;
    uintptr_t *buf;        /* per sample: its depth d, its weight, then d methods,
                            * innermost first */
    size_t cap, used;
    uint64_t samples, lost;
    bool running;
#if defined(__linux__)
    timer_t timer;
    struct sigaction old;
#endif
};

#if defined(__linux__)
static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (!si || si->si_code != SI_TIMER)
        return;
    VmProfile *p = si->si_value.sival_ptr;
    if (!p || !p->running)
        return;
    MicaVM *vm = p->vm;
    uint32_t n = vm->nframes;   /* frames below nframes are complete (vm_push_frame) */
    uint32_t d = n < PROFILE_MAX_DEPTH ? n : PROFILE_MAX_DEPTH;
    /* CPU-time timers fire on scheduler ticks: one signal may stand for several
     * periods (the overrun), and the sample counts for all of them. */
    uintptr_t weight = 1 + (uintptr_t)(si->si_overrun > 0 ? si->si_overrun : 0);
    if (p->used + d + 2 > p->cap) {
        p->lost += weight;
        return;
    }
    uintptr_t *out = p->buf + p->used;
    out[0] = d;
    out[1] = weight;
    for (uint32_t i = 0; i < d; i++)
        out[2 + i] = (uintptr_t)vm->frames[n - 1 - i].m;
    p->used += d + 2;
    p->samples += weight;
}
#endif

MicaStatus mica_profile_start(MicaVM *vm, unsigned hz)
{
    if (!vm)
        return MICA_ERR_INVALID;
#if defined(__linux__)
    if (vm->profile && vm->profile->running) {
        vm_set_error(vm, "the profiler is already running");
        return MICA_ERR_INVALID;
    }
    if (hz == 0)
        hz = 1000;
    if (hz > 100000) {
        vm_set_error(vm, "sampling rate %u Hz is above 100000", hz);
        return MICA_ERR_INVALID;
    }
    VmProfile *p = vm->profile;
    if (!p) {
        p = cm_calloc(1, sizeof *p);
        if (!p || !(p->buf = cm_malloc(PROFILE_SLOTS * sizeof *p->buf))) {
            free(p);
            vm_set_error(vm, "out of memory");
            return MICA_ERR_OOM;
        }
        p->cap = PROFILE_SLOTS;
        p->vm = vm;
        vm->profile = p;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    clockid_t clock;
    if (pthread_getcpuclockid(pthread_self(), &clock) != 0) {
        vm_set_error(vm, "cannot read this thread's CPU clock");
        return MICA_ERR_INVALID;
    }
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = PROFILE_SIGNAL;
    sev.sigev_value.sival_ptr = p;
#ifdef sigev_notify_thread_id
    sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
#else
    sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
#endif
    if (sigaction(PROFILE_SIGNAL, &sa, &p->old) != 0) {
        vm_set_error(vm, "cannot install the profiler's signal handler: %s", strerror(errno));
        return MICA_ERR_INVALID;
    }
    if (timer_create(clock, &sev, &p->timer) != 0) {
        vm_set_error(vm, "cannot create the profiler's timer: %s", strerror(errno));
        sigaction(PROFILE_SIGNAL, &p->old, NULL);
        return MICA_ERR_INVALID;
    }
    long ns = 1000000000L / (long)hz;
    struct itimerspec its = {{ns / 1000000000L, ns % 1000000000L},
                             {ns / 1000000000L, ns % 1000000000L}};
    p->running = true;
    if (timer_settime(p->timer, 0, &its, NULL) != 0) {
        p->running = false;
        timer_delete(p->timer);
        sigaction(PROFILE_SIGNAL, &p->old, NULL);
        vm_set_error(vm, "cannot start the profiler's timer: %s", strerror(errno));
        return MICA_ERR_INVALID;
    }
    return MICA_OK;
#else
    (void)hz;
    vm_set_error(vm, "the profiler is not available on this platform");
    return MICA_ERR_INVALID;
#endif
}

MicaStatus mica_profile_stop(MicaVM *vm, uint64_t *samples, uint64_t *lost)
{
    if (!vm)
        return MICA_ERR_INVALID;
    VmProfile *p = vm->profile;
#if defined(__linux__)
    if (p && p->running) {
        timer_delete(p->timer);          /* no signal is sent after this returns */
        p->running = false;
        sigaction(PROFILE_SIGNAL, &p->old, NULL);
    }
#endif
    if (samples)
        *samples = p ? p->samples : 0;
    if (lost)
        *lost = p ? p->lost : 0;
    return MICA_OK;
}

/* "pkg.Class.method" for [m], into [buf]. */
static const char *method_name(const VmMethod *m, char *buf, size_t cap)
{
    size_t n = 0;
    for (const char *s = m->cls->name; *s && n + 1 < cap; s++)
        buf[n++] = *s == '/' ? '.' : *s;
    snprintf(buf + n, cap - n, ".%s", m->name);
    return buf;
}

MicaStatus mica_profile_stacks(MicaVM *vm,
                               void (*fn)(void *ud, const char *const *frames, size_t n,
                                          uint64_t weight),
                               void *ud)
{
    if (!vm || !fn)
        return MICA_ERR_INVALID;
    VmProfile *p = vm->profile;
    if (!p)
        return MICA_OK;
    if (p->running) {
        vm_set_error(vm, "stop the profiler before reading its samples");
        return MICA_ERR_INVALID;
    }
    enum { NAME = 512 };
    char *names = cm_malloc((size_t)PROFILE_MAX_DEPTH * NAME);
    const char **frames = cm_malloc(PROFILE_MAX_DEPTH * sizeof *frames);
    if (!names || !frames) {
        free(names);
        free(frames);
        vm_set_error(vm, "out of memory");
        return MICA_ERR_OOM;
    }
    for (size_t i = 0; i < p->used;) {
        size_t d = p->buf[i];
        /* outermost first */
        for (size_t k = 0; k < d; k++) {
            const VmMethod *m = (const VmMethod *)p->buf[i + 1 + d - k];
            frames[k] = method_name(m, names + k * NAME, NAME);
        }
        fn(ud, frames, d, p->buf[i + 1]);
        i += d + 2;
    }
    free(names);
    free(frames);
    return MICA_OK;
}

void vm_profile_free(MicaVM *vm)
{
    VmProfile *p = vm->profile;
    if (!p)
        return;
    mica_profile_stop(vm, NULL, NULL);
    free(p->buf);
    free(p);
    vm->profile = NULL;
}
