/* mica.h: the public embedding API of the Mica VM.
 *
 * Everything hangs off a MicaVM; a process may create and destroy any
 * number of them, and use different VMs on different threads at once (one
 * thread at a time per VM). No function aborts or longjmps out of the
 * library: each returns a status, and mica_error() describes the last
 * failure of that VM. spec/embedding.md is the normative description.
 *
 * Link line: `pkg-config --cflags --libs mica`, or CMake's
 * find_package(Mica) and the target Mica::mica.
 */
#ifndef MICA_H
#define MICA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MICA_API __attribute__((visibility("default")))
#else
#define MICA_API
#endif

/* ---- version -------------------------------------------------------------
 * The version this header describes; mica_version() is the library's own
 * (they differ when a program runs against a newer libmica.so). Within one
 * MAJOR.MINOR the ABI is stable: libmica.so's soname is libmica.so.MAJOR.MINOR. */
#define MICA_VERSION_MAJOR 0
#define MICA_VERSION_MINOR 1
#define MICA_VERSION_PATCH 0
#define MICA_VERSION_STRING "0.1.0"
#define MICA_VERSION_NUMBER (MICA_VERSION_MAJOR * 10000 + MICA_VERSION_MINOR * 100 + \
                             MICA_VERSION_PATCH)

/* The library's version: "0.1.0", and 100 for 0.1.0 (MICA_VERSION_NUMBER). */
MICA_API const char *mica_version(void);
MICA_API int mica_version_number(void);

typedef enum MicaStatus {
    MICA_OK = 0,
    MICA_ERR_INVALID,      /* bad argument from the host (misuse of the API)  */
    MICA_ERR_FORMAT,       /* malformed class file                            */
    MICA_ERR_VERIFY,       /* class file failed verification                  */
    MICA_ERR_LINK,         /* missing class, field, method or native; a host
                            * function whose signature differs from the
                            * Mica declaration                                */
    MICA_ERR_COMPILE,      /* source failed to compile (diagnostics in
                            * mica_error()->diags)                            */
    MICA_ERR_EXCEPTION,    /* an uncaught Mica exception                      */
    MICA_ERR_OOM,          /* out of memory                                   */
    MICA_ERR_LIMIT,        /* a configured limit was reached                  */
    MICA_ERR_INTERRUPTED,  /* stopped by mica_interrupt                       */
    MICA_ERR_IO,           /* a file could not be read                        */
    MICA_ERR_EXIT,         /* the program called System.exit                  */
} MicaStatus;

/* The name of a status ("MICA_ERR_LINK"); never NULL. */
MICA_API const char *mica_status_name(MicaStatus st);

typedef struct MicaVM MicaVM;

/* ---- capabilities ----------------------------------------------------------
 * What a program may do beyond computing. An embedder grants none by default;
 * the `mica` command grants all but MICA_CAP_NATIVE. A denied operation raises
 * std.core.CapabilityError naming the capability and how to grant it. */
#define MICA_CAP_READ    0x01u  /* read files and list directories (std.io)      */
#define MICA_CAP_WRITE   0x02u  /* create, write, delete files and directories   */
#define MICA_CAP_PROCESS 0x04u  /* start processes (std.os.Process)              */
#define MICA_CAP_ENV     0x08u  /* read environment variables (std.os)           */
#define MICA_CAP_CLOCK   0x10u  /* read wall and monotonic clocks, sleep          */
#define MICA_CAP_NATIVE  0x20u  /* bind @native methods of non-std classes to C
                                 * libraries, and std.ffi                       */
#define MICA_CAP_STDIN   0x40u  /* read the process's standard input             */
#define MICA_CAP_ALL     0x7Fu

/* Program output. [stream] is 1 (stdout) or 2 (stderr); [bytes] is valid for
 * the call only. Called on the thread running the program. */
typedef void (*MicaWriteFn)(void *ud, int stream, const char *bytes, size_t n);

