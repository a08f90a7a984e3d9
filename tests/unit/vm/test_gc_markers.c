/* tests/unit/vm/test_gc_markers.c: the collector's start-up: it marks on the
 * collecting thread (creating a VM starts no marker thread, which cost a large
 * part of start-up), unless the host asks Boehm for marker threads with
 * GC_MARKERS, and it collects the empty heap once when it starts. Each
 * case runs in a fresh child process, since the collector is set up once per
 * process. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define GC_THREADS 1
#include <gc.h>

#include "mica.h"

/* Threads of this process (entries of /proc/self/task), or -1. */
static int thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* In a child with GC_MARKERS set to [markers] (NULL: unset): creates a VM and
 * exits 0 when GC_get_parallel() is [parallel] and the process has [threads]
 * threads (-1: any number). */
static int child(const char *markers, int parallel, int threads)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (markers)
            setenv("GC_MARKERS", markers, 1);
        else
            unsetenv("GC_MARKERS");
        MicaVM *vm = NULL;
        if (mica_vm_new(NULL, &vm) != MICA_OK)
            _exit(10);
        int rc = GC_get_parallel() != parallel ? 11
                 : threads >= 0 && thread_count() != threads ? 12 : 0;
        mica_vm_free(vm);
        _exit(rc);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return 100;
    return WEXITSTATUS(status);
}

START_TEST(no_marker_threads_by_default)
{
    ck_assert_int_eq(child(NULL, 0, 1), 0);
}
END_TEST

START_TEST(gc_markers_asks_for_them)
{
    /* Boehm built without parallel marking has none to start: nothing to check */
    int rc = child("2", 1, 2);
    if (rc == 11)
        rc = child("2", 0, 1);
    ck_assert_int_eq(rc, 0);
}
END_TEST

/* Creating a VM collects the empty heap once, so that the collector's black
 * lists (heap pages that static data seems to point at) are filled before the
 * first object is placed; without it, Storage ran 1.3 times as long. */
START_TEST(one_collection_at_start)
{
    pid_t pid = fork();
    if (pid == 0) {
        unsetenv("GC_MARKERS");
        MicaVM *vm = NULL;
        if (mica_vm_new(NULL, &vm) != MICA_OK)
            _exit(10);
        MicaStats st;
        int rc = mica_stats(vm, &st) != MICA_OK ? 11 : st.collections != 1 ? 12 : 0;
        mica_vm_free(vm);
        _exit(rc);
    }
    int status = -1;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vm_gc_markers");
    TCase *tc = tcase_create("markers");
    tcase_add_test(tc, no_marker_threads_by_default);
    tcase_add_test(tc, gc_markers_asks_for_them);
    tcase_add_test(tc, one_collection_at_start);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
