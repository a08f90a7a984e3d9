/* tests/unit/classfile/test_archive.c: .mar archives: the writer's output reads back
 * and is reproducible; each refusal of spec/archive.md (built with libzip, then
 * patched where libzip would not write the fault) names archive and entry; every
 * truncation and bit flip of a valid archive is refused or read, never a crash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "archive.h"
#include "classfile.h"

#define MANIFEST_OK "Mica-Archive: 1\n"
/* writable views of literals for the writer's structures (it never writes to them) */
#define S(lit) ((char *)(lit))

typedef struct Ent {
    const char *name;
    const void *data;
    size_t len;
    int method;            /* ZIP_CM_STORE (default 0) or another */
} Ent;

/* A zip of [ents] made with libzip directly (no checks of ours). malloc'd. */
static uint8_t *make_zip(const Ent *ents, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &ze);
    ck_assert_ptr_nonnull(dst);
    zip_source_keep(dst);
    zip_t *za = zip_open_from_source(dst, ZIP_TRUNCATE, &ze);
    ck_assert_ptr_nonnull(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, ents[i].data, ents[i].len, 0);
        ck_assert_ptr_nonnull(s);
        zip_int64_t idx = zip_file_add(za, ents[i].name, s, ZIP_FL_ENC_UTF_8);
        ck_assert_msg(idx >= 0, "zip_file_add %s: %s", ents[i].name, zip_strerror(za));
        ck_assert_int_eq(zip_set_file_compression(za, (zip_uint64_t)idx, ents[i].method, 0), 0);
    }
    ck_assert_int_eq(zip_close(za), 0);
    zip_stat_t st;
    zip_stat_init(&st);
    ck_assert_int_eq(zip_source_stat(dst, &st), 0);
    ck_assert_int_eq(zip_source_open(dst), 0);
    uint8_t *out = malloc(st.size);
    ck_assert_int_eq(zip_source_read(dst, out, st.size), (zip_int64_t)st.size);
    zip_source_close(dst);
    zip_source_free(dst);
    zip_error_fini(&ze);
    *len = st.size;
    return out;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

/* Offsets of the local header and the central-directory record of entry [name]. */
static void find_headers(uint8_t *z, size_t len, const char *name, size_t *loc, size_t *cen)
{
    size_t nl = strlen(name);
    *loc = *cen = SIZE_MAX;
    for (size_t i = 0; i + 46 + nl <= len; i++) {
        if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 3 && z[i + 3] == 4 &&
            (size_t)(z[i + 26] | z[i + 27] << 8) == nl && memcmp(z + i + 30, name, nl) == 0)
            *loc = i;
        if (z[i] == 'P' && z[i + 1] == 'K' && z[i + 2] == 1 && z[i + 3] == 2 &&
            (size_t)(z[i + 28] | z[i + 29] << 8) == nl && memcmp(z + i + 46, name, nl) == 0)
            *cen = i;
    }
    ck_assert_msg(*loc != SIZE_MAX && *cen != SIZE_MAX, "headers of %s not found", name);
}

/* Reads [z] expecting a refusal whose message contains [want]. */
static void expect_refused(const uint8_t *z, size_t len, const char *want)
{
    CfError err;
    err.msg[0] = 0;
    CfArchive *a = cf_archive_read(z, len, "t.mar", &err);
    ck_assert_msg(a == NULL, "archive accepted, expected refusal with '%s'", want);
    ck_assert_msg(strncmp(err.msg, "t.mar: ", 7) == 0, "message does not name the archive: %s",
                  err.msg);
    ck_assert_msg(strstr(err.msg, want) != NULL, "expected '%s' in: %s", want, err.msg);
}

/* ---- the writer ------------------------------------------------------------- */