/* When methods run as machine code. */
typedef enum MicaJitMode {
    MICA_JIT_DEFAULT = 0,          /* MICA_JIT_ON where the build has a JIT  */
    MICA_JIT_OFF,                  /* interpret everything                    */
    MICA_JIT_ON,                   /* compile hot methods and loops           */
    MICA_JIT_ALWAYS,               /* compile every method at its first call  */
} MicaJitMode;

typedef struct MicaConfig {
    const char *const *classpath;  /* directories and .mar archives, in order */
    size_t nclasspath;
    bool allow_native;             /* same as MICA_CAP_NATIVE in caps         */
    uint32_t max_call_depth;       /* 0: default (StackOverflowError beyond)  */
    size_t value_stack_slots;      /* 0: default size of the value stack      */
    /* Resource limits (0: none); mica_set_limits changes them later. */
    size_t max_heap_bytes;         /* beyond it: OutOfMemoryError (catchable) */
    uint64_t max_steps;            /* per run: loop back edges + calls        */
    uint64_t max_time_ms;          /* per run: wall-clock deadline            */
    /* Capabilities granted (MICA_CAP_*); 0 by default. */
    unsigned caps;
    /* With MICA_CAP_READ / MICA_CAP_WRITE: when non-empty, only paths under
     * one of these directories may be read / written (checked after making
     * the path absolute and removing "." and ".."; symbolic links are not
     * resolved). Copied by mica_vm_new. */
    const char *const *read_dirs;
    size_t nread_dirs;
    const char *const *write_dirs;
    size_t nwrite_dirs;
    /* Program output (System.print, std.io's stdout and stderr); NULL: the
     * process's stdout and stderr. */
    MicaWriteFn write;
    void *write_ud;
    /* The JIT compiler (spec/embedding.md "JIT"); ignored where the build has
     * no backend for the host, which then interprets. */
    MicaJitMode jit_mode;          /* MICA_JIT_DEFAULT: on where available    */
    uint32_t jit_threshold;        /* calls or loop iterations before a method
                                    * compiles; 0: default                    */
    size_t jit_cache_bytes;        /* cap on code memory; 0: default          */
    bool jit_stats;                /* print JIT statistics to stderr at free  */
    bool jit_perf_map;             /* append /tmp/perf-<pid>.map entries      */
    const char *jit_print;         /* "Class.method": print its machine code
                                    * to stderr when compiled (copied)       */
    uint32_t gc_stress;            /* debugging: 0, or a full collection every
                                    * N allocations                           */
} MicaConfig;

/* Limits a host may change between runs (spec/embedding.md "Limits"). A
 * program stopped by a step budget or deadline ends with MICA_ERR_LIMIT, one
 * stopped by mica_interrupt with MICA_ERR_INTERRUPTED; neither can be caught. */
typedef struct MicaLimits {
    size_t max_heap_bytes;         /* 0: no cap                               */
    uint64_t max_steps;            /* 0: no budget                            */
    uint64_t max_time_ms;          /* 0: no deadline                          */
    uint32_t max_call_depth;       /* 0: the default depth                    */
} MicaLimits;

/* Fills [cfg] with defaults: no class path, no capabilities, no limits. */
MICA_API void mica_config_init(MicaConfig *cfg);

/* Creates a VM. On success *[out] owns it until mica_vm_free. Any thread may
 * create a VM; the library registers the thread with the collector. */
MICA_API MicaStatus mica_vm_new(const MicaConfig *cfg, MicaVM **out);
/* Frees the VM, its classes and handles; runs the finalizers of its foreign
 * objects that have not run yet. NULL is ignored. Called while the VM runs
 * (from a host function or hook) it does nothing but set the error text. */
MICA_API void mica_vm_free(MicaVM *vm);

/* Makes the class file [bytes] ([n] bytes, copied) available to the VM
 * under its own name, ahead of the class path. It is read, verified and
 * linked when first used; a malformed file is refused now. */
MICA_API MicaStatus mica_load_bytes(MicaVM *vm, const void *bytes, size_t n);

