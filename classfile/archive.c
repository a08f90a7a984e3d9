/* classfile/archive.c: reading and writing .mar archives (spec/archive.md)
 * with libzip: the checks on every entry, the manifest, and the
 * reproducible writer. */
#include "archive.h"
#include "cm_mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ziplib.h"

/* every libzip call goes through the table loaded on first use */
#define CF_ZIP_CALL(name) (cf_zip_lib()->name)
#define zip_close CF_ZIP_CALL(zip_close)
#define zip_discard CF_ZIP_CALL(zip_discard)
#define zip_error_code_zip CF_ZIP_CALL(zip_error_code_zip)
#define zip_error_fini CF_ZIP_CALL(zip_error_fini)
#define zip_error_init CF_ZIP_CALL(zip_error_init)
#define zip_error_strerror CF_ZIP_CALL(zip_error_strerror)
#define zip_fclose CF_ZIP_CALL(zip_fclose)
#define zip_file_add CF_ZIP_CALL(zip_file_add)
#define zip_file_get_error CF_ZIP_CALL(zip_file_get_error)
#define zip_file_set_dostime CF_ZIP_CALL(zip_file_set_dostime)
#define zip_file_set_external_attributes CF_ZIP_CALL(zip_file_set_external_attributes)
#define zip_fopen_index CF_ZIP_CALL(zip_fopen_index)
#define zip_fread CF_ZIP_CALL(zip_fread)
#define zip_get_name CF_ZIP_CALL(zip_get_name)
#define zip_get_num_entries CF_ZIP_CALL(zip_get_num_entries)
#define zip_name_locate CF_ZIP_CALL(zip_name_locate)
#define zip_open_from_source CF_ZIP_CALL(zip_open_from_source)
#define zip_set_file_compression CF_ZIP_CALL(zip_set_file_compression)
#define zip_source_buffer CF_ZIP_CALL(zip_source_buffer)
#define zip_source_buffer_create CF_ZIP_CALL(zip_source_buffer_create)
#define zip_source_close CF_ZIP_CALL(zip_source_close)
#define zip_source_free CF_ZIP_CALL(zip_source_free)
#define zip_source_keep CF_ZIP_CALL(zip_source_keep)
#define zip_source_open CF_ZIP_CALL(zip_source_open)
#define zip_source_read CF_ZIP_CALL(zip_source_read)
#define zip_source_stat CF_ZIP_CALL(zip_source_stat)
#define zip_stat_index CF_ZIP_CALL(zip_stat_index)
#define zip_stat_init CF_ZIP_CALL(zip_stat_init)
#define zip_strerror CF_ZIP_CALL(zip_strerror)

/* ---- messages ------------------------------------------------------------ */

static void fail_msg(CfError *err, const char *origin, const char *entry, const char *fmt, ...)
{
    if (!err)
        return;
    size_t o = 0;
    int n = snprintf(err->msg, sizeof err->msg, "%s: ", origin ? origin : "archive");
    o = n > 0 ? (size_t)n : 0;
    if (entry && o < sizeof err->msg) {
        /* names are shown as they are, but control bytes would garble the line */
        n = snprintf(err->msg + o, sizeof err->msg - o, "entry '");
        o += n > 0 ? (size_t)n : 0;
        for (const char *s = entry; *s && o + 8 < sizeof err->msg; s++) {
            unsigned char c = (unsigned char)*s;
            if (c < 0x20 || c == 0x7f)
                o += (size_t)snprintf(err->msg + o, sizeof err->msg - o, "\\x%02x", c);
            else
                err->msg[o++] = (char)c;
        }
        if (o < sizeof err->msg)
            o += (size_t)snprintf(err->msg + o, sizeof err->msg - o, "': ");
    }
    if (o < sizeof err->msg) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg + o, sizeof err->msg - o, fmt, ap);
        va_end(ap);
    }
}

