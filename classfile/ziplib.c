/* classfile/ziplib.c: loading libzip on first use (see ziplib.h); the
 * loading itself is common/cm_dlib.c. */
#include "ziplib.h"

#include <pthread.h>

#include "cm_dlib.h"

static const char *const zip_names[] = {"libzip.so.5", "libzip.so.4", "libzip.so", NULL};
static const char *const zip_symbols[] = {CF_ZIP_FUNCS(CM_DLIB_NAME) NULL};
static CmDlib zip_lib = {.what = "libzip", .names = zip_names, .symbols = zip_symbols};
static CfZipLib zip_table;
static pthread_once_t zip_once = PTHREAD_ONCE_INIT;

static void zip_load(void)
{
    cm_dlib_open(&zip_lib, &zip_table, sizeof zip_table);
}

const CfZipLib *cf_zip_lib(void)
{
    pthread_once(&zip_once, zip_load);
    return zip_lib.loaded ? &zip_table : NULL;
}

const char *cf_zip_lib_error(void)
{
    pthread_once(&zip_once, zip_load);
    return zip_lib.loaded ? "" : zip_lib.error;
}
