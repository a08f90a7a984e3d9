/* common/cm_assert.h: assertions for states the code itself rules out. They are for
 * impossible states only and vanish in release builds (NDEBUG); bad input (class
 * files, API arguments, source) is never checked with them but with an error. */
#ifndef MICA_COMMON_CM_ASSERT_H
#define MICA_COMMON_CM_ASSERT_H

#include <stdio.h>
#include <stdlib.h>

/* Reports a failed assertion ([what] at [file]:[line]) on stderr and aborts. */
static inline _Noreturn void cm_check_failed(const char *what, const char *file, int line)
{
    fprintf(stderr, "mica: internal error: %s (%s:%d)\n", what, file, line);
    abort();
}

#ifdef NDEBUG
/* [cond] is not evaluated in release builds (only type-checked). */
#define MICA_ASSERT(cond) ((void)sizeof(cond))
/* Marks a place control never reaches; the compiler may rely on it. */
#define MICA_UNREACHABLE() __builtin_unreachable()
#else
#define MICA_ASSERT(cond) \
    ((cond) ? (void)0 : cm_check_failed("assertion failed: " #cond, __FILE__, __LINE__))
#define MICA_UNREACHABLE() cm_check_failed("unreachable code reached", __FILE__, __LINE__)
#endif

#endif
