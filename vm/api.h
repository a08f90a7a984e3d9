/* vm/api.h: the embedding API's per-VM state (handles, host functions, the
 * structured error, capabilities, output) and the hooks the runtime calls. */
#ifndef MICA_VM_API_H
#define MICA_VM_API_H

#include <pthread.h>

#include "vm.h"

/* One class's host functions (mica_register_natives), copied. */
typedef struct VmHostClass {
    char *cls;             /* internal name */
    MicaNative *fns;       /* names and descriptors strdup'd */
    size_t n;
    struct VmHostClass *next;
} VmHostClass;

/* GC-visible part of the API state (a root block). */
typedef struct VmApiRoots {
    VmObject *thrown;      /* raised by mica_throw or a failed nested call, to
                            * be re-raised when the host function returns */
    VmObject *error_exc;   /* the exception mica_error() describes          */
} VmApiRoots;

/* A text arena for the structured error: freed all at once. */
typedef struct VmArena {
    struct VmArenaBlock *blocks;
} VmArena;

/* The bytes of a class the host gave (mica_load_bytes, mica_compile), kept
 * for compiling later sources against it. */
typedef struct VmBytes {
    char *name;
    uint8_t *bytes;
    size_t len;
    struct VmBytes *next;
} VmBytes;

/* mica_call's fast path: static methods whose parameters are all primitives,
 * their kinds decoded once (a direct-mapped cache by method). */
#define VM_API_FAST_ARGS 8
typedef struct VmFastSig {
    const VmMethod *m;
    uint8_t n;
    uint8_t kinds[VM_API_FAST_ARGS]; /* the CfKind of each parameter */
} VmFastSig;

typedef struct VmApi {
    VmFastSig fast[64];
    VmBytes *bytes;
    VmApiRoots *roots;
    /* handles: locals form a stack, globals a free list; both arrays are
     * uncollectable GC blocks (roots) of object pointers */
    VmObject **local;
    uint16_t *local_gen;
    size_t nlocal, local_cap;
    VmObject **global;
    uint16_t *global_gen;
    uint32_t *global_next;  /* free list links; UINT32_MAX ends it */
    uint32_t global_free;
    size_t nglobal, global_cap, global_live;
    uint64_t tag;           /* this VM's tag in its handles (bits 48..62) */
    uint32_t in_host;       /* host functions active on the C stack */
    VmHostClass *hosts;
    /* capabilities */
    char **read_dirs, **write_dirs;
    size_t nread_dirs, nwrite_dirs;
    /* the structured error */
    MicaError err;
    MicaError causes[8];
    VmArena arena;
    bool err_dirty;
    /* hooks */
    MicaHook hook;
    void *hook_ud;
    /* foreign objects not yet finalized (VmForeign), guarded by vm_foreign_lock */
    struct VmForeign *foreign;
} VmApi;

/* Creates / frees the API state of [vm] (mica_vm_new, mica_vm_free). */
int vm_api_init(MicaVM *vm, const MicaConfig *cfg);
void vm_api_free(MicaVM *vm);

/* The host function registered for native [m] of library "host": 0 with
 * *[out] set, or -1 with the error text naming both sides (link error). */
int vm_host_lookup(MicaVM *vm, VmMethod *m, const char *sym, const MicaNative **out);
/* Calls host function [fn] for native [m] with argument slots [args]. 0, or
 * -1 with an exception pending (or the VM halted). */
int vm_call_host(MicaVM *vm, VmMethod *m, const MicaNative *fn, uint64_t *args,
                 uint64_t *ret);

/* Capabilities: 0 when [cap] (MICA_CAP_*) is granted (and, for READ/WRITE with
 * a path, the path is under an allowed directory); otherwise -1 with a
 * CapabilityError pending that names the capability and how to grant it.
 * [what] describes the operation ("read file /etc/passwd"). */
int vm_check_cap(MicaVM *vm, unsigned cap, const char *path, const char *what);

/* Program output to stream 1 (stdout) or 2 (stderr), through the host's
 * callback when it gave one. */
void vm_write(MicaVM *vm, int stream, const char *s, size_t n);

/* Ties host resource [data] to object [o]: [finalize]([data]) runs once when
 * the collector finds [o] unreachable, or when the VM is freed. 0, or -1 with
 * OutOfMemoryError pending (and [data] already finalized). */
int vm_foreign_attach(MicaVM *vm, VmObject *o, void *data, void (*finalize)(void *));

/* Runs the finalizers of [vm]'s foreign objects that have not run (mica_vm_free). */
void vm_foreign_release_all(MicaVM *vm);


/* Entry of every API function: registers the thread, forgets the last error. */
void vm_api_enter(MicaVM *vm);
/* Forgets the structured error and clears the error text. */
void vm_api_reset_error(MicaVM *vm);
/* Records [st] as the failure of the current call and returns it. */
MicaStatus vm_api_fail(MicaVM *vm, MicaStatus st);
/* MICA_ERR_INVALID with a printf-style message. */
MicaStatus vm_api_invalid(MicaVM *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The status of a failed vm_call (exception described, halt or exit kept in
 * force when nested in a host function). */
MicaStatus vm_api_failed(MicaVM *vm);
/* Value <-> slot for descriptor [d] ([len] bytes); -1 with [why] on a mismatch. */
int vm_value_to_slot(MicaVM *vm, const char *d, size_t len, MicaValue v, uint64_t *slot,
                     char *why, size_t nwhy);
MicaStatus vm_slot_to_value(MicaVM *vm, CfKind kind, uint64_t s, MicaValue *out);

/* Error-text arena: blocks freed when the error is reset. */
void *vm_arena_alloc(VmArena *ar, size_t n);
const char *vm_arena_str(VmArena *ar, const char *s, size_t n);

/* Keeps a copy of class [name]'s [n] bytes for the compiler. 0 or -1. */
int vm_keep_bytes(MicaVM *vm, const char *name, const void *bytes, size_t n);

/* The VM's live Mica bytes: objects reachable from its roots (heap walk). */
size_t vm_heap_measure(void *vm);

#endif
