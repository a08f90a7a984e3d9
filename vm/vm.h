/* vm/vm.h: the runtime's internal model: the VM, classes, methods, objects and
 * the functions the runtime's files (and the stdlib natives) share. */
#ifndef MICA_VM_H
#define MICA_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ffi.h>

#include "classfile.h"
#include "config.h"
#include "heap.h"
#include "mica.h"
#include "source.h"

typedef struct VmClass VmClass;
typedef struct VmMethod VmMethod;
typedef struct VmFrame VmFrame;
typedef struct VmProfile VmProfile;
typedef struct JitState JitState;

/* ---- objects ------------------------------------------------------------ */

/* Every heap object starts with its class; fields follow in 8-byte slots. */
typedef struct VmObject {
    VmClass *cls;
} VmObject;

/* Arrays: class, length, then elements (8 bytes for I/F/refs, 1 for B/Z). */
typedef struct VmArray {
    VmClass *cls;
    int64_t length;
    /* elements follow, 8-byte aligned */
} VmArray;

/* std/core/String: made only by the VM; one atomic block, bytes NUL-terminated. */
typedef struct VmString {
    VmClass *cls;
    int64_t length;       /* bytes of UTF-8 text */
    int64_t hash;
    bool hashed;
    /* code points, counted on first need (std/core/String indexes by code point);
     * ascii: every byte < 0x80, so code-point and byte indices coincide */
    bool cp_known;
    bool ascii;
    int64_t cp_length;
    char bytes[];
} VmString;

static inline void *vm_array_data(VmArray *a)
{
    return (void *)(a + 1);
}