static char *dup_n(const char *s, size_t n)
{
    char *p = cm_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

/* ---- names ---------------------------------------------------------------- */

const char *cf_archive_bad_name(const char *name, size_t len)
{
    if (len == 0)
        return "empty entry name";
    if (len > CF_AR_MAX_NAME_LEN)
        return "entry name longer than 1024 bytes";
    if (name[0] == '/')
        return "absolute entry name (outside the archive's root)";
    if (len >= 2 && name[1] == ':')
        return "entry name with a drive letter (outside the archive's root)";
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len) {
            unsigned char c = (unsigned char)name[i];
            if (c == 0)
                return "NUL byte in entry name";
            if (c < 0x20 || c == 0x7f)
                return "control character in entry name";
            if (c == '\\')
                return "backslash in entry name";
            if (c != '/')
                continue;
        }
        size_t clen = i - start;
        if (clen == 0 && i < len)
            return "empty path component in entry name";
        if (clen == 2 && name[start] == '.' && name[start + 1] == '.')
            return "'..' in entry name (outside the archive's root)";
        if (clen == 1 && name[start] == '.')
            return "'.' component in entry name";
        start = i + 1;
    }
    return NULL;
}

bool cf_archive_is_class_entry(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".mcl") == 0 && strncmp(name, "META-INF/", 9) != 0;
}

/* ---- the manifest ------------------------------------------------------------ */

static void manifest_free(CfArManifest *m)
{
    free(m->main_class);
    free(m->created_by);
    for (size_t i = 0; i < m->nrequires; i++)
        free(m->requires[i]);
    free(m->requires);
    memset(m, 0, sizeof *m);
}

static bool is_ident_byte(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* A class name as the manifest writes it: pkg.Name or pkg/Name. Stored internal. */
static char *manifest_class(const char *v, size_t n)
{
    if (n == 0 || n > CF_MAX_NAME_LEN)
        return NULL;
    char *s = dup_n(v, n);
    if (!s)
        return NULL;
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.')
            s[i] = '/';
        if (s[i] == '/') {
            if (start)
                goto bad;
            start = true;
        } else if (!is_ident_byte((unsigned char)s[i]) || (start && s[i] >= '0' && s[i] <= '9')) {
            goto bad;
        } else {
            start = false;
        }
    }
    if (start)
        goto bad;
    return s;
bad:
    free(s);
    return NULL;
}

/* An archive named by Requires: a plain file name ending in .mar. */
static bool good_require(const char *v, size_t n)
{
    if (n <= 4 || n > 255 || memcmp(v + n - 4, ".mar", 4) != 0)
        return false;
    if (n == 2 && v[0] == '.' && v[1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ',' || c == ':')
            return false;
    }
    return v[0] != '.';
}

