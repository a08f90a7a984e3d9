/* common/cm_stack.h: where the calling thread's C stack lies, measured once per
 * thread. The collector needs its top (the cold end it scans from) and the VM its
 * bottom (how deep nested runs may go); both take it from here, so a process
 * measures each thread's stack once. */
#ifndef MICA_COMMON_CM_STACK_H
#define MICA_COMMON_CM_STACK_H

#include <stdbool.h>
#include <stdint.h>

/* The calling thread's stack as [*lo, *hi) (it grows down from *hi towards *lo),
 * the figures pthread_getattr_np gives, or false when they cannot be found. The
 * first call on a thread measures, later calls return the same figures. */
bool cm_thread_stack(uintptr_t *lo, uintptr_t *hi);

#endif
