/* gc/heap.c: Boehm GC initialisation, allocation kinds and per-VM accounting. */
#include "heap.h"

#include <pthread.h>
#include <string.h>

#define GC_THREADS 1
#include <gc.h>
#include <gc/gc_mark.h>

#include "cm_stack.h"

/* The one process-wide exception to "no global mutable state": Boehm's heap is
 * shared by every VM in the process and must be initialised exactly once. */
static pthread_once_t gc_once = PTHREAD_ONCE_INIT;

/* The second exception, same reason: Boehm has one push-other-roots hook per
 * process, so the scanners of all VMs hang off one list. It is only read or
 * changed with Boehm's allocation lock held (GC_call_with_alloc_lock, and the
 * hook itself runs under it), so no lock of our own can deadlock a collection. */
static GcScanner gc_scanners = {NULL, NULL, &gc_scanners, &gc_scanners};
static GC_push_other_roots_proc gc_prev_push;

static void GC_CALLBACK gc_push_scanners(void)
{
    if (gc_prev_push)
        gc_prev_push();
    for (GcScanner *s = gc_scanners.next; s != &gc_scanners; s = s->next)
        s->scan(s->arg);
}

/* Allocation failure must come back as NULL, never as an abort. */
static void *gc_oom(size_t n)
{
    (void)n;
    return NULL;
}

/* Threads: Boehm (built with thread support) must know every thread that
 * allocates or holds pointers. The library registers threads itself, so hosts
 * need not define GC_THREADS or use GC_pthread_create. A key's destructor
 * unregisters a thread when it exits; the thread-local flag makes the check
 * at every entry point one load. */
static pthread_key_t gc_thread_key;
static _Thread_local bool gc_thread_known __attribute__((tls_model("initial-exec")));

static void gc_thread_exit(void *arg)
{
    (void)arg;
    if (GC_thread_is_registered())
        GC_unregister_my_thread();
}

static void gc_init_process(void)
{
    /* The stack top Boehm would find itself (pthread_getattr_np, which reads
     * /proc/self/maps on the initial thread), measured where the VM measures
     * the same stack's bottom (cm_thread_stack), so it is done once. */
    uintptr_t lo, hi;
    if (cm_thread_stack(&lo, &hi)) {
        struct GC_stack_base sb = {(void *)hi};
        GC_set_stackbottom(NULL, &sb);
    }
    /* Marking on the thread that collects only: GC_allow_register_threads
     * (below) would otherwise start a marker thread per further core and wait
     * until each runs, at every start-up, which was a third of a small
     * program's time on a loaded 2-core machine, while no Are-We-Fast-Yet
     * benchmark collected faster with the extra marker (bench/README.md).
     * GC_MARKERS=N in the environment still asks Boehm for N. */
    GC_set_markers_count(1);
    /* GC_INIT collects the empty heap once: that scan of every library's
     * static data black-lists the heap pages they seem to point at before the
     * first object is placed. Skipping it (GC_set_dont_precollect) saved 160 K
     * of hello's instructions but let early objects land where false pointers
     * point: Storage, whose trees are all reachable from such objects, then
     * ran 1.3 times as long with the JIT and 1.2 times without (bench/README.md). */
    GC_INIT();
    GC_allow_register_threads();
    pthread_key_create(&gc_thread_key, gc_thread_exit);
    GC_set_oom_fn(gc_oom);
    gc_prev_push = GC_get_push_other_roots();
    GC_set_push_other_roots(gc_push_scanners);
}

static void *gc_link_scanner(void *arg)
{
    GcScanner *s = arg;
    s->prev = &gc_scanners;
    s->next = gc_scanners.next;
    gc_scanners.next->prev = s;
    gc_scanners.next = s;
    return NULL;
}

static void *gc_unlink_scanner(void *arg)
{
    GcScanner *s = arg;
    s->prev->next = s->next;
    s->next->prev = s->prev;
    s->prev = s->next = NULL;
    return NULL;
}

void gc_add_scanner(GcScanner *s)
{
    pthread_once(&gc_once, gc_init_process);
    GC_call_with_alloc_lock(gc_link_scanner, s);
}

void gc_remove_scanner(GcScanner *s)
{
    if (s && s->next)
        GC_call_with_alloc_lock(gc_unlink_scanner, s);
}

void gc_push_range(void *lo, void *hi)
{
    if (lo < hi)
        GC_push_all_eager(lo, hi);
}