/* mica_load_bytes, with [origin] (a file name; copied; NULL: "bytes from the
 * host", as mica_load_bytes says) naming the class in every load, verification
 * and link error about it ("lib/Foo.mcl: Foo.bar()V @3 iadd: ..."). */
MICA_API MicaStatus mica_load_bytes_from(MicaVM *vm, const void *bytes, size_t n,
                                         const char *origin);

/* Compiles the Mica source [src] ([n] bytes; [file_name] is what diagnostics
 * and stack traces show) against the classes the VM can find (loaded bytes,
 * class path, standard library) and loads every class it declares, as
 * mica_load_bytes would. MICA_ERR_COMPILE with every diagnostic in
 * mica_error(vm)->diags; MICA_ERR_INVALID if a class it declares is already
 * loaded. */
MICA_API MicaStatus mica_compile(MicaVM *vm, const char *file_name, const char *src, size_t n);

/* Adds the .mar archive at [path] (spec/archive.md) to the VM's classes,
 * after classes loaded as bytes and archives loaded before it, ahead of the
 * class path; the archives its manifest requires are taken from the same
 * directory. The whole archive is checked now: MICA_ERR_FORMAT (message
 * naming archive and entry) or MICA_ERR_IO when it cannot be read. If
 * [main_class] is not NULL, *[main_class] is the manifest's main class
 * ("pkg/Main") or NULL; it lives as long as the VM. */
MICA_API MicaStatus mica_load_archive(MicaVM *vm, const char *path, const char **main_class);

/* The same for an archive held in memory ([n] bytes, copied), called [name]
 * in messages. Archives it requires must already be loaded (their file names
 * are matched against the last component of loaded archives' names). */
MICA_API MicaStatus mica_load_archive_bytes(MicaVM *vm, const char *name, const void *bytes,
                                            size_t n, const char **main_class);

/* Loads, verifies and links class [class_name] ("pkg.Name" or "pkg/Name")
 * without running any of its code. MICA_ERR_LINK, MICA_ERR_FORMAT or
 * MICA_ERR_VERIFY with mica_last_error() naming file, class, method and pc. */
MICA_API MicaStatus mica_verify_class(MicaVM *vm, const char *class_name);

/* Runs static main of [class_name] ("pkg.Main" or "pkg/Main"), which takes
 * either (String[]) or nothing. [argv] become the String[] argument.
 * MICA_ERR_EXIT: the program called System.exit; *[exit_code] has its code. */
MICA_API MicaStatus mica_run_main(MicaVM *vm, const char *class_name, int argc,
                                  const char *const *argv, int *exit_code);

/* ---- values and handles ----------------------------------------------------
 * A MicaValue is a typed Mica value. References are handles (MicaRef), never
 * raw pointers: 0 is null; any other handle names a slot of the VM's handle
 * table that keeps its object alive (a GC root) until it is released:
 *  - local handles (results of calls, strings, arrays, field reads) belong to
 *    the innermost open scope and are released by mica_scope_end; a host
 *    function's local handles are released when it returns;
 *  - global handles (mica_ref) live until mica_unref.
 * A released, forged or other VM's handle gives MICA_ERR_INVALID, never a
 * crash. */
typedef uint64_t MicaRef;

typedef enum MicaType {
    MICA_T_VOID = 0,   /* no value (the result of a void method)  */
    MICA_T_INT,        /* int: 64-bit signed                      */
    MICA_T_FLOAT,      /* float: IEEE double                      */
    MICA_T_BOOL,
    MICA_T_BYTE,       /* byte: unsigned 8-bit                    */
    MICA_T_REF,        /* an object, array or String handle, or null (0) */
} MicaType;

typedef struct MicaValue {
    MicaType type;
    union {
        int64_t i;
        double f;
        bool z;
        uint8_t b;
        MicaRef ref;
    } as;
} MicaValue;

