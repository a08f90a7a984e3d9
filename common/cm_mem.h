/* common/cm_mem.h: the one wrapper for C memory (memory that is not a Mica heap
 * object: class-file arenas, compiler tables, VM structures, native buffers).
 * Every component allocates C memory through cm_malloc, cm_calloc, cm_realloc and
 * cm_strdup, so that limits and failure injection live in one place; heap objects
 * go through gc/ and the VM's accounting (vm_heap_reserve) sits above this.
 *
 * The functions behave like their C library namesakes (NULL on failure, never an
 * abort), and also fail, returning NULL, when
 *   - a request is larger than CM_MAX_ALLOC, or cm_calloc's n * size overflows;
 *   - the failure-injection hook (cm_set_alloc_hook) says so.
 * Memory from them is released with cm_free (or free: they are the same). */
#ifndef MICA_COMMON_CM_MEM_H
#define MICA_COMMON_CM_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest single request: PTRDIFF_MAX, as no object can be larger. */
#define CM_MAX_ALLOC ((size_t)PTRDIFF_MAX)

void *cm_malloc(size_t size);
void *cm_calloc(size_t n, size_t size);
void *cm_realloc(void *p, size_t size);
char *cm_strdup(const char *s);
void cm_free(void *p);

/* The failure-injection hook: called before every allocation above with the
 * request's size (cm_calloc: n * size) and [ud]; returning false makes that
 * allocation fail. NULL removes it. Counting calls in the hook also gives the
 * accounting of C memory per test. The hook is process-wide (like Boehm's heap,
 * the other process-wide state; see gc/heap.c): it is meant for tests, set
 * before any VM or compiler runs and removed after. */
typedef bool (*CmAllocHook)(size_t size, void *ud);
void cm_set_alloc_hook(CmAllocHook hook, void *ud);

#endif
