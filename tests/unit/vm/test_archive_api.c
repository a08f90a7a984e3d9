/* tests/unit/vm/test_archive_api.c: archives through the embedding API
 * (mica_load_archive, mica_load_archive_bytes, mica_verify_class): the order of
 * class sources, requirements of archives from memory, resources, and refusals
 * that name the archive and the entry. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "compiler.h"
#include "mica.h"

static const uint8_t *std_find(void *ud, const char *name, size_t *len)
{
    return mica_std_class(name, len);
}

static void std_list(void *ud, const char *pkg, void (*fn)(void *, const char *), void *arg)
{
    mica_std_list(pkg, fn, arg);
}

typedef struct Out {
    CfArEntry e[16];
    size_t n;
    const char *only, *skip;   /* keep only / drop this entry */
} Out;

static int collect(void *ud, const char *name, const uint8_t *bytes, size_t len)
{
    Out *o = ud;
    ck_assert_uint_lt(o->n, 16);
    char *n = malloc(strlen(name) + 5);
    sprintf(n, "%s.mcl", name);
    if ((o->only && strcmp(n, o->only) != 0) || (o->skip && strcmp(n, o->skip) == 0)) {
        free(n);
        return 0;
    }
    uint8_t *b = malloc(len);
    memcpy(b, bytes, len);
    o->e[o->n++] = (CfArEntry){n, b, len};
    return 0;
}

/* The archive of [src] compiled (plus resource [res] = [text] if not NULL), with
 * Requires: [req] if not NULL. malloc'd bytes. */
static uint8_t *archive_split(const char *src, const char *res, const char *text, char *req,
                              const char *only, const char *skip, size_t *len)
{
    Out o;
    memset(&o, 0, sizeof o);
    o.only = only;
    o.skip = skip;
    CcSource s = {"main.mica", src, strlen(src)};
    CcClassPath cp = {NULL, std_find, std_list};
    CcOptions opt = {stderr, 0, false, false, false};
    CcResult r;
    ck_assert_int_eq(cc_compile(&s, 1, &cp, &opt, collect, &o, &r), 0);
    if (res) {
        o.e[o.n].name = strdup(res);
        o.e[o.n].data = (uint8_t *)strdup(text);
        o.e[o.n].len = strlen(text);
        o.n++;
    }
    char *reqs[1] = {req};
    CfArManifest m = {0, r.main_class[0] && !only ? r.main_class : NULL, NULL, reqs,
                      req ? 1 : 0};
    uint8_t *out;
    CfError err;
    ck_assert_int_eq(cf_archive_write(&m, o.e, o.n, &out, len, &err), 0);
    for (size_t i = 0; i < o.n; i++) {
        free(o.e[i].name);
        free(o.e[i].data);
    }
    return out;
}

static uint8_t *archive_of(const char *src, const char *res, const char *text, char *req,
                           size_t *len)
{
    return archive_split(src, res, text, req, NULL, NULL, len);
}

static MicaVM *new_vm(void)
{
    MicaVM *vm;
    ck_assert_int_eq(mica_vm_new(NULL, &vm), MICA_OK);
    return vm;
}

static void assert_has(const char *text, const char *part)
{
    ck_assert_msg(strstr(text, part) != NULL, "expected \"%s\" in: %s", part, text);
}

START_TEST(load_bytes_and_run)
{
    size_t len;
    uint8_t *a = archive_of("fun main() { System.exit(41 + 1); }\n", NULL, NULL, NULL, &len);
    MicaVM *vm = new_vm();
    const char *main_class = NULL;
    ck_assert_int_eq(mica_load_archive_bytes(vm, "app.mar", a, len, &main_class), MICA_OK);
    free(a); /* the VM keeps its own copy */
    ck_assert_ptr_nonnull(main_class);
    ck_assert_int_eq(mica_verify_class(vm, main_class), MICA_OK);
    int code = 0;
    ck_assert_int_eq(mica_run_main(vm, main_class, 0, NULL, &code), MICA_ERR_EXIT);
    ck_assert_int_eq(code, 42);
    mica_vm_free(vm);
}
END_TEST

