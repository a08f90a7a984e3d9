/* common/cm_mem.c: the wrapper for C memory (common/cm_mem.h): size limits and the
 * failure-injection hook in one place. */
#include "cm_mem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The hook and its argument, set together by cm_set_alloc_hook (tests only). */
typedef struct CmHook {
    CmAllocHook fn;
    void *ud;
} CmHook;

static CmHook hook_slots[2];
static _Atomic(CmHook *) hook_now; /* NULL, or one of hook_slots */
static atomic_uint hook_next;

void cm_set_alloc_hook(CmAllocHook hook, void *ud)
{
    if (!hook) {
        atomic_store(&hook_now, NULL);
        return;
    }
    CmHook *h = &hook_slots[atomic_fetch_add(&hook_next, 1) & 1];
    h->fn = hook;
    h->ud = ud;
    atomic_store(&hook_now, h);
}

/* May an allocation of [size] bytes go ahead? */
static bool allowed(size_t size)
{
    if (size > CM_MAX_ALLOC)
        return false;
    CmHook *h = atomic_load_explicit(&hook_now, memory_order_acquire);
    return !h || h->fn(size, h->ud);
}

void *cm_malloc(size_t size)
{
    return allowed(size) ? malloc(size) : NULL;
}

void *cm_calloc(size_t n, size_t size)
{
    if (size && n > CM_MAX_ALLOC / size)
        return NULL;
    return allowed(n * size) ? calloc(n, size) : NULL;
}

void *cm_realloc(void *p, size_t size)
{
    return allowed(size) ? realloc(p, size) : NULL;
}

char *cm_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = cm_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void cm_free(void *p)
{
    free(p);
}
