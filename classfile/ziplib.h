/* classfile/ziplib.h: libzip, loaded with dlopen the first time an archive is
 * read or written. Linked in, libzip and the libraries it needs (libcrypto
 * among them) were mapped into every run and more than doubled the start-up
 * memory of a program that uses no archive. archive.c calls libzip through
 * this table; the header of libzip is still needed to build. */
#ifndef MICA_CF_ZIPLIB_H
#define MICA_CF_ZIPLIB_H

#include <zip.h>

/* Every libzip function archive.c (and its tests) call. */
#define CF_ZIP_FUNCS(X)                                                                   \
    X(zip_close) X(zip_discard) X(zip_error_code_zip) X(zip_error_fini) X(zip_error_init)  \
    X(zip_error_strerror) X(zip_fclose) X(zip_file_add) X(zip_file_get_error)              \
    X(zip_file_set_dostime) X(zip_file_set_external_attributes) X(zip_fopen_index)         \
    X(zip_fread) X(zip_get_name) X(zip_get_num_entries) X(zip_name_locate)                 \
    X(zip_open_from_source) X(zip_set_file_compression) X(zip_source_buffer)               \
    X(zip_source_buffer_create) X(zip_source_close) X(zip_source_free) X(zip_source_keep)  \
    X(zip_source_open) X(zip_source_read) X(zip_source_stat) X(zip_stat_index)             \
    X(zip_stat_init) X(zip_strerror)

typedef struct CfZipLib {
#define CF_ZIP_MEMBER(name) __typeof__(name) *name;
    CF_ZIP_FUNCS(CF_ZIP_MEMBER)
#undef CF_ZIP_MEMBER
} CfZipLib;

/* libzip's functions, loaded on the first call (thread-safe; the library stays
 * loaded for the process), or NULL when it cannot be loaded: then
 * cf_zip_lib_error() says why. */
const CfZipLib *cf_zip_lib(void);
const char *cf_zip_lib_error(void);

#endif
