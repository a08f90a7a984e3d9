/* vm/cstack.c: where the C stack of the running thread ends, so that nested
 * runs (compiled code calling compiled code, natives calling back into Mica)
 * are bounded by the C stack they really have instead of a count. */
#define _GNU_SOURCE
#include "vm.h"

#include <pthread.h>
#include <sys/resource.h>

#include "cm_stack.h"

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
    /* measured once per thread (cm_thread_stack), where the collector's
     * initialisation took the top of the same stack from */
    set_floor(vm, 0);
    uintptr_t lo, hi;
    if (cm_thread_stack(&lo, &hi) && here > lo && here < hi) {
        /* the guard page and whatever the host keeps below: one page more */
        set_floor(vm, lo + 4096);
    } else {
        struct rlimit rl;
        size_t lim = 8u << 20;
        if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            lim = (size_t)rl.rlim_cur;
        set_floor(vm, here > lim ? here - lim + (64u << 10) : 0);
    }
    vm->cstack_thread = pthread_self();
}
