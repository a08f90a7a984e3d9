/* gc/heap.c: Boehm GC initialisation, allocation kinds and per-VM accounting. */
#include "heap.h"

#include <pthread.h>
#include <string.h>

#define GC_THREADS 1
#include <gc.h>

/* The one process-wide exception to "no global mutable state": Boehm's heap is
 * shared by every VM in the process and must be initialised exactly once. */
static pthread_once_t gc_once = PTHREAD_ONCE_INIT;

/* Allocation failure must come back as NULL, never as an abort. */
static void *gc_oom(size_t n)
{
    (void)n;
    return NULL;
}

static void gc_init_process(void)
{
    GC_INIT();
    GC_set_oom_fn(gc_oom);
}

bool gc_heap_init(GcHeap *h)
{
    pthread_once(&gc_once, gc_init_process);
    memset(h, 0, sizeof *h);
    return true;
}

static bool gc_account(GcHeap *h, size_t n)
{
    if (!h)
        return true;
    if (h->limit && (n > h->limit || h->allocated > h->limit - n))
        return false;
    h->allocated += n;
    h->nallocs++;
    return true;
}

void *gc_alloc(GcHeap *h, size_t n)
{
    if (!gc_account(h, n))
        return NULL;
    /* GC_MALLOC returns cleared memory. */
    return GC_MALLOC(n ? n : 1);
}

void *gc_alloc_atomic(GcHeap *h, size_t n)
{
    if (!gc_account(h, n))
        return NULL;
    void *p = GC_MALLOC_ATOMIC(n ? n : 1);
    if (p)
        memset(p, 0, n);
    return p;
}

void *gc_alloc_root(GcHeap *h, size_t n)
{
    if (!gc_account(h, n))
        return NULL;
    return GC_MALLOC_UNCOLLECTABLE(n ? n : 1);
}

void gc_free_root(void *p)
{
    if (p)
        GC_FREE(p);
}

void gc_collect(void)
{
    GC_gcollect();
}
