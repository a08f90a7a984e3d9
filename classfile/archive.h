/* classfile/archive.h: the .mar archive (spec/archive.md): a zip file of class
 * files, resources and a manifest, read and written with libzip.
 *
 * Reading checks the whole archive up front (names, duplicates, encryption,
 * compression, sizes, CRCs, the manifest) and keeps every entry's bytes in
 * memory, so nothing later touches the zip structure again. Every refusal
 * names the archive and, where there is one, the entry.
 */
#ifndef MICA_ARCHIVE_H
#define MICA_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classfile.h"

#define CF_AR_VERSION        1                   /* Mica-Archive: in the manifest   */
#define CF_AR_MANIFEST       "META-INF/MANIFEST"
#define CF_AR_MAX_ENTRY_SIZE (64u << 20)         /* uncompressed bytes of one entry */
#define CF_AR_MAX_TOTAL_SIZE (256u << 20)        /* uncompressed bytes of all       */
#define CF_AR_MAX_FILE_SIZE  (300u << 20)        /* bytes of the archive itself     */
#define CF_AR_MAX_ENTRIES    65535u
#define CF_AR_MAX_NAME_LEN   1024u               /* bytes in an entry name          */
#define CF_AR_MAX_MANIFEST   (64u << 10)         /* bytes of the manifest           */
#define CF_AR_MAX_REQUIRES   64u                 /* archives named by Requires:     */

/* One file inside an archive. [name] is the entry's path ("app/Main.mcl"). */
typedef struct CfArEntry {
    char *name;
    uint8_t *data;
    size_t len;
} CfArEntry;

/* The manifest's fields. */
typedef struct CfArManifest {
    uint32_t version;         /* Mica-Archive                                     */
    char *main_class;         /* Main-Class as an internal name, or NULL          */
    char *created_by;         /* Created-By, or NULL                              */
    char **requires;          /* Requires: archive file names, in order           */
    size_t nrequires;
} CfArManifest;

/* An archive read into memory. Entries are sorted by name (byte order); the
 * manifest is not among them. */
typedef struct CfArchive {
    char *origin;             /* the name messages use (a path, or the host's name) */
    CfArManifest manifest;
    CfArEntry *entries;
    size_t nentries;
} CfArchive;

/* Reads the archive in [data] ([len] bytes, not kept). [origin] names it in
 * messages ("app.mar"; NULL: "archive"). Returns a new archive (free with
 * cf_archive_free) or NULL with [err] filled: "ORIGIN: entry 'NAME': why". */
CfArchive *cf_archive_read(const uint8_t *data, size_t len, const char *origin, CfError *err);

/* Reads the archive file at [path] (named by [path] in messages). */
CfArchive *cf_archive_read_file(const char *path, CfError *err);

void cf_archive_free(CfArchive *a);

/* The entry called [name], or NULL. */
const CfArEntry *cf_archive_find(const CfArchive *a, const char *name);

/* The class file of [internal_name] ("pkg/Name" -> entry "pkg/Name.mcl"), or NULL. */
const CfArEntry *cf_archive_find_class(const CfArchive *a, const char *internal_name);

/* True for entries that hold class files: "*.mcl" outside META-INF/. */
bool cf_archive_is_class_entry(const char *name);

/* Checks an entry name against the rules of spec/archive.md; NULL if it is
 * acceptable, else a static string saying why not. */
const char *cf_archive_bad_name(const char *name, size_t len);

/* Writes an archive of [entries] ([n], in any order; names must be distinct and
 * acceptable) with manifest [m] (version ignored: this writer's). The output is
 * reproducible: entries sorted by name after the manifest, a fixed timestamp,
 * fixed attributes, deflate at a fixed level. On success *[out] is a malloc'd
 * buffer of *[len] bytes; returns 0. -1 with [err] filled otherwise. */
int cf_archive_write(const CfArManifest *m, const CfArEntry *entries, size_t n,
                     uint8_t **out, size_t *len, CfError *err);

#endif