/* Parses the manifest text; 0, or -1 with [err] naming archive and manifest entry. */
static int manifest_parse(const uint8_t *text, size_t len, const char *origin,
                          CfArManifest *m, CfError *err)
{
    const char *entry = CF_AR_MANIFEST;
    bool seen_version = false, seen_main = false, seen_by = false, seen_req = false;
    size_t pos = 0;
    unsigned line = 0;
    if (len > CF_AR_MAX_MANIFEST) {
        fail_msg(err, origin, entry, "bad manifest: %zu bytes, over the limit of %u", len,
                 CF_AR_MAX_MANIFEST);
        return -1;
    }
    while (pos < len) {
        line++;
        const uint8_t *nl = memchr(text + pos, '\n', len - pos);
        if (!nl) {
            fail_msg(err, origin, entry, "bad manifest: line %u does not end with a newline",
                     line);
            return -1;
        }
        const char *l = (const char *)text + pos;
        size_t ll = (size_t)((const char *)nl - l);
        pos += ll + 1;
        for (size_t i = 0; i < ll; i++) {
            unsigned char c = (unsigned char)l[i];
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                fail_msg(err, origin, entry, "bad manifest: line %u: control character", line);
                return -1;
            }
        }
        if (ll == 0)
            continue;
        const char *colon = memchr(l, ':', ll);
        if (!colon || colon == l || colon + 1 >= l + ll || colon[1] != ' ') {
            fail_msg(err, origin, entry, "bad manifest: line %u is not 'Key: value'", line);
            return -1;
        }
        size_t klen = (size_t)(colon - l);
        const char *v = colon + 2;
        size_t vlen = ll - klen - 2;
        while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
            vlen--;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(l, s, klen) == 0)
        bool *seen = KEY("Mica-Archive") ? &seen_version : KEY("Main-Class") ? &seen_main
                   : KEY("Created-By") ? &seen_by : KEY("Requires") ? &seen_req : NULL;
        if (!seen) {
            fail_msg(err, origin, entry, "bad manifest: line %u: unknown key '%.*s'", line,
                     (int)(klen > 64 ? 64 : klen), l);
            return -1;
        }
        if (*seen) {
            fail_msg(err, origin, entry, "bad manifest: line %u: '%.*s' given twice", line,
                     (int)klen, l);
            return -1;
        }
        *seen = true;
        if (KEY("Mica-Archive")) {
            uint32_t ver = 0;
            size_t i = 0;
            for (; i < vlen && i < 6 && v[i] >= '0' && v[i] <= '9'; i++)
                ver = ver * 10 + (uint32_t)(v[i] - '0');
            if (i == 0 || i != vlen) {
                fail_msg(err, origin, entry, "bad manifest: line %u: archive version '%.*s' "
                         "is not a number", line, (int)(vlen > 32 ? 32 : vlen), v);
                return -1;
            }
            if (ver != CF_AR_VERSION) {
                fail_msg(err, origin, entry, "unsupported archive version %u (this VM reads "
                         "version %u)", ver, CF_AR_VERSION);
                return -1;
            }
            m->version = ver;
        } else if (KEY("Main-Class")) {
            m->main_class = manifest_class(v, vlen);
            if (!m->main_class) {
                fail_msg(err, origin, entry, "bad manifest: line %u: '%.*s' is not a class "
                         "name", line, (int)(vlen > 64 ? 64 : vlen), v);
                return -1;
            }
        } else if (KEY("Created-By")) {
            m->created_by = dup_n(v, vlen);
            if (!m->created_by)
                goto oom;
        } else {
            size_t s = 0;
            while (s < vlen) {
                size_t e = s;
                while (e < vlen && v[e] != ',')
                    e++;
                size_t a = s, b = e;
                while (a < b && v[a] == ' ')
                    a++;
                while (b > a && v[b - 1] == ' ')
                    b--;
                if (!good_require(v + a, b - a)) {
                    fail_msg(err, origin, entry, "bad manifest: line %u: required archive "
                             "'%.*s' is not a file name ending in .mar", line,
                             (int)(b - a > 64 ? 64 : b - a), v + a);
                    return -1;
                }
                if (m->nrequires >= CF_AR_MAX_REQUIRES) {
                    fail_msg(err, origin, entry, "bad manifest: more than %u required archives",
                             CF_AR_MAX_REQUIRES);
                    return -1;
                }
                char **nr = cm_realloc(m->requires, (m->nrequires + 1) * sizeof *nr);
                if (!nr)
                    goto oom;
                m->requires = nr;
                if (!(nr[m->nrequires] = dup_n(v + a, b - a)))
                    goto oom;
                m->nrequires++;
                s = e + 1;
            }
        }
#undef KEY
    }
    if (!seen_version) {
        fail_msg(err, origin, entry, "bad manifest: no 'Mica-Archive' version line");
        return -1;
    }
    return 0;
oom:
    fail_msg(err, origin, entry, "out of memory");
    return -1;
}

