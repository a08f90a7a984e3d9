/* vm/source.h: where classes and resources come from (spec/archive.md,
 * "Class sources"), searched in one defined order:
 *   1. class files the host handed over as bytes (mica_load_bytes),
 *   2. archives the host loaded (mica_load_archive*), in load order, each
 *      followed by the archives its manifest requires,
 *   3. the class path of MicaConfig: directories and .mar archives, in order,
 *   4. the standard library embedded in the VM.
 * Names under std/ come only from 4: the standard library is sealed, and a
 * directory or archive that offers one is refused (vm_refuse_sealed).
 */
#ifndef MICA_VM_SOURCE_H
#define MICA_VM_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "classfile.h"
#include "mica.h"

typedef enum VmSourceKind {
    VM_SOURCE_DIR,         /* a directory of pkg/Name.mcl files              */
    VM_SOURCE_ARCHIVE,     /* a .mar archive, read whole when first searched */
} VmSourceKind;

typedef struct VmSource {
    VmSourceKind kind;
    char *path;            /* the directory, or the archive's path or name    */
    CfArchive *archive;    /* ARCHIVE: NULL until opened                      */
    char *error;           /* ARCHIVE: why it could not be opened (sticky)    */
    bool from_host;        /* group 2 (else group 3)                          */
} VmSource;

/* The sources of one VM. */
typedef struct VmSources {
    VmSource *v;
    size_t n, cap;
    size_t nhost;          /* v[0..nhost) are group 2                         */
    CfError why;           /* vm_sources_resource's last message              */
} VmSources;

/* Adds the class path entries of the configuration (group 3). A regular file
 * is an archive; anything else a directory. 0, or -1 out of memory. */
int vm_sources_init(MicaVM *vm, const char *const *paths, size_t n);
void vm_sources_free(MicaVM *vm);

/* Finds and reads the class file of [name] in groups 3..4 (group 1 is the VM's
 * pending list; group 2 comes first among the sources). NULL with *[st]
 * MICA_OK when no source has it; NULL with *[st] set and the VM's error
 * naming file (archive and entry) otherwise. *[is_std]: it came from the
 * embedded standard library. *[origin] gets where it came from (the file path, or
 * "ARCHIVE:ENTRY"; NULL for the embedded library), malloc'd, for later messages. */
CfClass *vm_sources_find_class(MicaVM *vm, const char *name, bool *is_std, char **origin,
                               MicaStatus *st);

/* Adds archive [a] (ownership taken, also on failure) as a host archive and
 * then the archives its manifest requires, resolved next to [dir] (NULL: the
 * required archives must already be loaded). */
MicaStatus vm_sources_add_archive(MicaVM *vm, CfArchive *a, const char *dir);

/* Looks up resource [name] ("data/words.txt") in the archives and
 * directories, in source order. Returns 1 with *[data] (malloc'd copy) and
 * *[len], 0 when there is none, -1 on a bad name, an unreadable or over-size
 * resource (*[why] says which, valid until the next call), or -1 with *[why]
 * NULL and OutOfMemoryError pending when the bytes would pass the heap cap
 * (checked before they are copied). */
int vm_sources_resource(MicaVM *vm, const char *name, uint8_t **data, size_t *len,
                        const char **why);

#endif