START_TEST(write_read_roundtrip)
{
    CfArEntry e[] = {
        {S("b/Two.mcl"), (uint8_t *)"two", 3},
        {S("a/One.mcl"), (uint8_t *)"one", 3},
        {S("data/words.txt"), (uint8_t *)"alpha\nbeta\n", 11},
        {S("empty"), (uint8_t *)"", 0},
    };
    char *req[] = {S("lib.mar"), S("util.mar")};
    CfArManifest m = {0, S("a/One"), S("test"), req, 2};
    uint8_t *out;
    size_t len;
    CfError err;
    ck_assert_int_eq(cf_archive_write(&m, e, 4, &out, &len, &err), 0);
    CfArchive *a = cf_archive_read(out, len, "t.mar", &err);
    ck_assert_msg(a != NULL, "%s", err.msg);
    ck_assert_uint_eq(a->nentries, 4);
    ck_assert_str_eq(a->entries[0].name, "a/One.mcl"); /* sorted */
    ck_assert_str_eq(a->manifest.main_class, "a/One");
    ck_assert_str_eq(a->manifest.created_by, "test");
    ck_assert_uint_eq(a->manifest.nrequires, 2);
    ck_assert_str_eq(a->manifest.requires[1], "util.mar");
    const CfArEntry *w = cf_archive_find(a, "data/words.txt");
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w->len, 11);
    ck_assert_int_eq(memcmp(w->data, "alpha\nbeta\n", 11), 0);
    ck_assert_ptr_nonnull(cf_archive_find_class(a, "b/Two"));
    ck_assert_ptr_null(cf_archive_find_class(a, "b/Three"));
    ck_assert(cf_archive_is_class_entry("a/One.mcl"));
    ck_assert(!cf_archive_is_class_entry("META-INF/x.mcl"));
    ck_assert(!cf_archive_is_class_entry("data/words.txt"));
    cf_archive_free(a);
    free(out);
}
END_TEST

START_TEST(write_is_reproducible)
{
    CfArEntry e1[] = {{S("x/A.mcl"), (uint8_t *)"aaaa", 4}, {S("x/B.mcl"), (uint8_t *)"bbbb", 4}};
    CfArEntry e2[] = {{S("x/B.mcl"), (uint8_t *)"bbbb", 4}, {S("x/A.mcl"), (uint8_t *)"aaaa", 4}};
    CfArManifest m = {0, S("x/A"), S("mica"), NULL, 0};
    uint8_t *o1, *o2;
    size_t l1, l2;
    CfError err;
    ck_assert_int_eq(cf_archive_write(&m, e1, 2, &o1, &l1, &err), 0);
    ck_assert_int_eq(cf_archive_write(&m, e2, 2, &o2, &l2, &err), 0);
    ck_assert_uint_eq(l1, l2);
    ck_assert_int_eq(memcmp(o1, o2, l1), 0);
    free(o1);
    free(o2);
}
END_TEST

START_TEST(write_refuses_bad_entries)
{
    CfArManifest m = {0};
    uint8_t *out;
    size_t len;
    CfError err;
    CfArEntry dup[] = {{S("a.txt"), (uint8_t *)"1", 1}, {S("a.txt"), (uint8_t *)"2", 1}};
    ck_assert_int_eq(cf_archive_write(&m, dup, 2, &out, &len, &err), -1);
    ck_assert_msg(strstr(err.msg, "entry 'a.txt': duplicate entry"), "%s", err.msg);
    CfArEntry up[] = {{S("../a.txt"), (uint8_t *)"1", 1}};
    ck_assert_int_eq(cf_archive_write(&m, up, 1, &out, &len, &err), -1);
    ck_assert_msg(strstr(err.msg, "'..'"), "%s", err.msg);
    CfArEntry meta[] = {{S("META-INF/x"), (uint8_t *)"1", 1}};
    ck_assert_int_eq(cf_archive_write(&m, meta, 1, &out, &len, &err), -1);
    ck_assert_msg(strstr(err.msg, "reserved"), "%s", err.msg);
}
END_TEST

/* ---- names ------------------------------------------------------------------- */

START_TEST(bad_names)
{
    static const struct { const char *name, *why; } cases[] = {
        {"../evil.mcl", "'..' in entry name"},
        {"a/../../evil.mcl", "'..' in entry name"},
        {"/etc/passwd", "absolute entry name"},
        {"C:evil.mcl", "drive letter"},
        {"a//b.mcl", "empty path component"},
        {"a\\b.mcl", "backslash"},
        {"./a.mcl", "'.' component"},
        {"a\tb", "control character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Ent e[] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0},
                   {cases[i].name, "x", 1, 0}};
        size_t len;
        uint8_t *z = make_zip(e, 2, &len);
        char want[256];
        snprintf(want, sizeof want, "entry '%s", i == 7 ? "a\\x09b" : cases[i].name);
        expect_refused(z, len, want);
        expect_refused(z, len, cases[i].why);
        free(z);
    }
    ck_assert_ptr_null(cf_archive_bad_name("pkg/Name.mcl", 12));
    ck_assert_ptr_nonnull(cf_archive_bad_name("", 0));
    char longname[1100];
    memset(longname, 'a', sizeof longname);
    ck_assert_ptr_nonnull(cf_archive_bad_name(longname, sizeof longname));
}
END_TEST