START_TEST(load_file_and_resource)
{
    size_t len;
    uint8_t *a = archive_of("import std.io.Resource;\n"
                            "fun main() { System.exit(Resource.text(\"msg.txt\").length()); }\n",
                            "msg.txt", "seven!!", NULL, &len);
    char path[] = "/tmp/mica_archive_api_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, a, len), (ssize_t)len);
    close(fd);
    free(a);
    MicaVM *vm = new_vm();
    const char *main_class = NULL;
    MicaStatus st = mica_load_archive(vm, path, &main_class);
    unlink(path);
    ck_assert_msg(st == MICA_OK, "%s", mica_last_error(vm));
    int code = 0;
    ck_assert_int_eq(mica_run_main(vm, main_class, 0, NULL, &code), MICA_ERR_EXIT);
    ck_assert_int_eq(code, 7);
    /* loading the same archive twice is refused */
    mica_vm_free(vm);
    vm = new_vm();
    ck_assert_int_eq(mica_load_archive(vm, "/nonexistent/x.mar", NULL), MICA_ERR_IO);
    assert_has(mica_last_error(vm), "/nonexistent/x.mar: cannot open");
    mica_vm_free(vm);
}
END_TEST

START_TEST(requires_from_memory)
{
    size_t llen, alen;
    const char *src = "class Lib { static fun v(): int { return 5; } }\n"
                      "fun main() { System.exit(Lib.v()); }\n";
    uint8_t *lib = archive_split(src, NULL, NULL, NULL, "Lib.mcl", NULL, &llen);
    uint8_t *app = archive_split(src, NULL, NULL, (char *)"lib.mar", NULL, "Lib.mcl", &alen);
    MicaVM *vm = new_vm();
    ck_assert_int_eq(mica_load_archive_bytes(vm, "app.mar", app, alen, NULL), MICA_ERR_LINK);
    assert_has(mica_last_error(vm), "app.mar: requires archive lib.mar, which is not loaded");
    mica_vm_free(vm);
    vm = new_vm();
    ck_assert_int_eq(mica_load_archive_bytes(vm, "dir/lib.mar", lib, llen, NULL), MICA_OK);
    const char *main_class;
    ck_assert_int_eq(mica_load_archive_bytes(vm, "app.mar", app, alen, &main_class), MICA_OK);
    int code = 0;
    ck_assert_int_eq(mica_run_main(vm, main_class, 0, NULL, &code), MICA_ERR_EXIT);
    ck_assert_int_eq(code, 5);
    mica_vm_free(vm);
    free(lib);
    free(app);
}
END_TEST

START_TEST(first_source_wins)
{
    /* host bytes come before host archives, which come before the class path */
    size_t l1, l2;
    uint8_t *a1 = archive_of("class Pick { static fun v(): int { return 1; } }\n"
                             "fun main() { System.exit(Pick.v()); }\n", NULL, NULL, NULL, &l1);
    uint8_t *a2 = archive_of("class Pick { static fun v(): int { return 2; } }\n", NULL, NULL,
                             NULL, &l2);
    MicaVM *vm = new_vm();
    const char *main_class;
    ck_assert_int_eq(mica_load_archive_bytes(vm, "one.mar", a1, l1, &main_class), MICA_OK);
    ck_assert_int_eq(mica_load_archive_bytes(vm, "two.mar", a2, l2, NULL), MICA_OK);
    int code = 0;
    ck_assert_int_eq(mica_run_main(vm, main_class, 0, NULL, &code), MICA_ERR_EXIT);
    ck_assert_int_eq(code, 1);
    mica_vm_free(vm);
    free(a1);
    free(a2);
}
END_TEST

START_TEST(hostile_bytes_named)
{
    size_t len;
    uint8_t *a = archive_of("fun main() { }\n", NULL, NULL, NULL, &len);
    MicaVM *vm = new_vm();
    ck_assert_int_eq(mica_load_archive_bytes(vm, "cut.mar", a, len / 2, NULL), MICA_ERR_FORMAT);
    assert_has(mica_last_error(vm), "cut.mar: ");
    ck_assert_int_eq(mica_load_archive_bytes(vm, "junk.mar", "PK", 2, NULL), MICA_ERR_FORMAT);
    assert_has(mica_last_error(vm), "junk.mar: not a valid .mar (zip) archive");
    ck_assert_int_eq(mica_load_archive_bytes(NULL, "x", a, len, NULL), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_load_archive(vm, NULL, NULL), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_verify_class(vm, NULL), MICA_ERR_INVALID);
    ck_assert_int_eq(mica_verify_class(vm, "no.Such"), MICA_ERR_LINK);
    mica_vm_free(vm);
    free(a);
}
END_TEST

static Suite *archive_api_suite(void)
{
    Suite *s = suite_create("vm_archive_api");
    TCase *t = tcase_create("archive_api");
    tcase_add_test(t, load_bytes_and_run);
    tcase_add_test(t, load_file_and_resource);
    tcase_add_test(t, requires_from_memory);
    tcase_add_test(t, first_source_wins);
    tcase_add_test(t, hostile_bytes_named);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(archive_api_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
