/* stdlib/natives/utf8proc_lib.c: loading utf8proc on first use (see
 * utf8proc_lib.h); the loading itself is common/cm_dlib.c. */
#include "utf8proc_lib.h"

#include <pthread.h>

#include "cm_dlib.h"

static const char *const utf8proc_names[] = {"libutf8proc.so.3", "libutf8proc.so.2", "libutf8proc.so", NULL};
static const char *const utf8proc_symbols[] = {STD_UTF8PROC_FUNCS(CM_DLIB_NAME) NULL};
static CmDlib utf8proc_lib = {.what = "utf8proc", .names = utf8proc_names, .symbols = utf8proc_symbols};
static StdUtf8proc utf8proc_table;
static pthread_once_t utf8proc_once = PTHREAD_ONCE_INIT;

static void utf8proc_load(void)
{
    cm_dlib_open(&utf8proc_lib, &utf8proc_table, sizeof utf8proc_table);
}

const StdUtf8proc *std_utf8proc(void)
{
    pthread_once(&utf8proc_once, utf8proc_load);
    return utf8proc_lib.loaded ? &utf8proc_table : NULL;
}

const char *std_utf8proc_error(void)
{
    pthread_once(&utf8proc_once, utf8proc_load);
    return utf8proc_lib.loaded ? "" : utf8proc_lib.error;
}
