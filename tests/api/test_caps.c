/* tests/api/test_caps.c: natives that build results for a program stay
 * under the heap cap and stop at the deadline: the memory a refused or stopped
 * call took is measured (peak resident size of the test's own process, each
 * test running in a fork), so a native that built its result with malloc
 * before checking the cap fails here even though it ends in the same
 * OutOfMemoryError. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mica.h"

/* Compiles [src] as main.mica into [vm] (class Main); the diagnostics, if any,
 * fail the test. */
static void compile(MicaVM *vm, const char *src)
{
    MicaStatus st = mica_compile(vm, "main.mica", src, strlen(src));
    ck_assert_msg(st == MICA_OK, "does not compile: %s", mica_last_error(vm));
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Runs [src] with the given caps (0: none); returns the status and checks that
 * the peak resident size grew by less than [max_mib]. */
static MicaStatus run_capped(const char *src, size_t heap, uint64_t time_ms, long max_mib)
{
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.max_heap_bytes = heap;
    cfg.max_time_ms = time_ms;
    cfg.caps = MICA_CAP_ALL & ~MICA_CAP_NATIVE;
    MicaVM *vm;
    ck_assert_int_eq(mica_vm_new(&cfg, &vm), MICA_OK);
    compile(vm, src);
    long before = peak_kib();
    int code = 0;
    MicaStatus st = mica_run_main(vm, "Main", 0, NULL, &code);
    long grew = (peak_kib() - before) / 1024;
    ck_assert_msg(grew < max_mib, "peak resident size grew by %ld MiB (limit %ld): %s", grew,
                  max_mib, mica_last_error(vm));
    mica_vm_free(vm);
    return st;
}

#define CAP16 ((size_t)16 << 20)

/* The program exits 0 only if the call raised OutOfMemoryError. */
#define EXPECT_OOM(body)                                                                   \
    "import std.io.*;\nimport std.os.*;\nimport std.regex.*;\nimport std.text.*;\n"       \
    "fun main() {\n  let mb = \"x\".repeat(1 << 20);\n  try {\n    " body                \
    "\n  } catch (e: OutOfMemoryError) { return; }\n  System.exit(9);\n}\n"

START_TEST(test_repeat_under_cap)
{
    ck_assert_int_eq(run_capped(EXPECT_OOM("\"ab\".repeat(1 << 30);"), CAP16, 0, 200), MICA_OK);
}
END_TEST

START_TEST(test_join_under_cap)
{
    ck_assert_int_eq(run_capped(EXPECT_OOM("let p = new String[1000];\n"
                                           "for (var i = 0; i < 1000; i++) { p[i] = mb; }\n"
                                           "String.join(\",\", p);"),
                                CAP16, 0, 200),
                     MICA_OK);
}
END_TEST

START_TEST(test_replace_under_cap)
{
    ck_assert_int_eq(run_capped(EXPECT_OOM("\"a\".repeat(1000).replace(\"a\", mb);"), CAP16, 0,
                                200),
                     MICA_OK);
}
END_TEST

START_TEST(test_format_under_cap)
{
    ck_assert_int_eq(run_capped(EXPECT_OOM("let args = new Object[1000];\n"
                                           "for (var i = 0; i < 1000; i++) { args[i] = mb; }\n"
                                           "Format.format(\"%s\".repeat(1000), args);"),
                                CAP16, 0, 200),
                     MICA_OK);
}
END_TEST

START_TEST(test_regex_replace_under_cap)
{
    ck_assert_int_eq(run_capped(EXPECT_OOM("new Regex(\"a\").replaceAll(\"a\".repeat(1000), mb);"),
                                CAP16, 0, 200),
                     MICA_OK);
}
END_TEST

START_TEST(test_read_file_under_cap)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/mica_caps_%ld.bin", (long)getpid());
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 400L << 20), 0); /* sparse: no disk used */
    close(fd);
    char src[1024];
    snprintf(src, sizeof src,
             EXPECT_OOM("let n = File.readBytes(\"%s\").length;\n    println(n);"), path);
    MicaStatus a = run_capped(src, CAP16, 0, 200);
    snprintf(src, sizeof src, EXPECT_OOM("File.open(\"%s\", \"r\").readLine();"), path);
    MicaStatus b = run_capped(src, CAP16, 0, 200);
    unlink(path);
    ck_assert_int_eq(a, MICA_OK);
    ck_assert_int_eq(b, MICA_OK);
}
END_TEST

START_TEST(test_process_output_under_cap)
{
    ck_assert_int_eq(run_capped(EXPECT_OOM("Process.run([\"head\", \"-c\", \"400000000\", "
                                           "\"/dev/zero\"]);"),
                                CAP16, 0, 200),
                     MICA_OK);
}
END_TEST

START_TEST(test_c_memory_under_cap)
{
    ck_assert_int_eq(run_capped("import std.ffi.*;\n"
                                "fun main() {\n"
                                "  var n = 0;\n"
                                "  let blocks = new Memory[100];\n"
                                "  try {\n"
                                "    while (n < 100) { blocks[n] = Memory.allocate(1 << 20); n++; }\n"
                                "  } catch (e: OutOfMemoryError) {}\n"
                                "  if (n == 0 || n >= 16) { System.exit(9); }\n"
                                "  for (var i = 0; i < n; i++) { blocks[i].free(); }\n"
                                "  let again = Memory.allocate(4 << 20);\n"
                                "  again.free();\n"
                                "}\n",
                                CAP16, 0, 200),
                     MICA_OK);
}
END_TEST

/* No heap cap: the deadline stops a 2 GiB repeat after a fraction of it. */
START_TEST(test_repeat_stops_at_deadline)
{
    ck_assert_int_eq(run_capped("fun main() { println(\"ab\".repeat(1 << 30).length()); }\n", 0,
                                50, 1024),
                     MICA_ERR_LIMIT);
}
END_TEST

/* A search that takes n * m steps stops at the deadline. */
START_TEST(test_search_stops_at_deadline)
{
    ck_assert_int_eq(run_capped("fun main() {\n"
                                "  let s = \"a\".repeat(4000000);\n"
                                "  println(s.indexOf(\"a\".repeat(2000000) + \"b\"));\n"
                                "}\n",
                                CAP16, 200, 200),
                     MICA_ERR_LIMIT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vm_caps");
    TCase *tc = tcase_create("caps");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_repeat_under_cap);
    tcase_add_test(tc, test_join_under_cap);
    tcase_add_test(tc, test_replace_under_cap);
    tcase_add_test(tc, test_format_under_cap);
    tcase_add_test(tc, test_regex_replace_under_cap);
    tcase_add_test(tc, test_read_file_under_cap);
    tcase_add_test(tc, test_process_output_under_cap);
    tcase_add_test(tc, test_c_memory_under_cap);
    tcase_add_test(tc, test_repeat_stops_at_deadline);
    tcase_add_test(tc, test_search_stops_at_deadline);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