static inline MicaValue mica_int(int64_t v) { MicaValue x; x.type = MICA_T_INT; x.as.i = v; return x; }
static inline MicaValue mica_float(double v) { MicaValue x; x.type = MICA_T_FLOAT; x.as.f = v; return x; }
static inline MicaValue mica_bool(bool v) { MicaValue x; x.type = MICA_T_BOOL; x.as.i = 0; x.as.z = v; return x; }
static inline MicaValue mica_byte(uint8_t v) { MicaValue x; x.type = MICA_T_BYTE; x.as.i = 0; x.as.b = v; return x; }
static inline MicaValue mica_null(void) { MicaValue x; x.type = MICA_T_REF; x.as.ref = 0; return x; }

/* A scope of local handles, like a JNI local frame. */
typedef size_t MicaScope;
/* Opens a scope: local handles made from now on belong to it. */
MICA_API MicaScope mica_scope_begin(MicaVM *vm);
/* Releases every local handle made since [s] was opened, and closes scopes
 * opened after it. MICA_ERR_INVALID for a scope already closed. */
MICA_API MicaStatus mica_scope_end(MicaVM *vm, MicaScope s);
/* A global handle to [v]'s object (null stays null), until mica_unref. */
MICA_API MicaStatus mica_ref(MicaVM *vm, MicaValue v, MicaValue *global);
/* Releases a global handle. MICA_ERR_INVALID if [global] is not one. */
MICA_API MicaStatus mica_unref(MicaVM *vm, MicaValue global);

/* ---- classes, methods, fields ---------------------------------------------- */
typedef struct MicaClass MicaClass;    /* valid for the life of the VM */
typedef struct MicaMethod MicaMethod;  /* valid for the life of the VM */
typedef struct MicaField MicaField;    /* valid for the life of the VM */

/* Loads, verifies and links class [name] ("app.Point", "app/Point"; no code
 * runs, no initialiser). MICA_ERR_LINK (not found), MICA_ERR_FORMAT,
 * MICA_ERR_VERIFY with the loader's or verifier's message. */
MICA_API MicaStatus mica_find_class(MicaVM *vm, const char *name, MicaClass **out);
/* The method [name] of class [cls] (or an ancestor) with descriptor [desc]
 * ("(II)I", "(Lstd/core/String;)V"; spec/bytecode.md). [desc] NULL: the
 * only method of that name (MICA_ERR_LINK if there are several).
 * Constructors are named "<init>". MICA_ERR_LINK when there is none. */
MICA_API MicaStatus mica_find_method(MicaVM *vm, const char *cls, const char *name,
                                     const char *desc, MicaMethod **out);
/* The field [name] of class [cls] (or an ancestor), static or instance. */
MICA_API MicaStatus mica_find_field(MicaVM *vm, const char *cls, const char *name,
                                    MicaField **out);

/* Calls [m] with [nargs] arguments ([args][0] is the receiver of an instance
 * method, which is dispatched on the receiver's class). Each argument's type
 * must match the descriptor (a reference must be null or an instance of the
 * parameter's class): MICA_ERR_INVALID otherwise. A static method's class is
 * initialised first. [ret] (may be NULL) gets the result, MICA_T_VOID for
 * void methods, a local handle for references. Re-entrant: a host function
 * may call mica_call. An exception the method does not catch gives
 * MICA_ERR_EXCEPTION with mica_error() describing it; limits and interrupts
 * give MICA_ERR_LIMIT / MICA_ERR_INTERRUPTED (and stop outer runs too). */
MICA_API MicaStatus mica_call(MicaVM *vm, MicaMethod *m, const MicaValue *args, size_t nargs,
                              MicaValue *ret);
/* new [cls](args) through its constructor <init>[desc] (NULL desc: "()V"),
 * initialising the class first. *[out] is a local handle. MICA_ERR_LINK (no
 * such class or constructor), MICA_ERR_INVALID (abstract class, interface,
 * array or String; arguments as for mica_call), MICA_ERR_EXCEPTION and the
 * other run statuses as for mica_call. */
MICA_API MicaStatus mica_new_object(MicaVM *vm, const char *cls, const char *desc,
                                    const MicaValue *args, size_t nargs, MicaValue *out);