/* ---- reading ----------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const CfArEntry *)a)->name, ((const CfArEntry *)b)->name);
}

void cf_archive_free(CfArchive *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nentries; i++) {
        free(a->entries[i].name);
        free(a->entries[i].data);
    }
    free(a->entries);
    manifest_free(&a->manifest);
    free(a->origin);
    free(a);
}

/* Reads entry [i] (of declared size [size]) whole, checking size and CRC. */
static uint8_t *read_entry(zip_t *za, zip_uint64_t i, size_t size, const char *origin,
                           const char *name, CfError *err)
{
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf) {
        fail_msg(err, origin, name, "cannot be read: %s", zip_strerror(za));
        return NULL;
    }
    uint8_t *buf = cm_malloc(size + 1);
    size_t got = 0;
    if (!buf) {
        fail_msg(err, origin, name, "out of memory");
        goto fail;
    }
    for (;;) {
        /* one byte of room past the declared size catches data that runs on */
        zip_int64_t r = zip_fread(zf, buf + got, size + 1 - got);
        if (r < 0) {
            zip_error_t *ze = zip_file_get_error(zf);
            if (zip_error_code_zip(ze) == ZIP_ER_CRC)
                fail_msg(err, origin, name, "CRC mismatch (the entry is corrupt)");
            else
                fail_msg(err, origin, name, "corrupt data: %s", zip_error_strerror(ze));
            goto fail;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got > size) {
            fail_msg(err, origin, name, "data longer than its declared size of %zu bytes",
                     size);
            goto fail;
        }
    }
    if (got != size) {
        fail_msg(err, origin, name, "data shorter (%zu bytes) than its declared size of %zu",
                 got, size);
        goto fail;
    }
    zip_fclose(zf);
    return buf;
fail:
    zip_fclose(zf);
    free(buf);
    return NULL;
}

/* Opens [data] with libzip ([flags] added to read-only). libzip refuses duplicate
 * names in its consistency check without saying which: then the archive is
 * opened again without the check to name the entry. */
