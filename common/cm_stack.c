/* common/cm_stack.c: the calling thread's C stack (cm_stack.h). */
#define _GNU_SOURCE
#include "cm_stack.h"

#include <pthread.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc's record of where the initial thread's stack began (also what Boehm
 * reads when it is built without threads); weak, so a C library without it
 * leaves it NULL and pthread_getattr_np answers. */
extern void *__libc_stack_end __attribute__((weak));

/* The initial thread, without pthread_getattr_np: for it glibc reads the whole
 * of /proc/self/maps to find the end of the stack's mapping, which cost more
 * than all the rest of starting a VM. The kernel puts the program's file name
 * (AT_EXECFN) right under that end, at its last word, so the end is known
 * from the name when the arithmetic lands on a page boundary (checked); the
 * figures are then glibc's: the top is __libc_stack_end's page end, the
 * bottom the mapping's end less the stack's size limit. Anything unusual
 * (another thread, no limit or a huge one, an unexpected layout, a frame
 * outside the result) returns false and the caller asks pthread_getattr_np. */
static bool initial_thread_stack(uintptr_t *lo, uintptr_t *hi)
{
    if (!&__libc_stack_end || !__libc_stack_end || getpid() != (pid_t)syscall(SYS_gettid))
        return false;
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    long page = sysconf(_SC_PAGESIZE);
    struct rlimit rl;
    if (!execfn || page <= 0 || getrlimit(RLIMIT_STACK, &rl) != 0 ||
        rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > ((rlim_t)256 << 20))
        return false;
    uintptr_t pg = (uintptr_t)page;
    uintptr_t map_end = (uintptr_t)execfn + strlen(execfn) + 1 + sizeof(void *);
    uintptr_t start = (uintptr_t)__libc_stack_end;
    uintptr_t top = (start & ~(pg - 1)) + pg;
    if (map_end % pg != 0 || start >= map_end || top > map_end ||
        map_end - top >= (uintptr_t)rl.rlim_cur)
        return false;
    uintptr_t size = ((uintptr_t)rl.rlim_cur - (map_end - top)) & ~(pg - 1);
    /* after a fork from another thread the only thread has the process's id
     * but runs on that thread's stack: the figures must hold where we are */
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (size == 0 || size > top || here >= top || here < top - size)
        return false;
    *lo = top - size;
    *hi = top;
    return true;
}

bool cm_thread_stack(uintptr_t *lo, uintptr_t *hi)
{
    static _Thread_local uintptr_t t_lo __attribute__((tls_model("initial-exec")));
    static _Thread_local uintptr_t t_hi __attribute__((tls_model("initial-exec")));
    if (!t_hi && !initial_thread_stack(&t_lo, &t_hi)) {
        pthread_attr_t attr;
        void *addr = NULL;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attr) != 0)
            return false;
        if (pthread_attr_getstack(&attr, &addr, &size) != 0)
            addr = NULL;
        pthread_attr_destroy(&attr);
        if (!addr || !size)
            return false;
        t_lo = (uintptr_t)addr;
        t_hi = (uintptr_t)addr + size;
    }
    *lo = t_lo;
    *hi = t_hi;
    return true;
}