/* Reads field [f] of [obj] (ignored for static fields: pass mica_null();
 * their class is initialised first). MICA_ERR_INVALID for a null, stale or
 * unrelated [obj]. A reference comes back as a local handle. */
MICA_API MicaStatus mica_get_field(MicaVM *vm, MicaValue obj, MicaField *f, MicaValue *out);
/* Writes field [f] of [obj] ([v]'s type must match; final fields too, as a
 * debugger would). */
MICA_API MicaStatus mica_set_field(MicaVM *vm, MicaValue obj, MicaField *f, MicaValue v);

/* A new String holding [n] bytes of UTF-8 [utf8] (copied); invalid UTF-8 is
 * refused with MICA_ERR_INVALID. */
MICA_API MicaStatus mica_new_string(MicaVM *vm, const char *utf8, size_t n, MicaValue *out);
/* The UTF-8 bytes of String [s], NUL-terminated, valid while [s]'s handle is. */
MICA_API MicaStatus mica_string_utf8(MicaVM *vm, MicaValue s, const char **bytes, size_t *n);
/* A new zeroed array of array type [desc] ("[I", "[Lstd/core/String;"),
 * *[out] a local handle. MICA_ERR_INVALID for a negative length or a
 * descriptor that is not an array's; MICA_ERR_EXCEPTION (OutOfMemoryError)
 * past the heap cap. The other array functions check the handle, the index
 * (MICA_ERR_INVALID naming index and length) and the element's type. */
MICA_API MicaStatus mica_new_array(MicaVM *vm, const char *desc, int64_t length,
                                   MicaValue *out);
MICA_API MicaStatus mica_array_length(MicaVM *vm, MicaValue a, int64_t *length);
MICA_API MicaStatus mica_array_get(MicaVM *vm, MicaValue a, int64_t index, MicaValue *out);
MICA_API MicaStatus mica_array_set(MicaVM *vm, MicaValue a, int64_t index, MicaValue v);
/* The internal name of [v]'s class ("app/Point", "[I"), valid for the life
 * of the VM. */
MICA_API MicaStatus mica_class_name(MicaVM *vm, MicaValue v, const char **name);
/* *[yes]: [v] is a non-null instance of class [cls] (or of a subclass). */
MICA_API MicaStatus mica_instance_of(MicaVM *vm, MicaValue v, const char *cls, bool *yes);

/* ---- host functions ----------------------------------------------------------
 * A Mica class declares the methods the host implements:
 *     class Host { @native("host", "add") static native fun add(a: int, b: int): int; }
 * and the host registers them, before the class links, with
 * mica_register_natives(vm, "app.Host", table, n). Linking the class checks
 * every native of library "host" against the table: a missing function, or
 * a descriptor that differs from the Mica declaration, is MICA_ERR_LINK
 * naming both; so is a table entry the class does not declare. Host
 * functions need no capability: the host chose to offer them.
 *
 * A host function gets the arguments as MicaValues (args[0] is `this` for an
 * instance method) and returns MICA_OK with *[ret] set (ignored for void), or
 * the status of mica_throw to raise an exception, or MICA_ERR_EXCEPTION after
 * a nested mica_call failed with an exception (which is then re-raised). Any
 * other status raises std.core.Exception naming the function and status.
 * Local handles it makes are released when it returns (the result is kept). */
typedef MicaStatus (*MicaHostFn)(MicaVM *vm, void *ctx, const MicaValue *args, size_t nargs,
                                 MicaValue *ret);

typedef struct MicaNative {
    const char *name;      /* the symbol of @native("host", name)            */
    const char *desc;      /* the method's descriptor: "(II)I"                */
    MicaHostFn fn;
    void *ctx;             /* passed to fn                                    */
} MicaNative;

/* Registers [n] host functions for class [cls] (table copied). Replaces an
 * earlier registration for the class. MICA_ERR_INVALID once [cls] is linked. */