/* ---- container faults ------------------------------------------------------------ */

static uint8_t *valid_zip(size_t *len)
{
    Ent e[] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0},
               {"a.txt", "AAAAAAAAAAAAAAAA", 16, 0},
               {"b.txt", "BBBBBBBBBBBBBBBB", 16, 0}};
    return make_zip(e, 3, len);
}

START_TEST(valid_zip_reads)
{
    size_t len;
    uint8_t *z = valid_zip(&len);
    CfError err;
    CfArchive *a = cf_archive_read(z, len, "t.mar", &err);
    ck_assert_msg(a != NULL, "%s", err.msg);
    ck_assert_uint_eq(a->nentries, 2);
    cf_archive_free(a);
    free(z);
}
END_TEST

START_TEST(refuse_duplicate)
{
    size_t len, loc, cen;
    uint8_t *z = valid_zip(&len);
    find_headers(z, len, "b.txt", &loc, &cen);
    z[loc + 30] = 'a'; /* "b.txt" -> "a.txt" in both headers; data and CRC stay valid */
    z[cen + 46] = 'a';
    expect_refused(z, len, "entry 'a.txt': duplicate entry");
    free(z);
}
END_TEST

START_TEST(refuse_duplicate_manifest)
{
    Ent e[] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0},
               {"META-INF/MANIFESU", MANIFEST_OK, strlen(MANIFEST_OK), 0}};
    size_t len, loc, cen;
    uint8_t *z = make_zip(e, 2, &len);
    find_headers(z, len, "META-INF/MANIFESU", &loc, &cen);
    z[loc + 30 + 16] = 'T';
    z[cen + 46 + 16] = 'T';
    expect_refused(z, len, "entry 'META-INF/MANIFEST': duplicate entry");
    free(z);
}
END_TEST

START_TEST(refuse_file_and_directory)
{
    Ent e[] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0},
               {"a", "x", 1, 0}, {"a/", "", 0, 0}};
    size_t len;
    uint8_t *z = make_zip(e, 3, &len);
    expect_refused(z, len, "entry 'a': duplicate entry");
    free(z);
}
END_TEST

START_TEST(refuse_encrypted)
{
    size_t len, loc, cen;
    uint8_t *z = valid_zip(&len);
    find_headers(z, len, "a.txt", &loc, &cen);
    z[loc + 6] |= 1; /* general purpose flag bit 0: encrypted */
    z[cen + 8] |= 1;
    expect_refused(z, len, "entry 'a.txt': encrypted");
    free(z);
}
END_TEST

START_TEST(refuse_compression_method)
{
    size_t len, loc, cen;
    uint8_t *z = valid_zip(&len);
    find_headers(z, len, "a.txt", &loc, &cen);
    put16(z + loc + 8, 12); /* bzip2 */
    put16(z + cen + 10, 12);
    expect_refused(z, len, "entry 'a.txt': unsupported compression method 12");
    free(z);
    Ent e[] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0},
               {"c.txt", "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", 30, ZIP_CM_BZIP2}};
    z = make_zip(e, 2, &len);
    expect_refused(z, len, "entry 'c.txt': unsupported compression method");
    free(z);
}
END_TEST

START_TEST(refuse_entry_size)
{
    size_t len, loc, cen;
    uint8_t *z = valid_zip(&len);
    find_headers(z, len, "a.txt", &loc, &cen);
    put32(z + loc + 22, CF_AR_MAX_ENTRY_SIZE + 1u);
    put32(z + cen + 24, CF_AR_MAX_ENTRY_SIZE + 1u);
    expect_refused(z, len, "entry 'a.txt': uncompressed size 67108865 is over the limit");
    free(z);
}
END_TEST

/* A real zip bomb: 65 MiB of zeros deflate to about 64 KiB. */
START_TEST(refuse_zip_bomb)
{
    size_t big = CF_AR_MAX_ENTRY_SIZE + (1u << 20);
    void *zeros = calloc(1, big);
    ck_assert_ptr_nonnull(zeros);
    Ent e[] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0},
               {"bomb.bin", zeros, big, ZIP_CM_DEFLATE}};
    size_t len;
    uint8_t *z = make_zip(e, 2, &len);
    free(zeros);
    ck_assert_uint_lt(len, 1u << 20);
    expect_refused(z, len, "entry 'bomb.bin': uncompressed size");
    free(z);
}
END_TEST