static zip_t *open_zip(const uint8_t *data, size_t len, int flags, const char *on, CfError *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *za = NULL;
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src)
        za = zip_open_from_source(src, ZIP_RDONLY | flags, &ze);
    if (!za) {
        if (src)
            zip_source_free(src);
        if (zip_error_code_zip(&ze) == ZIP_ER_EXISTS && (flags & ZIP_CHECKCONS)) {
            zip_t *loose = open_zip(data, len, 0, on, err);
            zip_int64_t n = loose ? zip_get_num_entries(loose, 0) : 0;
            for (zip_int64_t i = 0; i < n; i++) {
                const char *name = zip_get_name(loose, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
                for (zip_int64_t j = 0; name && j < i; j++) {
                    const char *other = zip_get_name(loose, (zip_uint64_t)j, ZIP_FL_ENC_RAW);
                    if (other && strcmp(name, other) == 0) {
                        fail_msg(err, on, name, "duplicate entry");
                        zip_discard(loose);
                        zip_error_fini(&ze);
                        return NULL;
                    }
                }
            }
            if (loose)
                zip_discard(loose);
        }
        fail_msg(err, on, NULL, "not a valid .mar (zip) archive: %s", zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    return za;
}

CfArchive *cf_archive_read(const uint8_t *data, size_t len, const char *origin, CfError *err)
{
    const char *on = origin ? origin : "archive";
    zip_t *za = NULL;
    uint8_t *manifest = NULL;
    size_t manifest_len = 0;
    bool have_manifest = false;
    CfArchive *a = cm_calloc(1, sizeof *a);
    if (!a || !(a->origin = dup_n(on, strlen(on)))) {
        free(a);
        fail_msg(err, on, NULL, "out of memory");
        return NULL;
    }
    if (len > CF_AR_MAX_FILE_SIZE) {
        fail_msg(err, on, NULL, "archive of %zu bytes is over the limit of %u", len,
                 CF_AR_MAX_FILE_SIZE);
        goto fail;
    }
    if (len == 0) {
        fail_msg(err, on, NULL, "not a valid .mar (zip) archive: empty file");
        goto fail;
    }
    if (!cf_zip_lib()) {
        fail_msg(err, on, NULL, "%s", cf_zip_lib_error());
        goto fail;
    }
    za = open_zip(data, len, ZIP_CHECKCONS, on, err);
    if (!za)
        goto fail;
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || (zip_uint64_t)n > CF_AR_MAX_ENTRIES) {
        fail_msg(err, on, NULL, "%lld entries, over the limit of %u", (long long)n,
                 CF_AR_MAX_ENTRIES);
        goto fail;
    }
    a->entries = cm_calloc(n ? (size_t)n : 1, sizeof *a->entries);
    if (!a->entries) {
        fail_msg(err, on, NULL, "out of memory");
        goto fail;
    }
    /* first every header: names, encryption, methods, sizes; nothing inflated yet */
    uint64_t total = 0;
    for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        const char *name = zip_get_name(za, i, ZIP_FL_ENC_RAW);
        if (!name || zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) != 0) {
            fail_msg(err, on, NULL, "entry %llu: unreadable header: %s",
                     (unsigned long long)i, zip_strerror(za));
            goto fail;
        }
        size_t nlen = strlen(name);
        bool is_dir = nlen > 0 && name[nlen - 1] == '/';
        const char *why = cf_archive_bad_name(name, is_dir ? nlen - 1 : nlen);
        if (why) {
            fail_msg(err, on, name, "%s", why);
            goto fail;
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            fail_msg(err, on, name, "encrypted entries are not supported");
            goto fail;
        }
        if (!(st.valid & ZIP_STAT_COMP_METHOD) ||
            (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)) {
            fail_msg(err, on, name, "unsupported compression method %d (only stored and "
                     "deflate are)", (int)st.comp_method);
            goto fail;
        }
        if (!(st.valid & ZIP_STAT_SIZE) || st.size > CF_AR_MAX_ENTRY_SIZE) {
            fail_msg(err, on, name, "uncompressed size %llu is over the limit of %u bytes",
                     (unsigned long long)st.size, CF_AR_MAX_ENTRY_SIZE);
            goto fail;
        }
        total += st.size;
        if (total > CF_AR_MAX_TOTAL_SIZE) {
            fail_msg(err, on, name, "total uncompressed size is over the limit of %u bytes",
                     CF_AR_MAX_TOTAL_SIZE);
            goto fail;
        }
        if (is_dir && st.size != 0) {
            fail_msg(err, on, name, "a directory entry with data");
            goto fail;
        }
    }
    /* then the data, each entry's size and CRC checked as it is inflated */
    for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        const char *name = zip_get_name(za, i, ZIP_FL_ENC_RAW);
        if (!name || zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) != 0) {
            fail_msg(err, on, NULL, "entry %llu: unreadable header", (unsigned long long)i);
            goto fail;
        }
        size_t nlen = strlen(name);
        if (nlen > 0 && name[nlen - 1] == '/')
            continue;
        uint8_t *bytes = read_entry(za, i, (size_t)st.size, on, name, err);
        if (!bytes)
            goto fail;
        if (strcmp(name, CF_AR_MANIFEST) == 0) {
            if (have_manifest) {
                free(bytes);
                fail_msg(err, on, name, "duplicate entry");
                goto fail;
            }
            have_manifest = true;
            manifest = bytes;
            manifest_len = (size_t)st.size;
            continue;
        }
        CfArEntry *e = &a->entries[a->nentries];
        e->name = dup_n(name, nlen);
        e->data = bytes;
        e->len = (size_t)st.size;
        if (!e->name) {
            free(bytes);
            fail_msg(err, on, name, "out of memory");
            goto fail;
        }
        a->nentries++;
    }
    if (a->nentries > 1)
        qsort(a->entries, a->nentries, sizeof *a->entries, cmp_entry);
    for (size_t i = 1; i < a->nentries; i++) {
        if (strcmp(a->entries[i - 1].name, a->entries[i].name) == 0) {
            fail_msg(err, on, a->entries[i].name, "duplicate entry");
            goto fail;
        }
    }
    /* a directory entry and a file of the same name would be a duplicate too */
    for (size_t i = 0; i < a->nentries; i++) {
        char probe[CF_AR_MAX_NAME_LEN + 2];
        snprintf(probe, sizeof probe, "%s/", a->entries[i].name);
        if (zip_name_locate(za, probe, ZIP_FL_ENC_RAW) >= 0) {
            fail_msg(err, on, a->entries[i].name, "duplicate entry (also a directory)");
            goto fail;
        }
    }
    if (!have_manifest) {
        fail_msg(err, on, CF_AR_MANIFEST, "missing (every archive has a manifest)");
        goto fail;
    }
    if (manifest_parse(manifest, manifest_len, on, &a->manifest, err) < 0)
        goto fail;
    if (a->manifest.main_class) {
        char probe[CF_MAX_NAME_LEN + 8];
        snprintf(probe, sizeof probe, "%s", a->manifest.main_class);
        if (!cf_archive_find_class(a, probe)) {
            fail_msg(err, on, CF_AR_MANIFEST, "bad manifest: main class %s is not in the "
                     "archive", a->manifest.main_class);
            goto fail;
        }
    }
    free(manifest);
    zip_discard(za);
    return a;
