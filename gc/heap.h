/* gc/heap.h: the heap on Boehm GC: allocation kinds, roots and per-VM byte accounting. */
#ifndef MICA_GC_HEAP_H
#define MICA_GC_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Per-VM accounting. Boehm's heap is process-wide, so caps are Mica's own count. */
typedef struct GcHeap {
    size_t allocated;     /* bytes handed out through this heap (monotonic)  */
    size_t limit;         /* 0: no cap; otherwise allocation fails beyond it */
    size_t nallocs;       /* number of allocations                           */
    uint32_t stress;      /* 0, or collect every [stress] allocations (tests) */
    size_t reserve_top;   /* 0, or after an allocation failed against the limit:
                           * how far handlers may allocate until a collection
                           * gets back under the limit                       */
    size_t external;      /* C memory held for the program outside the
                           * collected heap (gc_hold), counted against the
                           * limit until gc_release                          */
    /* The owner's live bytes (the VM's heap walk), used to restart the count
     * when it reaches the limit; NULL: Boehm's process-wide figure. */
    size_t (*measure)(void *arg);
    void *measure_arg;
} GcHeap;

/* The reserve that opens above the bytes in use once a heap's limit has been
 * hit: 1/32 of the limit, between 64 KiB and 4 MiB. */
size_t gc_reserve_of(size_t limit);

/* Initialises Boehm once per process (thread-safe, idempotent) and zeroes
 * [h]. Returns false if the collector could not be initialised. */
bool gc_heap_init(GcHeap *h);

/* True if [n] more bytes fit under [h]'s limit now (collecting first if the
 * count says they would not); nothing is counted. For memory that is about
 * to be taken outside the collected heap, or before long work whose result
 * will not fit anyway. A refusal opens the OutOfMemoryError reserve, as a
 * failed gc_alloc does. */
bool gc_can_alloc(GcHeap *h, size_t n);

/* Counts [n] bytes of C memory held for the program (false, nothing counted,
 * if they do not fit under the limit); gc_release gives them back. */
bool gc_hold(GcHeap *h, size_t n);
void gc_release(GcHeap *h, size_t n);

/* [n] zeroed bytes that may hold pointers the collector must trace.
 * NULL when memory runs out or the heap's limit would be passed. */
void *gc_alloc(GcHeap *h, size_t n);

/* [n] bytes that hold no pointers (numeric arrays, string bytes); the
 * collector never scans them. Zeroed here too, so callers need not. NULL on
 * failure. */
void *gc_alloc_atomic(GcHeap *h, size_t n);

/* Like gc_alloc_atomic but not zeroed: for a caller that writes every byte
 * before anything reads them (large strings built by natives, so that their
 * pages are touched only as the copy proceeds, between deadline polls). */
void *gc_alloc_atomic_uninit(GcHeap *h, size_t n);

/* [n] zeroed bytes that are a root: never collected, scanned for pointers,
 * until gc_free_root. NULL on failure. */
void *gc_alloc_root(GcHeap *h, size_t n);

/* Releases a block from gc_alloc_root (NULL is ignored). */
void gc_free_root(void *p);

/* A root range reported at each collection: the collector calls [scan] with
 * the world stopped, and [scan] calls gc_push_range for what is live now (for
 * a value stack: only its used part). */
typedef struct GcScanner {
    void (*scan)(void *arg);
    void *arg;
    struct GcScanner *prev, *next;   /* the registry's links (private)   */
} GcScanner;

/* Adds [s] (owned by the caller, which must keep it alive) to the scanners. */
void gc_add_scanner(GcScanner *s);

/* Removes [s]; after return no collection calls it any more. */
void gc_remove_scanner(GcScanner *s);

/* Marks everything the words in [lo, hi) may point to (only from a scanner). */
void gc_push_range(void *lo, void *hi);

/* Runs a full collection (tests and hosts that want a quiet point). */
void gc_collect(void);

/* Registers the calling thread with the collector if it is not yet (every
 * entry point of the library calls this; one thread-local test when it is).
 * The thread is unregistered when it exits. 0, or -1 if Boehm refuses. */
int gc_thread_attach(void);
/* Unregisters the calling thread (if this library registered it). */
void gc_thread_detach(void);

/* Calls [fn]([obj], [arg]) once when [obj] (a collected block) becomes
 * unreachable, on a thread that allocates. 0, or -1. */
int gc_set_finalizer(void *obj, void (*fn)(void *obj, void *arg), void *arg);
/* Cancels [obj]'s finalizer; true if one was registered and had not been
 * queued to run yet. */
bool gc_clear_finalizer(void *obj);

/* Process-wide figures: Boehm's heap size and number of collections. */
void gc_process_stats(size_t *heap_size, uint64_t *collections);

/* The bytes Boehm allocated for the object at [p] (0 if [p] is not the start
 * of a collected object). */
size_t gc_object_size(const void *p);

#endif