int gc_thread_attach(void)
{
    if (gc_thread_known)
        return 0;
    pthread_once(&gc_once, gc_init_process);
    if (!GC_thread_is_registered()) {
        struct GC_stack_base sb;
        if (GC_get_stack_base(&sb) != GC_SUCCESS)
            return -1;
        int r = GC_register_my_thread(&sb);
        if (r != GC_SUCCESS && r != GC_DUPLICATE)
            return -1;
    }
    /* unregistered at exit (the thread that initialised Boehm included) */
    pthread_setspecific(gc_thread_key, (void *)1);
    gc_thread_known = true;
    return 0;
}

void gc_thread_detach(void)
{
    if (!gc_thread_known)
        return;
    gc_thread_known = false;
    pthread_setspecific(gc_thread_key, NULL);
    if (GC_thread_is_registered())
        GC_unregister_my_thread();
}

int gc_set_finalizer(void *obj, void (*fn)(void *obj, void *arg), void *arg)
{
    GC_register_finalizer_no_order(obj, (GC_finalization_proc)fn, arg, NULL, NULL);
    return 0;
}

bool gc_clear_finalizer(void *obj)
{
    GC_finalization_proc ofn = 0;
    void *ocd = NULL;
    GC_register_finalizer_no_order(obj, 0, NULL, &ofn, &ocd);
    return ofn != 0;
}

void gc_process_stats(size_t *heap_size, uint64_t *collections)
{
    pthread_once(&gc_once, gc_init_process);
    *heap_size = GC_get_heap_size();
    *collections = (uint64_t)GC_get_gc_no();
}

size_t gc_object_size(const void *p)
{
    void *b = GC_base((void *)p);
    return b == p ? GC_size(b) : 0;
}

bool gc_heap_init(GcHeap *h)
{
    pthread_once(&gc_once, gc_init_process);
    memset(h, 0, sizeof *h);
    return true;
}

size_t gc_reserve_of(size_t limit)
{
    size_t r = limit / 32;
    return r < (64u << 10) ? (64u << 10) : r > (4u << 20) ? (4u << 20) : r;
}

/* Would [n] more bytes fit under [cap] (no overflow)? */
static bool gc_fits(const GcHeap *h, size_t cap, size_t n)
{
    return n <= cap && h->external <= cap - n && h->allocated <= cap - n - h->external;
}

/* Bytes in use in the collected heap after a collection (process-wide). */
static size_t gc_in_use(void)
{
    size_t heap = GC_get_heap_size(), free_bytes = GC_get_free_bytes();
    return heap > free_bytes ? heap - free_bytes : 0;
}

static bool gc_admit(GcHeap *h, size_t n)
{
    if (h->limit && !gc_fits(h, h->limit, n)) {
        /* The count only grows between walks: restart it from what the
         * owner still reaches (its own objects only, so other VMs' data
         * never counts), or without a walker from Boehm's process-wide
         * figure after a collection. */
        if (h->measure) {
            h->allocated = h->measure(h->measure_arg);
        } else {
            GC_gcollect();
            h->allocated = gc_in_use();
        }
        if (gc_fits(h, h->limit, n)) {
            h->reserve_top = 0;
        } else if (!h->reserve_top) {
            /* The first failure raises OutOfMemoryError; from now on a
             * reserve above what is in use lets its handlers allocate (as a
             * JVM's headroom does), until a collection gets back under. */
            h->reserve_top = h->allocated + gc_reserve_of(h->limit);
            return false;
        } else if (!gc_fits(h, h->reserve_top, n)) {
            return false;
        }
    }
    return true;
}

static bool gc_account(GcHeap *h, size_t n)
{
    if (!h)
        return true;
    if (!gc_admit(h, n))
        return false;
    h->allocated += n;
    h->nallocs++;
    /* the stress mode: a full collection every [stress] allocations, so a
     * reference the collector cannot see is freed (and its use shows) soon */
    if (h->stress && h->nallocs % h->stress == 0)
        GC_gcollect();
    return true;
}

bool gc_can_alloc(GcHeap *h, size_t n)
{
    return !h || gc_admit(h, n);
}

bool gc_hold(GcHeap *h, size_t n)
{
    if (!h)
        return true;
    if (!gc_admit(h, n))
        return false;
    h->external += n;
    return true;
}

void gc_release(GcHeap *h, size_t n)
{
    if (h)
        h->external -= n < h->external ? n : h->external;
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

void *gc_alloc_atomic_uninit(GcHeap *h, size_t n)
{
    if (!gc_account(h, n))
        return NULL;
    return GC_MALLOC_ATOMIC(n ? n : 1);
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
