/* tests/unit/classfile/test_stack.c: the calling thread's C stack (common/cm_stack.h)
 * gives pthread_getattr_np's figures, on the initial thread (measured without it),
 * on another thread, after a fork from another thread, and the same on every call. */
#define _GNU_SOURCE
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cm_stack.h"

/* pthread_getattr_np's figures for the calling thread, then cm_thread_stack's,
 * twice; 0 when they agree and hold the caller's frame. */
static int check_here(void)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return 1;
    if (pthread_attr_getstack(&attr, &addr, &size) != 0)
        return 2;
    pthread_attr_destroy(&attr);
    uintptr_t lo, hi, lo2, hi2;
    if (!cm_thread_stack(&lo, &hi) || !cm_thread_stack(&lo2, &hi2))
        return 3;
    if (lo != (uintptr_t)addr || hi != (uintptr_t)addr + size)
        return 4;
    if (lo2 != lo || hi2 != hi)
        return 5;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return here > lo && here < hi ? 0 : 6;
}

static void *on_thread(void *arg)
{
    *(int *)arg = check_here();
    return NULL;
}

START_TEST(initial_thread)
{
    ck_assert_int_eq(check_here(), 0);
}
END_TEST

START_TEST(other_thread)
{
    pthread_t t;
    int rc = -1;
    ck_assert_int_eq(pthread_create(&t, NULL, on_thread, &rc), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(rc, 0);
}
END_TEST

/* In the child of a fork made on another thread, the one thread has the
 * process's id but runs on the forking thread's stack. */
static void *fork_on_thread(void *arg)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(check_here());
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        *(int *)arg = 100;
    else
        *(int *)arg = WEXITSTATUS(status);
    return NULL;
}

START_TEST(fork_from_other_thread)
{
    pthread_t t;
    int rc = -1;
    ck_assert_int_eq(pthread_create(&t, NULL, fork_on_thread, &rc), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(rc, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stack");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, initial_thread);
    tcase_add_test(tc, other_thread);
    tcase_add_test(tc, fork_from_other_thread);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