MICA_API MicaStatus mica_register_natives(MicaVM *vm, const char *cls, const MicaNative *table,
                                          size_t n);

/* From a host function: makes a new exception of class [cls] ("app.MyError",
 * "IllegalArgumentError" for std.core; it must have a constructor taking a
 * String) with the printf-style message pending, and returns
 * MICA_ERR_EXCEPTION for the host function to return. Outside a host
 * function: MICA_ERR_INVALID. */
MICA_API MicaStatus mica_throw(MicaVM *vm, const char *cls, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- foreign objects ------------------------------------------------------------
 * An instance of Mica class [cls] (linked, not abstract; its fields start
 * zeroed and no constructor runs) that owns host pointer [data]. When the
 * collector finds the object unreachable it calls [finalize]([data]) (may be
 * NULL) once, on some thread that uses Mica, at an allocation; a finalizer
 * must not call into Mica. mica_vm_free runs the finalizers that have not run. */
MICA_API MicaStatus mica_foreign_new(MicaVM *vm, const char *cls, void *data,
                                     void (*finalize)(void *data), MicaValue *out);
/* The host pointer of foreign object [v]; MICA_ERR_INVALID if [v] is not one. */
MICA_API MicaStatus mica_foreign_data(MicaVM *vm, MicaValue v, void **data);

/* ---- errors ------------------------------------------------------------------- */
typedef struct MicaFrame {
    const char *cls;       /* dotted: "app.Main"                              */
    const char *method;    /* "main", "init" (constructor), "clinit"          */
    const char *file;      /* the SourceFile, or NULL                          */
    int line;              /* 0 unknown, -1 a native frame                     */
} MicaFrame;

typedef struct MicaDiagnostic {
    const char *file;
    int line, column;      /* 1-based                                          */
    const char *message;
} MicaDiagnostic;

typedef struct MicaError {
    MicaStatus status;     /* of the call that failed; MICA_OK when none      */
    const char *message;   /* the whole description (= mica_last_error)       */
    /* MICA_ERR_EXCEPTION: the exception, innermost cause last */
    const char *exception; /* its class, dotted ("std.core.IndexError")        */
    const char *detail;    /* its message, or NULL                             */
    const MicaFrame *frames;
    size_t nframes;
    const struct MicaError *cause;  /* NULL, or the cause (same fields)       */
    /* MICA_ERR_COMPILE */
    const MicaDiagnostic *diags;
    size_t ndiags;
} MicaError;

/* The failure of the last call into [vm] (status MICA_OK and message ""
 * after a call that succeeded). Owned by the VM, valid until the next call
 * into it. Never NULL: a NULL [vm] gives a static MICA_ERR_INVALID error. */
MICA_API const MicaError *mica_error(MicaVM *vm);

/* mica_error(vm)->message: for an uncaught exception its type, message and
 * stack trace, one frame a line. "" when the last call succeeded. */
MICA_API const char *mica_last_error(MicaVM *vm);

/* ---- limits, interrupts, threads ------------------------------------------------ */

/* Replaces the VM's limits. MICA_ERR_INVALID for NULL arguments or while the
 * VM is running; MICA_ERR_OOM if the frame table cannot grow. */
MICA_API MicaStatus mica_set_limits(MicaVM *vm, const MicaLimits *limits);

/* Asks the running program to stop at its next poll point (a loop back edge
 * or a call). Safe from any thread and from a signal handler; a request made
 * while nothing runs stops the next run at once. */
MICA_API void mica_interrupt(MicaVM *vm);

/* Registers the calling thread with the garbage collector. Every function
 * that takes a MicaVM does this itself, so hosts need not; it is offered for
 * threads that keep Mica values in their own memory. A thread is
 * unregistered when it exits or calls mica_thread_detach. */
MICA_API MicaStatus mica_thread_attach(void);
MICA_API void mica_thread_detach(void);

/* ---- hooks and stats ------------------------------------------------------------ */
#define MICA_HOOK_CALL   0x1u   /* a Mica method is entered                     */
#define MICA_HOOK_RETURN 0x2u   /* a Mica method returns (normally)             */
#define MICA_HOOK_LINE   0x4u   /* execution reaches a new source line          */
#define MICA_HOOK_THROW  0x8u   /* an exception is thrown                        */

typedef struct MicaHookEvent {
    unsigned event;        /* one MICA_HOOK_*                                 */
    const char *cls;       /* internal name of the method's class              */
    const char *method;
    const char *desc;
    int line;              /* 0 when unknown                                   */
    const char *exception; /* MICA_HOOK_THROW: the exception's class           */
} MicaHookEvent;

/* Called on the running thread; it may read the event, call mica_interrupt,
 * and nothing else of the VM. */
typedef void (*MicaHook)(void *ud, const MicaHookEvent *ev);

/* Calls [fn] for the [events] (MICA_HOOK_* ORed; 0 or a NULL [fn] turns hooks
 * off). While hooks are on, the program runs in the interpreter only (and
 * polls at every call and back edge); with hooks off they cost nothing.
 * MICA_ERR_INVALID for unknown event bits, events without [fn], or while the
 * VM runs. The event's strings are valid during the hook call. */
MICA_API MicaStatus mica_set_hook(MicaVM *vm, unsigned events, MicaHook fn, void *ud);

typedef struct MicaStats {
    size_t heap_bytes;        /* this VM's count against max_heap_bytes        */
    size_t heap_cap;          /* max_heap_bytes, 0 none                        */
    uint64_t allocations;     /* objects this VM allocated                      */
    size_t gc_heap_size;      /* the collector's heap, process-wide            */
    uint64_t collections;     /* collections so far, process-wide               */
    size_t classes_loaded;    /* classes of this VM (array classes included)    */
    size_t handles;           /* live local + global handles                    */
    uint64_t jit_compiled;    /* methods the JIT compiled (0 without a JIT)     */
    uint64_t jit_code_bytes;  /* machine code they take                         */
} MicaStats;

MICA_API MicaStatus mica_stats(MicaVM *vm, MicaStats *out);

/* The bytes of an embedded standard-library class ("std/core/String"), or
 * NULL. Valid for the life of the process. */
MICA_API const uint8_t *mica_std_class(const char *internal_name, size_t *len);
/* True if [internal_name] (a class, or a package as "std/io") is in a sealed
 * package: std and its subpackages, which only the embedded standard library
 * defines. A compiler resolving classes for the VM should take such names from
 * mica_std_class only. */
MICA_API bool mica_std_sealed(const char *internal_name);
/* Calls [fn] for each embedded standard-library class in package [pkg]. */
MICA_API void mica_std_list(const char *pkg, void (*fn)(void *arg, const char *internal_name),
                            void *arg);

/* The sampling profiler (spec/embedding.md "Profiling"). mica_profile_start
 * samples the Mica frames of the calling thread, which must be the one that runs
 * the program, [hz] times per second of its CPU time (0: 1000); it costs nothing
 * while it is off. MICA_ERR_INVALID where the platform has no per-thread CPU
 * timers, or when it already runs. */
MICA_API MicaStatus mica_profile_start(MicaVM *vm, unsigned hz);
/* Stops sampling. *[samples] gets the timer periods sampled since the VM was made,
 * *[lost] those dropped because the sample buffer was full (either may be NULL). */
MICA_API MicaStatus mica_profile_stop(MicaVM *vm, uint64_t *samples, uint64_t *lost);
/* Calls [fn] once per sample (after mica_profile_stop) with its frames, outermost
 * first, each named "pkg.Class.method" (the innermost 512 frames of deeper
 * stacks; a sample taken outside Mica code has none), and the number of timer
 * periods it stands for (a timer firing late counts its missed periods). */
MICA_API MicaStatus mica_profile_stacks(MicaVM *vm,
                                        void (*fn)(void *ud, const char *const *frames,
                                                   size_t n, uint64_t weight),
                                        void *ud);

#ifdef __cplusplus
}
#endif
#endif
