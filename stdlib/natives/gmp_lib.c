/* stdlib/natives/gmp_lib.c: loading GMP on first use (see gmp_lib.h); the
 * loading itself is common/cm_dlib.c. */
#include "gmp_lib.h"

#include <pthread.h>

#include "cm_dlib.h"

static const char *const gmp_names[] = {"libgmp.so.10", "libgmp.so", NULL};
static const char *const gmp_symbols[] = {STD_GMP_FUNCS(CM_DLIB_NAME) NULL};
static CmDlib gmp_lib = {.what = "GMP", .names = gmp_names, .symbols = gmp_symbols};
static StdGmp gmp_table;
static pthread_once_t gmp_once = PTHREAD_ONCE_INIT;

static void gmp_load(void)
{
    cm_dlib_open(&gmp_lib, &gmp_table, sizeof gmp_table);
}

const StdGmp *std_gmp(void)
{
    pthread_once(&gmp_once, gmp_load);
    return gmp_lib.loaded ? &gmp_table : NULL;
}

const char *std_gmp_error(void)
{
    pthread_once(&gmp_once, gmp_load);
    return gmp_lib.loaded ? "" : gmp_lib.error;
}
