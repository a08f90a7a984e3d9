/* vm/cstack.c: where the C stack of the running thread ends, so that nested
 * runs (compiled code calling compiled code, natives calling back into Mica)
 * are bounded by the C stack they really have instead of a count. */
#define _GNU_SOURCE
#include "vm.h"

#include <pthread.h>
#include <sys/resource.h>

static void set_floor(MicaVM *vm, uintptr_t floor)
{
    vm->cstack_floor = floor;
    vm->jit_cstack_limit = floor ? floor + VM_CSTACK_JIT_ROOM : 0;
}

void vm_cstack_init(MicaVM *vm)
{
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    /* still valid when the run starts on the thread (and stack) it last measured */
    if (vm->cstack_floor && here > vm->cstack_floor && here - vm->cstack_floor < (1u << 30) &&
        pthread_equal(vm->cstack_thread, pthread_self()))
        return;
    /* pthread_getattr_np reads /proc/self/maps for the main thread: far
     * dearer than creating a VM, so each thread measures its stack once (a
     * thread's stack does not move) and new VMs take the figure from here */
    static _Thread_local uintptr_t thread_floor __attribute__((tls_model("initial-exec")));
    static _Thread_local uintptr_t thread_top __attribute__((tls_model("initial-exec")));
    if (thread_floor && here > thread_floor && here < thread_top) {
        set_floor(vm, thread_floor);
        vm->cstack_thread = pthread_self();
        return;
    }
    set_floor(vm, 0);
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0)
            addr = NULL;
        pthread_attr_destroy(&attr);
    }
    if (addr && size && here > (uintptr_t)addr && here - (uintptr_t)addr <= size) {
        /* the guard page and whatever the host keeps below: one page more */
        set_floor(vm, (uintptr_t)addr + 4096);
        thread_floor = vm->cstack_floor;
        thread_top = (uintptr_t)addr + size;
    } else {
        struct rlimit rl;
        size_t lim = 8u << 20;
        if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            lim = (size_t)rl.rlim_cur;
        set_floor(vm, here > lim ? here - lim + (64u << 10) : 0);
    }
    vm->cstack_thread = pthread_self();
}
