/* stdlib/natives/pcre2_lib.c: loading PCRE2 on first use (see pcre2_lib.h);
 * the loading itself is common/cm_dlib.c. */
#include "pcre2_lib.h"

#include <pthread.h>

#include "cm_dlib.h"

static const char *const pcre2_names[] = {"libpcre2-8.so.0", "libpcre2-8.so", NULL};
static const char *const pcre2_symbols[] = {STD_PCRE2_FUNCS(CM_DLIB_NAME) NULL};
static CmDlib pcre2_lib = {.what = "PCRE2", .names = pcre2_names, .symbols = pcre2_symbols};
static StdPcre2 pcre2_table;
static pthread_once_t pcre2_once = PTHREAD_ONCE_INIT;

static void pcre2_load(void)
{
    cm_dlib_open(&pcre2_lib, &pcre2_table, sizeof pcre2_table);
}

const StdPcre2 *std_pcre2(void)
{
    pthread_once(&pcre2_once, pcre2_load);
    return pcre2_lib.loaded ? &pcre2_table : NULL;
}

const char *std_pcre2_error(void)
{
    pthread_once(&pcre2_once, pcre2_load);
    return pcre2_lib.loaded ? "" : pcre2_lib.error;
}