START_TEST(refuse_total_size)
{
    /* five entries that declare 60 MiB each: within the entry limit, over the total */
    static char names[5][8];
    Ent e[6] = {{"META-INF/MANIFEST", MANIFEST_OK, strlen(MANIFEST_OK), 0}};
    for (int i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "f%d.bin", i);
        e[i + 1] = (Ent){names[i], "0123456789", 10, 0};
    }
    size_t len, loc, cen;
    uint8_t *z = make_zip(e, 6, &len);
    for (int i = 0; i < 5; i++) {
        find_headers(z, len, names[i], &loc, &cen);
        put32(z + loc + 22, 60u << 20);
        put32(z + cen + 24, 60u << 20);
    }
    expect_refused(z, len, "total uncompressed size is over the limit");
    free(z);
}
END_TEST

START_TEST(refuse_crc_mismatch)
{
    size_t len;
    uint8_t *z = valid_zip(&len);
    uint8_t *p = NULL;
    for (size_t i = 0; i + 16 <= len && !p; i++)
        if (memcmp(z + i, "BBBBBBBBBBBBBBBB", 16) == 0)
            p = z + i;
    ck_assert_ptr_nonnull(p);
    p[3] = 'X';
    expect_refused(z, len, "entry 'b.txt': CRC mismatch");
    free(z);
}
END_TEST

START_TEST(refuse_size_mismatch)
{
    size_t len, loc, cen;
    uint8_t *z = valid_zip(&len);
    find_headers(z, len, "a.txt", &loc, &cen);
    put32(z + loc + 22, 8); /* stored: 16 bytes of data, 8 declared */
    put32(z + cen + 24, 8);
    expect_refused(z, len, "entry 'a.txt'");
    free(z);
}
END_TEST

START_TEST(refuse_not_a_zip)
{
    expect_refused((const uint8_t *)"MICA not a zip", 14, "not a valid .mar (zip) archive");
    expect_refused((const uint8_t *)"", 0, "not a valid .mar (zip) archive: empty file");
}
END_TEST

/* ---- the manifest ------------------------------------------------------------------ */

static void manifest_case(const char *text, const char *want)
{
    Ent e[] = {{"META-INF/MANIFEST", text, strlen(text), 0}, {"app/Main.mcl", "x", 1, 0}};
    size_t len;
    uint8_t *z = make_zip(e, 2, &len);
    expect_refused(z, len, "t.mar: entry 'META-INF/MANIFEST': ");
    expect_refused(z, len, want);
    free(z);
}

START_TEST(refuse_bad_manifest)
{
    manifest_case("", "bad manifest: no 'Mica-Archive'");
    manifest_case("Mica-Archive: 2\n", "unsupported archive version 2 (this VM reads version 1)");
    manifest_case("Mica-Archive: one\n", "is not a number");
    manifest_case("Mica-Archive: 1", "does not end with a newline");
    manifest_case("Mica-Archive: 1\nColor: red\n", "unknown key 'Color'");
    manifest_case("Mica-Archive: 1\nMica-Archive: 1\n", "given twice");
    manifest_case("Mica-Archive: 1\nno colon here\n", "is not 'Key: value'");
    manifest_case("Mica-Archive: 1\r\n", "control character");
    manifest_case("Mica-Archive: 1\nMain-Class: 9bad\n", "is not a class name");
    manifest_case("Mica-Archive: 1\nMain-Class: app.Other\n", "main class app/Other is not in");
    manifest_case("Mica-Archive: 1\nRequires: ../lib.mar\n", "required archive '../lib.mar'");
    manifest_case("Mica-Archive: 1\nRequires: lib.zip\n", "required archive 'lib.zip'");
    Ent e[] = {{"app/Main.mcl", "x", 1, 0}};
    size_t len;
    uint8_t *z = make_zip(e, 1, &len);
    expect_refused(z, len, "entry 'META-INF/MANIFEST': missing");
    free(z);
}
END_TEST

START_TEST(manifest_accepts_forms)
{
    const char *text = "Mica-Archive: 1\n\nMain-Class: app/Main  \nRequires: a.mar,b.mar , c.mar\n";
    Ent e[] = {{"META-INF/MANIFEST", text, strlen(text), 0}, {"app/Main.mcl", "x", 1, 0},
               {"app/", "", 0, 0}};
    size_t len;
    uint8_t *z = make_zip(e, 3, &len);
    CfError err;
    CfArchive *a = cf_archive_read(z, len, "t.mar", &err);
    ck_assert_msg(a != NULL, "%s", err.msg);
    ck_assert_str_eq(a->manifest.main_class, "app/Main");
    ck_assert_uint_eq(a->manifest.nrequires, 3);
    ck_assert_str_eq(a->manifest.requires[2], "c.mar");
    ck_assert_uint_eq(a->nentries, 1); /* the directory entry is dropped */
    cf_archive_free(a);
    free(z);
}
END_TEST

