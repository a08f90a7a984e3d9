/* mica.h: the public embedding API of the Mica VM.
 *
 * Everything hangs off a MicaVM; a process may create and destroy any
 * number of them. No function aborts or longjmps out of the library: each
 * returns a status, and mica_last_error() describes the last failure.
 * spec/embedding.md is the normative description.
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

#define MICA_VERSION_STRING "0.1.0"

typedef enum MicaStatus {
    MICA_OK = 0,
    MICA_ERR_INVALID,      /* bad argument from the host                      */
    MICA_ERR_FORMAT,       /* malformed class file                            */
    MICA_ERR_VERIFY,       /* class file failed verification                  */
    MICA_ERR_LINK,         /* missing class, field, method or native          */
    MICA_ERR_COMPILE,      /* source failed to compile                        */
    MICA_ERR_EXCEPTION,    /* an uncaught Mica exception                      */
    MICA_ERR_OOM,          /* out of memory                                   */
    MICA_ERR_LIMIT,        /* a configured limit was reached                  */
    MICA_ERR_INTERRUPTED,  /* stopped by mica_interrupt or a budget           */
    MICA_ERR_IO,           /* a file could not be read                        */
    MICA_ERR_EXIT,         /* the program called System.exit                  */
} MicaStatus;

typedef struct MicaVM MicaVM;

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
    bool allow_native;             /* may non-std classes bind natives?       */
    uint32_t max_call_depth;       /* 0: default (StackOverflowError beyond)  */
    size_t value_stack_slots;      /* 0: default size of the value stack      */
    /* Resource limits (0: none); mica_set_limits changes them later. */
    size_t max_heap_bytes;         /* beyond it: OutOfMemoryError (catchable) */
    uint64_t max_steps;            /* per run: loop back edges + calls        */
    uint64_t max_time_ms;          /* per run: wall-clock deadline            */
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

/* Fills [cfg] with defaults: no class path, capabilities off. */
MICA_API void mica_config_init(MicaConfig *cfg);

/* Creates a VM. On success *[out] owns it until mica_vm_free. */
MICA_API MicaStatus mica_vm_new(const MicaConfig *cfg, MicaVM **out);
MICA_API void mica_vm_free(MicaVM *vm);

/* Makes the class file [bytes] ([n] bytes, copied) available to the VM
 * under its own name, ahead of the class path. It is read, verified and
 * linked when first used; a malformed file is refused now. */
MICA_API MicaStatus mica_load_bytes(MicaVM *vm, const void *bytes, size_t n);

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

/* A description of the last failure (for an uncaught exception: its type,
 * message and stack trace, one frame a line), owned by the VM, valid until
 * the next call into it. "" when there was none. */
MICA_API const char *mica_last_error(MicaVM *vm);

/* Replaces the VM's limits. MICA_ERR_INVALID for NULL arguments or while the
 * VM is running; MICA_ERR_OOM if the frame table cannot grow. */
MICA_API MicaStatus mica_set_limits(MicaVM *vm, const MicaLimits *limits);

/* Asks the running program to stop at its next poll point (a loop back edge
 * or a call). Safe from any thread and from a signal handler; a request made
 * while nothing runs stops the next run at once. */
MICA_API void mica_interrupt(MicaVM *vm);

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

#ifdef __cplusplus
}
#endif
#endif