static inline uint64_t vm_ref_slot(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static inline void *vm_slot_ref(uint64_t v)
{
    return (void *)(uintptr_t)v;
}

/* A float's slot (its binary64 bits) and back. */
static inline uint64_t vm_float_slot(double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    return v;
}

static inline double vm_slot_float(uint64_t v)
{
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static inline uint64_t *vm_object_fields(VmObject *o)
{
    return (uint64_t *)(o + 1);
}

/* The byte offset of field [slot] in an object (for compiled code). */
static inline int32_t vm_field_offset(uint32_t slot)
{
    return (int32_t)(sizeof(VmObject) + 8 * (size_t)slot);
}

/* ---- classes ------------------------------------------------------------ */

typedef enum VmClassState {
    VM_CLASS_LOADED = 0,   /* header read, ancestors known, nothing run  */
    VM_CLASS_LINKING,
    VM_CLASS_LINKED,       /* verified, laid out, vtable built           */
    VM_CLASS_INITIALIZING,
    VM_CLASS_INITIALIZED,
    VM_CLASS_ERROR,        /* linking or initialisation failed: [error]  */
} VmClassState;

typedef struct VmField {
    const char *name;
    const char *desc;
    uint16_t flags;
    uint32_t slot;         /* instance: index after the header; static: index in statics */
    VmClass *owner;
} VmField;

/* One entry of a table of raw natives (the standard library's, library
 * "mica"): C functions called through libffi with the MicaVM * as a hidden
 * first argument and references as object pointers. Tables end with
 * {NULL, NULL}; vm_register_raw_natives adds one to a VM. */
typedef struct VmRawNative {
    const char *name;
    void (*fn)(void);
} VmRawNative;

/* How a native binding passes one value between Mica and C (vm/native.c): the
 * primitive CfKinds as themselves, or one of the C-side kinds. */
typedef enum VmCKind {
    VM_C_NONE = 0, /* no C form (not bindable) */
    VM_C_VOID = CF_KIND_VOID,
    VM_C_INT = CF_KIND_INT,
    VM_C_FLOAT = CF_KIND_FLOAT,
    VM_C_BOOL = CF_KIND_BOOL,
    VM_C_BYTE = CF_KIND_BYTE,
    VM_C_OBJECT = CF_KIND_REF, /* a "mica" native: the object itself */
    VM_C_STRING = 'S',         /* a String as a C char * */
    VM_C_ARRAY = 'A',          /* an array as a pointer to its elements */
    VM_C_POINTER = 'P',        /* a std.ffi Pointer as its address */
    VM_C_OTHER = 'O',          /* another reference, sorted out per call */
    VM_C_ENV = 'E',            /* the hidden MicaVM * of a "mica" native */
} VmCKind;

/* A resolved native binding, prepared once at link time. */
typedef struct VmNative {
    void (*fn)(void);
    ffi_cif cif;
    ffi_type **atypes;     /* malloc'd                                         */
    char *kinds;           /* malloc'd: per C argument, a VmCKind (0-terminated) */
    char ret_kind;         /* a VmCKind                                        */
    uint32_t nargs;        /* C arguments, hidden env included                 */
    bool mica;             /* library "mica": hidden env first, refs as objects */
    uint16_t shape;        /* vm_native_shape: non-zero for a direct typed call */
    bool plain;            /* shape, no bool or byte argument: the argument slots
                              are the C arguments (after the env of a "mica" native) */
    const MicaNative *host; /* library "host": a host function (vm/host.c)  */
} VmNative;

/* One branch target after pre-decoding. */
typedef struct VmTarget {
    uint32_t idx;          /* instruction index                            */
    uint16_t height;       /* operand-stack height at the target           */
    uint16_t arity;        /* values carried                               */
} VmTarget;

/* One pre-decoded instruction: 32 bytes, operands named by what they hold.
 * Each op reads a fixed set of fields (listed per field; the fused forms of
 * vm/ops.h read their first instruction's fields and those of the ones they
 * stand for). Quickening (vm/link.c) writes the quick form's fields first and
 * then publishes the new op. The original bytecode offset of instruction i
 * is VmMethod.pcs[i] (cold: traces, lines, handlers). */
typedef struct VmInsn {
    uint16_t op;               /* a VM_OP_* (vm/ops.h)                         */
    union {
        uint16_t local;        /* LOAD, STORE, IINC, the fused forms from LOAD  */
        uint16_t cpi;          /* constant-pool index of every resolving form   */
        uint16_t arity;        /* BR, BR_IF: values carried to the target       */
        uint16_t ncases;       /* BR_TABLE: table[ncases] is the default        */
    };
    union {
        int32_t target;        /* JMP, JZ, BR, BR_IF: instruction index         */
        int32_t slot;          /* GETFIELD_Q, PUTFIELD*_Q: slot after the header */
        int32_t nargs;         /* quick calls, NEW_Q, CALLFN: argument slots
                                * (CALLFN: 0 until its first run)              */
    };
    union {
        int64_t imm;           /* ICONST (float bits too), IINC; LOAD_ADDI: the
                                * signed addend                                 */
        uint32_t height;       /* BR, BR_IF: operand-stack height at the target */
        VmTarget *table;       /* BR_TABLE: ncases + 1 targets                  */
        VmMethod *method;      /* quick calls and NEW_Q: the resolved method    */
        VmClass *cls;          /* INSTANCEOF_Q, CHECKCAST_Q, NEWARRAY_Q         */
        uint64_t *addr;        /* GETSTATIC_Q, PUTSTATIC*_Q: the static slot    */
        VmString *str;         /* LDC_STR_Q: the interned String                */
    };
    union {
        VmClass *cache_cls;    /* INVOKEVIRTUAL_Q, INVOKEIFACE_Q, CALLFN: the
                                * inline cache's receiver class; NEW_Q: the class */
        VmField *field;        /* field instructions: the field (messages)     */
    };
    VmMethod *cache_target;    /* the inline cache's method for cache_cls       */
} VmInsn;

/* Trivial accessors (VmMethod.accessor): `return this.f` and `this.f = v`,
 * which the interpreter runs in place of the call once their field
 * instruction is quickened (nothing in them can throw or poll). */
enum { VM_ACCESSOR_NONE, VM_ACCESSOR_GET, VM_ACCESSOR_SET };

/* The frame a call site rewritten for a trivial accessor (VGET_Q, VSET_Q)
 * checks room for: at least any such accessor's frame_slots (a site whose
 * accessor needs more is not rewritten), so the check is exact or stricter,
 * and a stricter failure makes the full call, which checks exactly. */
#define VM_ACCESSOR_FRAME_SLOTS (4 + VM_FRAME_SPARE_SLOTS)

typedef struct VmHandler {
    uint32_t start, end;   /* original pcs                                 */
    uint32_t target;       /* instruction index                            */
    uint16_t height;
    uint16_t cls_index;    /* CLASS cp index, 0 = any                      */
    VmClass *cls;          /* resolved lazily                              */
} VmHandler;

struct VmMethod {
    VmClass *cls;
    const CfMethod *cf;
    uint32_t index;        /* in cls->methods and the verifier info array  */
    const char *name;
    const char *desc;
    uint16_t flags;
    CfKind ret;            /* of the return descriptor                      */
    uint32_t nparams;      /* slots of parameters, `this` included        */
    uint32_t nlocals;      /* all locals: parameters + declared           */
    uint32_t max_stack;
    CfKind *local_kinds;   /* per declared local (not parameters)           */
    int32_t vtable_index;  /* -1 for static, private and constructors     */
    /* pre-decoded code (built on first call) */
    VmInsn *code;
    uint32_t ncode;
    VmHandler *handlers;
    uint32_t nhandlers;
    VmTarget *tables;      /* all br_table targets of this method         */
    int32_t *heights;      /* operand-stack height before each instruction, -1: unreached */
    uint32_t *pcs;         /* bytecode offset of each instruction (and of the guard) */
    /* what a call needs, computed once by pre-decoding */
    uint32_t frame_slots;  /* nlocals + max_stack + VM_FRAME_SPARE_SLOTS          */
    uint32_t clear_from, clear_to; /* declared locals a call zeroes: the others are
                                    * written before any read (interp.c)       */
    /* the declared locals stored on every path to each instruction, made when a
     * collection first meets a frame of this method, interpreted or compiled
     * (vm.c clear_unstored_locals) */
    uint64_t *stored_at;
    bool stored_unknown;   /* not analysed: handlers, too many locals, no memory */
    uint8_t accessor;      /* VM_ACCESSOR_*: runs without a frame when quickened */
    /* native binding */
    VmNative *native;
    /* profile counters for the JIT */
    uint64_t invocations;
    uint64_t backedges;
    /* The entry point calls go through once the frame is pushed: runs the
     * frame from its start ([start] NULL) or from machine-code address
     * [start] (OSR, handlers) until it returns (result in fr->base[0]) or an
     * exception leaves it; the frame is popped either way. 0, or -1 with an
     * exception pending. vm_interp_entry until the JIT compiles the method. */
    int (*entry)(MicaVM *vm, VmFrame *fr, void *start);
    struct JitCode *jit;   /* the compiled code, or NULL                  */
    void *jit_call;        /* compiled code's entry for compiled callers (jit/) */
    uint8_t jit_state;     /* 0 not tried, 1 compiled, 2 stays interpreted */
};

struct VmClass {
    MicaVM *vm;
    char *name;            /* internal name, malloc'd                      */
    CfClass *cf;           /* NULL for array classes                      */
    VmClassState state;
    char *error;           /* why linking/initialisation failed (malloc'd) */
    char *origin;          /* file, "ARCHIVE:ENTRY" or "bytes from the host" it was
                            * read from (NULL: the embedded library), for messages */
    bool is_std;           /* loaded from the embedded standard library   */
    bool is_interface, is_abstract, is_array, is_string;
    VmClass *super;
    VmClass **ancestors;   /* ancestors[0] = Object ... ancestors[depth] = this */
    uint32_t depth;        /* superclasses (std/core/Object has 0)                */
    VmClass **ifaces;      /* every interface implemented, transitively (and itself):
                            * node.all as classes                                */
    uint32_t nifaces;
    CfHierNode node;       /* the class in the shared hierarchy (classfile/hierarchy.c):
                            * super, ancestors and ifaces above are caches of it  */
    /* arrays */
    uint8_t elem_kind;     /* CfKind of the elements (one byte: the JIT reads it) */
    VmClass *elem_class;   /* CF_KIND_REF elements: the element class (covariance,
                            * aastore's run-time check); NULL otherwise     */
    uint32_t elem_size;
    /* layout */
    uint32_t nslots;       /* instance field slots, superclasses included */
    VmField *fields;       /* this class's own fields                     */
    uint32_t nfields;
    uint64_t *statics;     /* GC root, one slot per static field          */
    uint32_t nstatics;
    VmMethod *methods;
    uint32_t nmethods;
    VmMethod **vtable;
    uint32_t vtable_len;
    CfMethodInfo *info;    /* verifier side tables, per method            */
    const char *fn_desc;   /* function values: the last callfn descriptor */
    VmMethod *fn_target;   /* looked up, and its `invoke` method          */
    VmClass *hash_next;
};

/* ---- the VM ------------------------------------------------------------- */

struct VmFrame {
    VmMethod *m;
    VmInsn *ip;            /* instruction being executed (NULL for natives) */
    uint64_t *base;        /* locals; the operand stack follows them       */
    uint64_t *sp;          /* saved operand-stack top                      */
    bool entry;            /* entered from C: returning ends that run loop  */
};

typedef struct VmPending {
    char *name;
    CfClass *cf;
    char *origin;          /* where it came from, for messages ("bytes from the host") */
    struct VmPending *next;
} VmPending;

typedef struct VmLib {
    char *name;
    void *handle;
    void (*release)(void *); /* set: a native's resource (see vm_native_own), not a library */
    struct VmLib *next;
} VmLib;

/* GC-visible part of the VM (allocated as a root). */
typedef struct VmRoots {
    VmObject *pending;     /* the exception being thrown, or NULL           */
    VmString **interned;   /* open-addressing table of literals            */
    size_t ninterned, interned_cap;
} VmRoots;

/* One entry of the VM's dispatch cache (vm_dispatch, vm/link.c). */
typedef struct VmDispatchEntry {
    VmClass *cls;          /* the receiver's class                         */
    VmMethod *decl;        /* the method called                             */
    VmMethod *target;      /* what runs                                     */
} VmDispatchEntry;

#define VM_DISPATCH_CACHE 256 /* entries, a power of two */

struct MicaVM {
    MicaConfig cfg;
    struct VmApi *api;     /* the embedding API's state (vm/api.h)          */
    unsigned caps;         /* MICA_CAP_* granted                             */
    /* MICA_HOOK_* events a host asked for (mica_set_hook). Non-zero: every
     * call polls (vm_poll_call reports calls), the interpreter dispatches
     * through its hooked table (returns, lines), throws report; the JIT
     * neither compiles nor enters compiled code, which reports nothing. */
    unsigned hooks;
    VmSources sources;     /* where classes come from (vm/source.h)       */
    GcHeap heap;
    VmRoots *roots;
    VmClass **classes;     /* hash table by name                           */
    size_t nclasses, classes_cap;
    VmPending *pending_classes;
    VmLib *libs;
    /* raw native tables by library (vm_register_raw_natives) */
    struct { const char *lib; const VmRawNative *table; } raw_natives[32];
    uint32_t nraw_natives;
    void *ffi_heap;                   /* std.ffi's C memory blocks (stdlib/natives/ffi.c),
                                       * released through libs */
    /* value stack and frames */
    uint64_t *stack;       /* mmap'd; its used part is a root (scanner)   */
    GcScanner scanner;
    uint64_t *stack_end;
    VmFrame *frames;
    uint32_t nframes, max_frames, max_depth;
    VmFrame *jit_frame_limit; /* &frames[max_depth - 1]: a compiled body runs
                               * in a frame below it (room for a callee)     */
    /* well-known classes (loaded on demand) */
    VmClass *c_object, *c_string, *c_exception;
    uint32_t exc_message_slot, exc_cause_slot, exc_trace_slot;
    /* output */
    bool out_tty;          /* stdout is a terminal: flush at each newline */
    char outbuf[VM_STDOUT_BUFFER];
    size_t outlen;
    /* errors */
    char *last_error;      /* malloc'd, "" when none                       */
    bool exiting;
    int exit_code;
    bool fatal;            /* a fault that no exception object could carry */
    int raising;           /* nesting of vm_throw                          */
    /* limits: the interpreter decrements poll_left at back edges and calls and
     * calls vm_poll when it runs out (one decrement and compare per event) */
    int64_t poll_left;
    uint64_t max_steps, steps_left;   /* per run; 0: no budget             */
    uint64_t max_time_ms;             /* per run; 0: no deadline           */
    uint64_t deadline_ns;             /* CLOCK_MONOTONIC, 0: none          */
    atomic_int interrupt_req;         /* set by mica_interrupt             */
    MicaStatus halt;                  /* MICA_ERR_LIMIT/INTERRUPTED: stopped, uncatchable */
    uint32_t c_depth;                 /* vm_call runs nested on the C stack */
    uintptr_t cstack_floor;           /* lowest usable C stack address, 0: unknown */
    uintptr_t jit_cstack_limit;       /* cstack_floor + VM_CSTACK_JIT_ROOM, or 0:
                                       * compiled code runs above it      */
    pthread_t cstack_thread;          /* the thread it was measured on     */
    /* the JIT (jit/): NULL when off or without a backend; promotion past the
     * thresholds (UINT64_MAX: never) */
    JitState *jit;
    uint64_t jit_call_threshold, jit_loop_threshold;
    char halt_msg[128];               /* why the run was halted            */
    size_t native_work;               /* vm_native_work's countdown        */
    char *halt_trace;                 /* interrupted: "interrupted" and the Mica stack */
    VmProfile *profile;               /* the sampling profiler (vm/profile.c), or NULL */
    VmDispatchEntry *dispatch_cache;  /* malloc'd on the first miss, or NULL */
#if VM_OP_PROFILE
    uint64_t *op_pairs;               /* [prev * VM_OP_COUNT + op] (VM_OP_PROFILE) */
    int op_prev;
#endif
    /* loading state: the classes being loaded, each needing the next (the cycle and
     * depth guards of the shared hierarchy builder), and its resolver */
    CfHierLoader hier;
};

/* Stops the profiler and frees its samples (vm/profile.c). */
void vm_profile_free(MicaVM *vm);

/* ---- errors and exceptions (vm/exception.c) ----------------------------- */

/* Replaces the VM's last error text (printf-style). */
void vm_set_error(MicaVM *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Raises a std/core exception [simple] ("IndexError") with a printf-style
 * message: allocates it, fills its trace from the current frames and makes it
 * pending. Always returns -1 so callers can `return vm_throw(...)`. */
int vm_throw(MicaVM *vm, const char *simple, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Makes [exc] the pending exception (NULL becomes a NullError). Returns -1. */
int vm_throw_object(MicaVM *vm, VmObject *exc);

/* Fills [exc]'s trace slot from the live frames, skipping the frames that are
 * constructing [exc] itself. Returns 0 or -1 (out of memory, pending set). */
int vm_fill_trace(MicaVM *vm, VmObject *exc);
/* [head] and the Mica stack as an uncaught exception shows it (malloc'd; NULL when
 * out of memory). */
char *vm_stack_text(MicaVM *vm, const char *head);

/* The exception's type name as shown in traces (simple for std/core, dotted
 * otherwise), written into [buf]. */
void vm_type_name(const VmClass *c, char *buf, size_t n);

/* Builds the full text of uncaught [exc] (type, message, frames, causes) into
 * the VM's last error. */
void vm_describe_exception(MicaVM *vm, VmObject *exc);

/* ---- objects and strings (vm/object.c) --------------------------------- */

/* A zeroed instance of linked class [c], or NULL with OutOfMemoryError pending. */
VmObject *vm_new_object(MicaVM *vm, VmClass *c);
/* A zeroed array of array class [c], or NULL with an exception pending. */
VmArray *vm_new_array(MicaVM *vm, VmClass *c, int64_t length);
/* A new String of [n] bytes copied from [s], or NULL with OutOfMemoryError pending. */
/* [s] may be NULL: the string's [n] bytes are then zero, for the caller to fill
 * before anyone reads it. */
VmString *vm_new_string(MicaVM *vm, const char *s, size_t n);
/* A String of [n] bytes whose contents are NOT initialised: the caller writes
 * all [n] before the string escapes (or drops it). For large results built by
 * natives; a NUL follows the bytes. */
VmString *vm_new_string_uninit(MicaVM *vm, size_t n);
/* The interned String for [s] (one object per VM per text), or NULL. */
VmString *vm_intern(MicaVM *vm, const char *s, size_t n);
/* The Java-style hash of [s]'s bytes (cached). */
int64_t vm_string_hash(VmString *s);
/* String.equals of non-null [s] and [o]: the same object, or a String of the same
 * bytes (false for null and other classes). Allocates nothing, raises nothing: the
 * native and both tiers' intrinsic. The first bytes (a NUL for empty strings)
 * decide most unequal pairs of short strings without memcmp. */
static inline bool vm_string_equals(const VmString *s, const void *o)
{
    const VmString *t = o;
    if (t == s)
        return true;
    if (!t || t->cls != s->cls || t->length != s->length || t->bytes[0] != s->bytes[0])
        return false;
    return s->length <= 1 || memcmp(t->bytes + 1, s->bytes + 1, (size_t)s->length - 1) == 0;
}
/* A new String of the [n] ASCII bytes at [s], its code points known (as many), or
 * NULL with OutOfMemoryError pending. For substrings of ASCII strings. */
VmString *vm_new_ascii_string(MicaVM *vm, const char *s, size_t n);
/* String.substring's intrinsic in both tiers, its receiver and indices in
 * args[0..2]: for an ASCII string and indices in range, the result (the string
 * itself when it is the whole) in args[0], allocated under a frame of the
 * native [m] as the call would be; 1 when done, 0 when the call must be made
 * (null, non-ASCII, out of range: the native raises), -1 for an exception. */
int vm_substring_fast(MicaVM *vm, VmMethod *m, uint64_t *args);

/* The float remainder of [x] by [y] (FREM in both tiers): exactly C's fmod, computed
 * without libm (vm/fmod.c). */
double vm_fmod(double x, double y);

/* ---- copying arrays (vm/arraycopy.c) ----------------------------------- */

/* Copies elements [src_pos, src_pos + n) of [src] to [dst] from [dst_pos] on, as
 * memmove does when the ranges overlap, if no check can fail: both arrays there,
 * n >= 0, both ranges inside their arrays, and every element storable into
 * [dst] (same element kind; references assignable to [dst]'s element class).
 * Returns false, having copied nothing, otherwise. Raises nothing, allocates
 * nothing: the intrinsic of std.util.Arrays.copy in both tiers. */
bool vm_array_copy_fast(VmArray *src, int64_t src_pos, VmArray *dst, int64_t dst_pos,
                        int64_t n);
/* The same copy with every check: NullError, IllegalArgumentError for a negative
 * [n], IndexError for a range outside its array, ArrayStoreError (after storing
 * the elements before) for a reference that [dst] cannot hold. 0, or -1 with the
 * exception pending. */
int vm_array_copy(MicaVM *vm, VmArray *src, int64_t src_pos, VmArray *dst, int64_t dst_pos,
                  int64_t n);

/* ---- classes (vm/class.c) ----------------------------------------------- */

/* Loads the header of class [name] (internal name or array descriptor):
 * superclass and interfaces too, no code run. NULL with the VM's error text
 * set and *[status] (if not NULL) the matching MicaStatus. */
VmClass *vm_load_class(MicaVM *vm, const char *name, MicaStatus *status);
/* Verifies, lays out and builds vtables of [c] and its ancestors. 0, or -1
 * with the error text set and *[status] filled. */
int vm_link_class(MicaVM *vm, VmClass *c, MicaStatus *status);
/* The class [name] if it is already loaded, else NULL (never loads). */
VmClass *vm_load_class_if_loaded(MicaVM *vm, const char *name);
/* True if [name] (an internal class name, or a package as "std/io") lies in a
 * sealed package: one only the embedded standard library may define (std and
 * everything under it), because the VM trusts those classes' layouts. */
bool vm_class_name_is_sealed(const char *name);
/* Sets the load error for a sealed class [name] offered by [origin] (a file
 * path, or "bytes from the host") and returns MICA_ERR_LINK. */
MicaStatus vm_refuse_sealed(MicaVM *vm, const char *name, const char *origin);
/* Links and runs <clinit>s (superclass first). 0, or -1 with an exception
 * pending (or the error text set and a LinkError pending). */
int vm_init_class(MicaVM *vm, VmClass *c);
/* Loads and links [name] from inside execution: failures become a pending
 * LinkError. */
VmClass *vm_resolve_class(MicaVM *vm, const char *name);
/* True if an instance of [s] is assignable to [t]. */
bool vm_is_subclass(const VmClass *s, const VmClass *t);
/* May [v] (NULL: null) be stored in an array of class [array]? Arrays of references
 * are covariant, so a String[] may be seen as an Object[]: every aastore checks. */
static inline bool vm_array_store_ok(const VmClass *array, const VmObject *v)
{
    const VmClass *e = array->elem_class;
    if (!v || !e || v->cls == e || (!e->super && !e->is_interface && !e->is_array))
        return true; /* null, a primitive array (never reached), the same class, Object[] */
    return vm_is_subclass(v->cls, e);
}
/* The method [name][desc] declared in [c], or NULL. */
VmMethod *vm_find_declared(VmClass *c, const char *name, const char *desc);
/* Looks up a method in [c], its superclasses, then its interfaces. */
VmMethod *vm_find_method(VmClass *c, const char *name, const char *desc);
/* The field [name] of [c] or its superclasses, or NULL. */
VmField *vm_find_field(VmClass *c, const char *name);
/* Frees every class of the VM. */
void vm_free_classes(MicaVM *vm);

/* ---- natives (vm/native.c) ---------------------------------------------- */

/* The declared locals of [m] (bit l - nparams) stored on every path to
 * instruction [idx] of its pre-decoded code (RF analysis of interp.c), or NULL
 * when unknown. Called by the collector's scan of the value stack. */
const uint64_t *vm_stored_before(VmMethod *m, uint32_t idx);

/* Binds native method [m] (libffi cif, symbol). 0 or -1 with the error text set. */
int vm_bind_native(MicaVM *vm, VmMethod *m);
/* Calls native [m] with argument slots [args]; the result slot into *[ret].
 * 0, or -1 with an exception pending. */
int vm_call_native(MicaVM *vm, VmMethod *m, uint64_t *args, uint64_t *ret);
/* Adds a table of raw natives for library [lib] (both static, not copied).
 * 0, or -1 when the VM's registry is full. */
int vm_register_raw_natives(MicaVM *vm, const char *lib, const VmRawNative *table);
/* The shape of a direct typed call (vm/native_direct.c) for a C function
 * with [n] arguments of VmCKinds [kinds] and result VmCKind [ret], or 0
 * when the signature needs ffi_call. */
unsigned vm_native_shape(const char *kinds, uint32_t n, char ret);
/* The shape of [n] arguments whose bit k in [fmask] is set for a float, with a
 * float result ([fret]) or an integer/pointer one (or none). */
#define VM_NATIVE_SHAPE(n, fmask, fret) ((1u << 8) | ((unsigned)(n) << 5) | ((fmask) << 1) | (fret))
/* Calls [fn] of shape [shape] with argument slots [a] (integers widened to
 * 64 bits, floats as bits); the result's 64 bits (a float's bits). */
uint64_t vm_native_direct(void (*fn)(void), unsigned shape, const uint64_t *a);
/* Closes the libraries the VM opened. */
void vm_free_libs(MicaVM *vm);
/* Makes the VM call [release]([p]) when it is freed: for C resources that
 * natives hand to Mica objects (compiled regexes). 0, or -1 with
 * OutOfMemoryError pending (and [p] already released). */
int vm_native_own(MicaVM *vm, void *p, void (*release)(void *));

/* ---- the interpreter (vm/interp.c) -------------------------------------- */

/* Calls [m] with [nargs] argument slots (`this` first for instance methods)
 * and stores its result slot in *[ret] (may be NULL). Re-entrant. Returns 0,
 * or -1 with an exception pending in vm->roots->pending. */
int vm_call(MicaVM *vm, VmMethod *m, const uint64_t *args, uint32_t nargs, uint64_t *ret);

/* Runs the top frame (pushed by the caller) to its end through its
 * method's entry point; result slot into *[ret] (may be NULL). 0 or -1. */
int vm_run_frame(MicaVM *vm, uint64_t *ret);

/* The interpreter as a method entry point (see VmMethod.entry). */
int vm_interp_entry(MicaVM *vm, VmFrame *fr, void *start);

/* Notes the C stack of the calling thread (vm->cstack_floor) before a run
 * starts at the bottom of the VM's frames. */
void vm_cstack_init(MicaVM *vm);

/* True if more than [room] bytes of C stack are left below the caller. Every
 * nesting of runs on the C stack (compiled code calling compiled code, natives
 * calling back) checks it, so deep nesting ends in StackOverflowError or in
 * the interpreter (which nests nothing), never in a crash. */
static inline bool vm_cstack_room(const MicaVM *vm, uintptr_t room)
{
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return !vm->cstack_floor || here > vm->cstack_floor + room;
}

/* True if compiled code may take over the running top frame in its middle
 * (OSR): no hooks, room for one more frame and for nested compiled code,
 * which is what a compiled body checks at its entry (jit/compile.c) so that
 * its own calls need not. */
static inline bool vm_jit_room(const MicaVM *vm)
{
    return !vm->hooks && vm->nframes < vm->max_depth && vm_cstack_room(vm, VM_CSTACK_JIT_ROOM);
}

/* Calls static method [name][desc] of class [cls] (internal or dotted name),
 * initialising the class first. For embedding tests and hosts: same results
 * as vm_call, plus -1 with the error text set (no pending exception) when the
 * class or method cannot be found or linked; *[status] says which. */
int vm_call_static(MicaVM *vm, const char *cls, const char *name, const char *desc,
                   const uint64_t *args, uint32_t nargs, uint64_t *ret, MicaStatus *status);

#if VM_OP_PROFILE
/* Appends the VM's instruction-pair counts to $MICA_OP_PROFILE (config.h). */
void vm_op_profile_write(MicaVM *vm);
#endif

/* The source line of the instruction [ip] of [m], 0 when unknown. */
uint32_t vm_line_of(const VmMethod *m, const VmInsn *ip);

/* The slow path of the poll points: checks the interrupt flag, the step
 * budget and the deadline, and re-arms vm->poll_left. 0 to go on, or -1 with
 * the VM halted (vm->halt set, error text set, nothing pending). */
int vm_poll(MicaVM *vm);

/* Stops the run for good, as a limit does: nothing pending, no handler sees it,
 * the run ends with [st] and [msg] (formatted). Returns -1. */
int vm_halt(MicaVM *vm, MicaStatus st, const char *fmt, ...);

/* `unreachable` executed in [m] at instruction [ip] (NULL: unknown): a VM error
 * that ends the run (MICA_ERR_VERIFY), not an exception, so no `catch` can see it.
 * Returns -1. */
int vm_unreachable(MicaVM *vm, const VmMethod *m, const VmInsn *ip);

/* Hooks (mica_set_hook, vm/api.c): reports [event] (MICA_HOOK_*) for method
 * [m] at [line] (0: unknown) or exception [exc]. The runtime calls it only
 * behind `if (vm->hooks)`, so hooks off cost one predictable branch. */
void vm_hook_fire(MicaVM *vm, unsigned event, VmMethod *m, uint32_t line, VmObject *exc);

/* vm_poll at a call to [m]: reports MICA_HOOK_CALL first when asked for. */
int vm_poll_call(MicaVM *vm, VmMethod *m);

/* Starts the per-run budget and deadline (mica_run_main, vm_call_static). */
void vm_start_limits(MicaVM *vm);

/* ---- natives under the run's caps (vm/budget.c, vm_native_poll in vm/vm.c) ----
 * Every native that allocates for a program stays under --max-heap and stops at
 * the deadline:
 * - results go on the collected heap (vm_new_string, vm_new_array, VmBuf), which
 *   counts every byte before taking it; never build a result with malloc first;
 * - memory a native must take outside that heap (a C library's output, scratch
 *   sized by the program) is checked with vm_heap_reserve before it is taken;
 *   memory kept past the native's return (std.ffi blocks) with vm_heap_hold;
 * - loops whose length the program chooses call vm_native_poll every few
 *   thousand iterations or megabytes. */

/* 0 if [bytes] more fit under the heap cap now (nothing is counted), else -1
 * with OutOfMemoryError "cannot allocate N bytes for [what]" pending. */
int vm_heap_reserve(MicaVM *vm, size_t bytes, const char *what);
/* [n] bytes of pointer-free scratch on the collected heap, counted against the
 * cap (zeroed; nothing to free: it is garbage once dropped). NULL with
 * OutOfMemoryError "cannot allocate N bytes for [what]" pending. */
void *vm_scratch(MicaVM *vm, size_t n, const char *what);
/* Like vm_heap_reserve, but the bytes stay counted against the cap until
 * vm_heap_release (C memory the program holds, such as std.ffi blocks). */
int vm_heap_hold(MicaVM *vm, size_t bytes, const char *what);
void vm_heap_release(MicaVM *vm, size_t bytes);

/* The poll of long native loops: a flag test and a clock read. 0 to go on;
 * -1 once mica_interrupt asked or the run's deadline passed: the VM is then
 * halted (as by vm_poll) and the native returns at once (any value; it is
 * ignored). */
int vm_native_poll(MicaVM *vm);

/* How many bytes a native copies or scans between two vm_native_poll calls. */
#define VM_NATIVE_POLL_BYTES ((size_t)1 << 20)

/* Counts [work] units (bytes scanned or copied, iterations) of a native loop
 * and polls once every VM_NATIVE_POLL_BYTES of them: 0 to go on, -1 as
 * vm_native_poll. Cheap enough for inner loops. */
static inline int vm_native_work(MicaVM *vm, size_t work)
{
    if (vm->native_work > work) {
        vm->native_work -= work;
        return 0;
    }
    vm->native_work = VM_NATIVE_POLL_BYTES;
    return vm_native_poll(vm);
}

/* A growing byte buffer on the collected heap, for results whose size is not
 * known in advance (formatting, reading a stream). Zero-initialise it; the
 * bytes are garbage once the buffer is dropped, nothing to free. Adding
 * fails with OutOfMemoryError pending when the cap would be passed, and polls
 * the deadline as it grows; after a failure later calls do nothing and fail. */
typedef struct VmBuf {
    char *p;
    size_t n, cap;
    bool failed;
} VmBuf;

/* Makes room for [more] bytes. 0, or -1 with an exception pending or the VM
 * halted. */
int vm_buf_grow(MicaVM *vm, VmBuf *b, size_t more);
/* Appends [n] bytes of [s]. 0 or -1 as vm_buf_grow. */
int vm_buf_add(MicaVM *vm, VmBuf *b, const void *s, size_t n);
/* Appends [n] copies of byte [c] (padding), polling as it goes. */
int vm_buf_fill(MicaVM *vm, VmBuf *b, char c, size_t n);
/* The buffer's bytes as a new String; NULL with an exception pending (also
 * when the buffer has failed). */
VmString *vm_buf_string(MicaVM *vm, VmBuf *b);

/* ---- output (vm/vm.c) -----------------------------------------------------
 * Everything goes through vm_write (vm/api.h): the host's MicaConfig.write
 * callback, or the process's stdout/stderr. */

/* Appends [n] bytes to the VM's stdout buffer (flushed when full, on exit
 * and before anything goes to stderr). */
void vm_out(MicaVM *vm, const char *s, size_t n);
void vm_flush(MicaVM *vm);

#endif