/* ---- truncation and bit flips ------------------------------------------------------- */

static uint8_t *real_archive(size_t *len)
{
    static uint8_t cls[65536];
    size_t n = 0;
    FILE *f = fopen(MICA_SOURCE_DIR "/tests/fuzz/regressions/run/io_list_empty_dir_qsort_null.mcl",
                    "rb");
    ck_assert_ptr_nonnull(f);
    n = fread(cls, 1, sizeof cls, f);
    fclose(f);
    CfError err;
    CfClass *c = cf_read(cls, n, "seed", &err);
    ck_assert_msg(c != NULL, "%s", err.msg);
    char entry[CF_MAX_NAME_LEN + 8];
    snprintf(entry, sizeof entry, "%s.mcl", cf_this_name(c));
    char main[CF_MAX_NAME_LEN + 1];
    snprintf(main, sizeof main, "%s", cf_this_name(c));
    cf_class_free(c);
    CfArEntry e[] = {{entry, cls, n}, {S("res/note.txt"), (uint8_t *)"a resource\n", 11}};
    CfArManifest m = {0, main, S("mica test"), NULL, 0};
    uint8_t *out;
    ck_assert_int_eq(cf_archive_write(&m, e, 2, &out, len, &err), 0);
    return out;
}

/* Reads [z]; if accepted, every class entry goes through the class reader too. */
static void read_anything(const uint8_t *z, size_t len)
{
    CfError err;
    err.msg[0] = 0;
    CfArchive *a = cf_archive_read(z, len, "t.mar", &err);
    if (!a) {
        ck_assert_msg(strncmp(err.msg, "t.mar: ", 7) == 0, "unnamed refusal: %s", err.msg);
        return;
    }
    for (size_t i = 0; i < a->nentries; i++) {
        if (!cf_archive_is_class_entry(a->entries[i].name))
            continue;
        CfClass *c = cf_read(a->entries[i].data, a->entries[i].len, "entry", &err);
        cf_class_free(c);
    }
    cf_archive_free(a);
}

START_TEST(every_truncation)
{
    size_t len;
    uint8_t *z = real_archive(&len);
    for (size_t n = 0; n < len; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, z, n);
        CfError err;
        CfArchive *a = cf_archive_read(copy, n, "t.mar", &err);
        ck_assert_msg(a == NULL, "truncated to %zu of %zu bytes, still accepted", n, len);
        ck_assert_msg(strncmp(err.msg, "t.mar: ", 7) == 0, "%s", err.msg);
        free(copy);
    }
    free(z);
}
END_TEST

START_TEST(every_bit_flip)
{
    size_t len;
    uint8_t *z = real_archive(&len);
    uint8_t *copy = malloc(len);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, z, len);
            copy[i] ^= (uint8_t)(1u << bit);
            read_anything(copy, len);
        }
    }
    free(copy);
    free(z);
}
END_TEST

static Suite *archive_suite(void)
{
    Suite *s = suite_create("classfile_archive");
    TCase *t = tcase_create("archive");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, write_read_roundtrip);
    tcase_add_test(t, write_is_reproducible);
    tcase_add_test(t, write_refuses_bad_entries);
    tcase_add_test(t, bad_names);
    tcase_add_test(t, valid_zip_reads);
    tcase_add_test(t, refuse_duplicate);
    tcase_add_test(t, refuse_duplicate_manifest);
    tcase_add_test(t, refuse_file_and_directory);
    tcase_add_test(t, refuse_encrypted);
    tcase_add_test(t, refuse_compression_method);
    tcase_add_test(t, refuse_entry_size);
    tcase_add_test(t, refuse_zip_bomb);
    tcase_add_test(t, refuse_total_size);
    tcase_add_test(t, refuse_crc_mismatch);
    tcase_add_test(t, refuse_size_mismatch);
    tcase_add_test(t, refuse_not_a_zip);
    tcase_add_test(t, refuse_bad_manifest);
    tcase_add_test(t, manifest_accepts_forms);
    tcase_add_test(t, every_truncation);
    tcase_add_test(t, every_bit_flip);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(archive_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