fail:
    free(manifest);
    if (za)
        zip_discard(za);
    cf_archive_free(a);
    return NULL;
}

CfArchive *cf_archive_read_file(const char *path, CfError *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    CfError ferr;
    if (cf_read_file(path, CF_AR_MAX_FILE_SIZE, &buf, &len, &ferr, NULL) < 0) {
        snprintf(err->msg, sizeof err->msg, "%s", ferr.msg);
        return NULL;
    }
    CfArchive *a = cf_archive_read(buf, len, path, err);
    free(buf);
    return a;
}

const CfArEntry *cf_archive_find(const CfArchive *a, const char *name)
{
    size_t lo = 0, hi = a->nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(a->entries[mid].name, name);
        if (c == 0)
            return &a->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const CfArEntry *cf_archive_find_class(const CfArchive *a, const char *internal_name)
{
    size_t n = strlen(internal_name);
    if (n == 0 || n > CF_AR_MAX_NAME_LEN)
        return NULL;
    char name[CF_AR_MAX_NAME_LEN + 8];
    memcpy(name, internal_name, n);
    memcpy(name + n, ".mcl", 5);
    return cf_archive_find(a, name);
}

/* ---- writing ------------------------------------------------------------------- */

/* The manifest's text (malloc'd). */
static char *manifest_text(const CfArManifest *m, size_t *len)
{
    size_t cap = 128 + (m->main_class ? strlen(m->main_class) : 0) +
                 (m->created_by ? strlen(m->created_by) : 0);
    for (size_t i = 0; i < m->nrequires; i++)
        cap += strlen(m->requires[i]) + 2;
    char *t = cm_malloc(cap);
    if (!t)
        return NULL;
    size_t o = (size_t)snprintf(t, cap, "Mica-Archive: %d\n", CF_AR_VERSION);
    if (m->created_by)
        o += (size_t)snprintf(t + o, cap - o, "Created-By: %s\n", m->created_by);
    if (m->main_class) {
        o += (size_t)snprintf(t + o, cap - o, "Main-Class: ");
        for (const char *s = m->main_class; *s; s++)
            t[o++] = *s == '/' ? '.' : *s;
        t[o++] = '\n';
    }
    if (m->nrequires) {
        o += (size_t)snprintf(t + o, cap - o, "Requires: ");
        for (size_t i = 0; i < m->nrequires; i++)
            o += (size_t)snprintf(t + o, cap - o, "%s%s", i ? ", " : "", m->requires[i]);
        t[o++] = '\n';
    }
    t[o] = 0;
    *len = o;
    return t;
}

/* Adds one entry with the fixed metadata that makes archives reproducible. */
static int add_entry(zip_t *za, const char *name, const void *data, size_t len, CfError *err)
{
    zip_source_t *s = zip_source_buffer(za, len ? data : (const void *)"", len, 0);
    if (!s) {
        fail_msg(err, "archive", name, "cannot add: %s", zip_strerror(za));
        return -1;
    }
    zip_int64_t idx = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(s);
        fail_msg(err, "archive", name, "cannot add: %s", zip_strerror(za));
        return -1;
    }
    /* 1980-01-01 00:00:00, the earliest DOS time: no clock in the output */
    if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) != 0 ||
        zip_file_set_dostime(za, (zip_uint64_t)idx, 0, (0 << 9) | (1 << 5) | 1, 0) != 0 ||
        zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                         (zip_uint32_t)0100644 << 16) != 0) {
        fail_msg(err, "archive", name, "cannot set attributes: %s", zip_strerror(za));
        return -1;
    }
    return 0;
}

static int cmp_entry_ptr(const void *a, const void *b)
{
    return strcmp((*(const CfArEntry *const *)a)->name, (*(const CfArEntry *const *)b)->name);
}

int cf_archive_write(const CfArManifest *m, const CfArEntry *entries, size_t n,
                     uint8_t **out, size_t *len, CfError *err)
{
    int rc = -1;
    zip_t *za = NULL;
    char *mtext = NULL;
    size_t mlen = 0;
    const CfArEntry **sorted = NULL;
    zip_error_t ze;
    *out = NULL;
    *len = 0;
    if (!cf_zip_lib()) {
        fail_msg(err, "archive", NULL, "%s", cf_zip_lib_error());
        return -1;
    }
    zip_error_init(&ze);
    if (n > CF_AR_MAX_ENTRIES) {
        fail_msg(err, "archive", NULL, "%zu entries, over the limit of %u", n,
                 CF_AR_MAX_ENTRIES);
        goto done;
    }
    sorted = cm_malloc((n ? n : 1) * sizeof *sorted);
    mtext = manifest_text(m, &mlen);
    if (!sorted || !mtext) {
        fail_msg(err, "archive", NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const char *why = cf_archive_bad_name(entries[i].name, strlen(entries[i].name));
        if (!why && strncmp(entries[i].name, "META-INF/", 9) == 0)
            why = "META-INF/ is reserved for the manifest";
        if (why) {
            fail_msg(err, "archive", entries[i].name, "%s", why);
            goto done;
        }
        if (entries[i].len > CF_AR_MAX_ENTRY_SIZE) {
            fail_msg(err, "archive", entries[i].name, "%zu bytes, over the limit of %u",
                     entries[i].len, CF_AR_MAX_ENTRY_SIZE);
            goto done;
        }
        sorted[i] = &entries[i];
    }
    if (n > 1)
        qsort(sorted, n, sizeof *sorted, cmp_entry_ptr);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(sorted[i - 1]->name, sorted[i]->name) == 0) {
            fail_msg(err, "archive", sorted[i]->name, "duplicate entry");
            goto done;
        }
    }
    zip_source_t *dst = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!dst) {
        fail_msg(err, "archive", NULL, "cannot create: %s", zip_error_strerror(&ze));
        goto done;
    }
    zip_source_keep(dst); /* still ours after zip_close, to read the result */
    za = zip_open_from_source(dst, ZIP_TRUNCATE, &ze);
    if (!za) {
        fail_msg(err, "archive", NULL, "cannot create: %s", zip_error_strerror(&ze));
        zip_source_free(dst);
        zip_source_free(dst);
        goto done;
    }
    if (add_entry(za, CF_AR_MANIFEST, mtext, mlen, err) < 0)
        goto close_fail;
    for (size_t i = 0; i < n; i++)
        if (add_entry(za, sorted[i]->name, sorted[i]->data, sorted[i]->len, err) < 0)
            goto close_fail;
    if (zip_close(za) != 0) {
        fail_msg(err, "archive", NULL, "cannot write: %s", zip_strerror(za));
        goto close_fail;
    }
    za = NULL;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(dst, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        zip_source_open(dst) != 0) {
        fail_msg(err, "archive", NULL, "cannot read back the archive");
        zip_source_free(dst);
        goto done;
    }
    *out = cm_malloc(st.size ? st.size : 1);
    zip_int64_t got = *out ? zip_source_read(dst, *out, st.size) : -1;
    zip_source_close(dst);
    zip_source_free(dst);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(*out);
        *out = NULL;
        fail_msg(err, "archive", NULL, "cannot read back the archive");
        goto done;
    }
    *len = (size_t)st.size;
    rc = 0;
    goto done;
close_fail:
    zip_discard(za);
    zip_source_free(dst);
done:
    zip_error_fini(&ze);
    free(sorted);
    free(mtext);
    return rc;
}
