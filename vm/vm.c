/* vm/vm.c: the embedding API of include/mica.h: VM lifecycle, loading class
 * bytes, running main, the last error and buffered program output. */
#include "vm.h"
#include "cm_mem.h"

#include <stdarg.h>

#include "jit.h"
#include "cm_assert.h"

#include <stdlib.h>
#include "api.h"
#include "natives.h"
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

/* Reports the used part of the value stack to the collector: frames are
 * contiguous and the interpreter saves the top frame's sp before anything that
 * can allocate, so [stack, top sp) is exactly the live part; slots above it
 * are dead and must not keep garbage alive. */
/* A call zeroes only the declared locals its method may read before storing
 * them (interp.c call_facts); the others keep whatever an earlier call left in
 * their slots until their first store, and the conservative scan below would
 * keep that garbage alive (a whole data structure, from one stale slot). So in
 * every frame, those locals not yet stored on every path to the instruction
 * the frame is at are zeroed first: each path from there stores them before
 * reading them (the verifier's definite assignment), so no program sees it.
 *
 * This needs a frame's ip to be exact (not behind a store it has made)
 * whenever a collection runs on the VM's thread, which is only inside an
 * allocation. The interpreter saves ip (SAVE) before anything that can
 * allocate or call, and advances it past a fused form's stores first.
 * Compiled code (jit/compile.c) publishes ip at the instruction itself (sync)
 * before every call, every helper that can allocate or run Mica code and every
 * frame it pushes above its own (an inlined body's frame included), and never
 * defers a store to a local; a frame pushed by a direct compiled call has a
 * stale ip only until its first sync, before which it calls nothing. That
 * holds of the top frame too, the one that allocates: without it, the top
 * frame's stale slots kept a previous DeltaBlue planner alive in some runs
 * (bench/README.md). Left as they are: a frame whose ip is not in its own
 * method's code (a native's, NULL), and a VM that runs on another thread than
 * the collecting one (stopped anywhere by the collector). */
static void clear_unstored_locals(MicaVM *vm)
{
    if (!pthread_equal(vm->cstack_thread, pthread_self()))
        return;
    for (uint32_t k = 0; k < vm->nframes; k++) {
        VmFrame *f = &vm->frames[k];
        VmMethod *m = f->m;
        if (!m || !m->code || !f->ip || !f->base || f->ip < m->code ||
            f->ip >= m->code + m->ncode ||
            (m->clear_from == m->nparams && m->clear_to == m->nlocals))
            continue;
        const uint64_t *st = vm_stored_before(m, (uint32_t)(f->ip - m->code));
        if (!st)
            continue;
        for (uint32_t l = m->nparams; l < m->nlocals; l++) {
            uint32_t b = l - m->nparams;
            if ((l < m->clear_from || l >= m->clear_to) && !(st[b / 64] >> (b % 64) & 1))
                f->base[l] = 0;
        }
    }
}

static void scan_value_stack(void *arg)
{
    MicaVM *vm = arg;
    if (!vm->nframes)
        return;
    clear_unstored_locals(vm);
    /* push_frame starts sp above the locals, so [stack, sp) covers them */
    uint64_t *top = vm->frames[vm->nframes - 1].sp;
    if (!top || top < vm->stack)
        top = vm->stack_end;
    if (top > vm->stack_end)
        top = vm->stack_end;
    gc_push_range(vm->stack, top);
}

/* The frame table: reserved with mmap, so that a new VM costs no zeroing of
 * megabytes (calloc of a block malloc recycles must clear it) and pages are
 * touched only as deep as programs call. */
static VmFrame *frames_alloc(size_t n)
{
    void *p = mmap(NULL, n * sizeof(VmFrame), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void frames_free(VmFrame *f, size_t n)
{
    if (f)
        munmap(f, n * sizeof(VmFrame));
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void mica_config_init(MicaConfig *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
}

MicaStatus mica_vm_new(const MicaConfig *cfg, MicaVM **out)
{
    if (!out)
        return MICA_ERR_INVALID;
    *out = NULL;
    if (gc_thread_attach() < 0)
        return MICA_ERR_OOM;
    MicaConfig def;
    if (!cfg) {
        mica_config_init(&def);
        cfg = &def;
    }
    if ((cfg->nclasspath && !cfg->classpath) ||
        cfg->max_call_depth > UINT32_MAX - VM_FRAME_RESERVE)
        return MICA_ERR_INVALID;
    MicaVM *vm = cm_calloc(1, sizeof *vm);
    if (!vm)
        return MICA_ERR_OOM;
    if (!gc_heap_init(&vm->heap)) {
        free(vm);
        return MICA_ERR_OOM;
    }
    vm->cfg = *cfg;
    vm->cfg.classpath = NULL;
    /* line-buffered on a terminal, like C's stdout, so prompts and progress show */
    vm->out_tty = !cfg->write && isatty(STDOUT_FILENO);
    vm->jit_call_threshold = vm->jit_loop_threshold = UINT64_MAX;
    size_t slots = cfg->value_stack_slots ? cfg->value_stack_slots
                                           : VM_DEFAULT_VALUE_STACK_SLOTS;
    vm->max_depth = cfg->max_call_depth ? cfg->max_call_depth : VM_DEFAULT_MAX_CALL_DEPTH;
    vm->max_frames = vm->max_depth + VM_FRAME_RESERVE;
    vm->heap.limit = cfg->max_heap_bytes;
    vm->heap.stress = cfg->gc_stress;
    vm->max_steps = cfg->max_steps;
    vm->max_time_ms = cfg->max_time_ms;
    atomic_init(&vm->interrupt_req, 0);
    vm->last_error = cm_strdup("");
    vm->roots = gc_alloc_root(&vm->heap, sizeof *vm->roots);
    /* The value stack is reserved, not committed: pages are touched only as
     * deep as the program recurses, and the collector sees only the used part
     * (scan_value_stack). */
    if (slots < SIZE_MAX / 8) {
        void *p = mmap(NULL, slots * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        vm->stack = p == MAP_FAILED ? NULL : p;
        vm->stack_end = vm->stack ? vm->stack + slots : NULL;
    }
    vm->frames = frames_alloc(vm->max_frames);
    vm->jit_frame_limit = vm->frames ? &vm->frames[vm->max_depth - 1] : NULL;
    if (!vm->last_error || !vm->roots || !vm->stack || !vm->frames ||
        vm_sources_init(vm, cfg->classpath, cfg->nclasspath) < 0)
        goto fail;
    if (vm_api_init(vm, cfg) < 0 || std_natives_install(vm) < 0)
        goto fail;
    vm->heap.measure = vm_heap_measure;
    vm->heap.measure_arg = vm;
    jit_init(vm);
    vm->cfg.jit_print = NULL; /* jit_init keeps its own copy */
    vm->scanner.scan = scan_value_stack;
    vm->scanner.arg = vm;
    gc_add_scanner(&vm->scanner);
    *out = vm;
    return MICA_OK;
fail:
    mica_vm_free(vm);
    return MICA_ERR_OOM;
}

void mica_vm_free(MicaVM *vm)
{
    if (!vm)
        return;
    gc_thread_attach();
    if (vm->nframes) {
        /* from a host function or hook: freeing the VM under the running
         * program would crash it; refused (the error says so) */
        vm_set_error(vm, "mica_vm_free cannot be called while the VM runs");
        return;
    }
    vm_profile_free(vm);
    free(vm->dispatch_cache);
#if VM_OP_PROFILE
    vm_op_profile_write(vm);
#endif
    vm_flush(vm);
    vm_api_free(vm);
    jit_free(vm);
    vm_free_classes(vm);
    vm_free_libs(vm);
    while (vm->pending_classes) {
        VmPending *p = vm->pending_classes;
        vm->pending_classes = p->next;
        cf_class_free(p->cf);
        free(p->name);
        free(p->origin);
        free(p);
    }
    vm_sources_free(vm);
    gc_remove_scanner(&vm->scanner);
    if (vm->stack)
        munmap(vm->stack, (size_t)(vm->stack_end - vm->stack) * sizeof(uint64_t));
    gc_free_root(vm->roots);
    frames_free(vm->frames, vm->max_frames);
    free(vm->last_error);
    free(vm->halt_trace);
    free(vm);
}

static MicaStatus load_bytes(MicaVM *vm, const void *bytes, size_t n, const char *origin)
{
    if (!bytes && n) {
        vm_set_error(vm, "mica_load_bytes: NULL bytes");
        return MICA_ERR_INVALID;
    }
    CfError err;
    CfClass *cf = cf_read(bytes, n, origin, &err);
    if (!cf) {
        vm_set_error(vm, "%s", err.msg);
        return MICA_ERR_FORMAT;
    }
    const char *name = cf_this_name(cf);
    if (name && vm_class_name_is_sealed(name)) {
        MicaStatus st = vm_refuse_sealed(vm, name, origin);
        cf_class_free(cf);
        return st;
    }
    bool dup = false;
    for (VmPending *p = vm->pending_classes; p && name; p = p->next)
        dup |= strcmp(p->name, name) == 0;
    if (!name || dup || vm_load_class_if_loaded(vm, name)) {
        vm_set_error(vm, "class %s is already loaded", name ? name : "?");
        cf_class_free(cf);
        return MICA_ERR_INVALID;
    }
    VmPending *p = cm_calloc(1, sizeof *p);
    if (!p || !(p->name = cm_strdup(name)) || !(p->origin = cm_strdup(origin)) ||
        vm_keep_bytes(vm, name, bytes, n) < 0) {
        if (p) {
            free(p->name);
            free(p->origin);
        }
        free(p);
        cf_class_free(cf);
        vm_set_error(vm, "out of memory");
        return MICA_ERR_OOM;
    }
    p->cf = cf;
    p->next = vm->pending_classes;
    vm->pending_classes = p;
    return MICA_OK;
}

MicaStatus mica_load_bytes(MicaVM *vm, const void *bytes, size_t n)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    MicaStatus st = load_bytes(vm, bytes, n, "bytes from the host");
    return st == MICA_OK ? st : vm_api_fail(vm, st);
}

MicaStatus mica_load_bytes_from(MicaVM *vm, const void *bytes, size_t n, const char *origin)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    MicaStatus st = load_bytes(vm, bytes, n, origin ? origin : "bytes from the host");
    return st == MICA_OK ? st : vm_api_fail(vm, st);
}

static MicaStatus add_archive(MicaVM *vm, CfArchive *a, CfError *err, const char *dir,
                              const char **main_class)
{
    if (!a) {
        vm_set_error(vm, "%s", err->msg);
        return strstr(err->msg, ": cannot open:") || strstr(err->msg, ": cannot read:")
                   ? MICA_ERR_IO : MICA_ERR_FORMAT;
    }
    const char *main = a->manifest.main_class;
    MicaStatus st = vm_sources_add_archive(vm, a, dir);
    if (st == MICA_OK && main_class)
        *main_class = main;
    return st;
}

static MicaStatus mica_load_archive_impl(MicaVM *vm, const char *path, const char **main_class)
{
    if (main_class)
        *main_class = NULL;
    if (!vm || !path)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    CfError err;
    err.msg[0] = 0;
    CfArchive *a = cf_archive_read_file(path, &err);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : cm_strdup("");
    if (!dir) {
        cf_archive_free(a);
        vm_set_error(vm, "out of memory");
        return MICA_ERR_OOM;
    }
    MicaStatus st = add_archive(vm, a, &err, dir, main_class);
    free(dir);
    return st;
}

static MicaStatus mica_load_archive_bytes_impl(MicaVM *vm, const char *name, const void *bytes, size_t n,
                                         const char **main_class)
{
    if (main_class)
        *main_class = NULL;
    if (!vm || (!bytes && n))
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    CfError err;
    err.msg[0] = 0;
    CfArchive *a = cf_archive_read(bytes, n, name ? name : "archive", &err);
    return add_archive(vm, a, &err, NULL, main_class);
}

/* "pkg.Main" or "pkg/Main" as an internal name in [buf]; false if too long. */
static bool internal_name(const char *name, char *buf, size_t size)
{
    size_t i = 0;
    for (; name[i]; i++) {
        if (i + 1 >= size)
            return false;
        buf[i] = name[i] == '.' ? '/' : name[i];
    }
    buf[i] = 0;
    return true;
}

static MicaStatus mica_verify_class_impl(MicaVM *vm, const char *class_name)
{
    if (!vm || !class_name)
        return MICA_ERR_INVALID;
    if (vm->nframes) {
        vm_set_error(vm, "mica_verify_class cannot be called from inside a running program");
        return MICA_ERR_INVALID;
    }
    vm_api_enter(vm);
    char internal[CF_MAX_NAME_LEN + 1];
    if (!internal_name(class_name, internal, sizeof internal)) {
        vm_set_error(vm, "class name is longer than %d bytes", CF_MAX_NAME_LEN);
        return MICA_ERR_INVALID;
    }
    MicaStatus st;
    VmClass *c = vm_load_class(vm, internal, &st);
    if (!c)
        return st;
    if (vm_link_class(vm, c, &st) < 0)
        return st;
    return MICA_OK;
}

static void reset_run_state(MicaVM *vm)
{
    vm->roots->pending = NULL;
    vm->fatal = false;
    vm->exiting = false;
    vm->exit_code = 0;
    vm->raising = 0;
    vm->halt = MICA_OK;
}

void vm_start_limits(MicaVM *vm)
{
    vm->steps_left = vm->max_steps;
    vm->deadline_ns = vm->max_time_ms ? now_ns() + vm->max_time_ms * 1000000u : 0;
    vm->poll_left = 0;
}

/* Stops the run for good: nothing pending, handlers skipped (vm->fatal). */
static int halt(MicaVM *vm, MicaStatus st, const char *msg)
{
    vm->halt = st;
    snprintf(vm->halt_msg, sizeof vm->halt_msg, "%s", msg);
    vm_set_error(vm, "%s", vm->halt_msg);
    vm->roots->pending = NULL;
    vm->fatal = true;
    vm->poll_left = 0;
    return -1;
}

int vm_halt(MicaVM *vm, MicaStatus st, const char *fmt, ...)
{
    char msg[sizeof vm->halt_msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return halt(vm, st, msg);
}

int vm_unreachable(MicaVM *vm, const VmMethod *m, const VmInsn *ip)
{
    MICA_ASSERT(!ip || !m->code || (ip >= m->code && ip - m->code <= (ptrdiff_t)m->ncode));
    if (!ip || !m->pcs)
        return vm_halt(vm, MICA_ERR_VERIFY, "unreachable code executed in %s.%s%s",
                       m->cls->name, m->name, m->desc);
    return vm_halt(vm, MICA_ERR_VERIFY, "unreachable code executed in %s.%s%s @%u",
                   m->cls->name, m->name, m->desc, m->pcs[ip - m->code]);
}

int vm_poll(MicaVM *vm)
{
    char msg[96];
    if (vm->halt) {
        vm->roots->pending = NULL;
        vm->poll_left = 0;
        return -1;
    }
    if (atomic_exchange(&vm->interrupt_req, 0)) {
        free(vm->halt_trace);
        vm->halt_trace = vm_stack_text(vm, "interrupted");
        return halt(vm, MICA_ERR_INTERRUPTED, "interrupted");
    }
    if (vm->deadline_ns && now_ns() >= vm->deadline_ns) {
        snprintf(msg, sizeof msg, "time limit of %llu ms exceeded",
                 (unsigned long long)vm->max_time_ms);
        return halt(vm, MICA_ERR_LIMIT, msg);
    }
    /* with hooks on, every event polls (calls report MICA_HOOK_CALL here) */
    int64_t chunk = vm->hooks ? 1 : VM_POLL_INTERVAL;
    if (vm->max_steps) {
        if (vm->steps_left == 0) {
            snprintf(msg, sizeof msg, "step budget of %llu exceeded",
                     (unsigned long long)vm->max_steps);
            return halt(vm, MICA_ERR_LIMIT, msg);
        }
        if (vm->steps_left < (uint64_t)chunk)
            chunk = (int64_t)vm->steps_left;
        vm->steps_left -= (uint64_t)chunk;
    }
    vm->poll_left = chunk;
    return 0;
}

int vm_native_poll(MicaVM *vm)
{
    if (vm->halt || atomic_load(&vm->interrupt_req) ||
        (vm->deadline_ns && now_ns() >= vm->deadline_ns))
        return vm_poll(vm) < 0 || vm->halt ? -1 : 0;
    return 0;
}

int vm_poll_call(MicaVM *vm, VmMethod *m)
{
    if (vm->hooks & MICA_HOOK_CALL)
        vm_hook_fire(vm, MICA_HOOK_CALL, m, 0, NULL);
    return vm_poll(vm);
}

MicaStatus mica_set_limits(MicaVM *vm, const MicaLimits *l)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    if (!l)
        return vm_api_invalid(vm, "mica_set_limits: NULL limits");
    if (vm->nframes)
        return vm_api_invalid(vm, "mica_set_limits cannot be called while the VM runs");
    uint32_t depth = l->max_call_depth ? l->max_call_depth : VM_DEFAULT_MAX_CALL_DEPTH;
    if (depth > UINT32_MAX - VM_FRAME_RESERVE)
        return vm_api_invalid(vm, "mica_set_limits: max_call_depth %u is too large", depth);
    if (depth != vm->max_depth) {
        VmFrame *f = frames_alloc((size_t)depth + VM_FRAME_RESERVE);
        if (!f) {
            vm_set_error(vm, "out of memory for %u frames", depth);
            return vm_api_fail(vm, MICA_ERR_OOM);
        }
        frames_free(vm->frames, vm->max_frames);
        vm->frames = f;
        vm->max_depth = depth;
        vm->max_frames = depth + VM_FRAME_RESERVE;
        vm->jit_frame_limit = &vm->frames[depth - 1];
    }
    vm->heap.limit = l->max_heap_bytes;
    vm->max_steps = l->max_steps;
    vm->max_time_ms = l->max_time_ms;
    return MICA_OK;
}

void mica_interrupt(MicaVM *vm)
{
    if (vm)
        atomic_store(&vm->interrupt_req, 1);
}

/* The status of a run that returned -1. */
static MicaStatus failed_run(MicaVM *vm, int *exit_code)
{
    vm_flush(vm);
    if (vm->halt) {
        vm->roots->pending = NULL;
        vm_set_error(vm, "%s", vm->halt_msg);
        if (vm->halt == MICA_ERR_INTERRUPTED && vm->halt_trace) {
            free(vm->last_error);
            vm->last_error = vm->halt_trace;
            vm->halt_trace = NULL;
        }
        return vm->halt;
    }
    if (vm->exiting) {
        if (exit_code)
            *exit_code = vm->exit_code;
        vm->roots->pending = NULL;
        vm_set_error(vm, "%s", "");
        return MICA_ERR_EXIT;
    }
    VmObject *exc = vm->roots->pending;
    vm->roots->pending = NULL;
    if (exc) {
        vm_describe_exception(vm, exc);
        vm->api->roots->error_exc = exc;
        return MICA_ERR_EXCEPTION;
    }
    return MICA_ERR_LINK;
}

static MicaStatus run_main(MicaVM *vm, const char *class_name, int argc,
                           const char *const *argv, int *exit_code);

MicaStatus mica_run_main(MicaVM *vm, const char *class_name, int argc,
                         const char *const *argv, int *exit_code)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    if (exit_code)
        *exit_code = 0;
    if (!class_name || argc < 0 || (argc && !argv))
        return vm_api_invalid(vm, "mica_run_main: %s",
                              !class_name ? "NULL class name"
                              : argc < 0  ? "negative argc"
                                          : "NULL argv");
    if (vm->nframes)
        return vm_api_invalid(vm, "mica_run_main cannot be called from inside a running program");
    MicaStatus st = run_main(vm, class_name, argc, argv, exit_code);
    return st == MICA_OK ? st : vm_api_fail(vm, st);
}

static MicaStatus run_main(MicaVM *vm, const char *class_name, int argc,
                           const char *const *argv, int *exit_code)
{
    reset_run_state(vm);
    vm_start_limits(vm);
    char internal[1024];
    size_t i = 0;
    for (; class_name[i] && i + 1 < sizeof internal; i++)
        internal[i] = class_name[i] == '.' ? '/' : class_name[i];
    internal[i] = 0;
    MicaStatus st;
    VmClass *c = vm_load_class(vm, internal, &st);
    if (!c)
        return st;
    if (vm_link_class(vm, c, &st) < 0)
        return st;
    VmMethod *m = vm_find_declared(c, "main", "([Lstd/core/String;)V");
    bool with_args = m != NULL;
    if (!m)
        m = vm_find_declared(c, "main", "()V");
    if (!m || !(m->flags & CF_ACC_STATIC)) {
        vm_set_error(vm, "class %s has no static main(String[]) or main()", class_name);
        return MICA_ERR_LINK;
    }
    uint64_t arg = 0;
    if (with_args) {
        VmClass *sa = vm_load_class(vm, "[Lstd/core/String;", &st);
        if (!sa)
            return st;
        VmArray *a = vm_new_array(vm, sa, argc);
        if (!a)
            return failed_run(vm, exit_code);
        for (int k = 0; k < argc; k++) {
            VmString *s = vm_new_string(vm, argv[k] ? argv[k] : "", argv[k] ? strlen(argv[k])
                                                                               : 0);
            if (!s)
                return failed_run(vm, exit_code);
            ((uint64_t *)vm_array_data(a))[k] = vm_ref_slot(s);
        }
        arg = vm_ref_slot(a);
    }
    if (vm_init_class(vm, c) < 0 || vm_call(vm, m, &arg, with_args ? 1 : 0, NULL) < 0)
        return failed_run(vm, exit_code);
    vm_flush(vm);
    return MICA_OK;
}

const char *mica_last_error(MicaVM *vm)
{
    if (!vm || !vm->last_error)
        return "";
    return vm->last_error;
}

void vm_out(MicaVM *vm, const char *s, size_t n)
{
    if (vm->outlen + n > sizeof vm->outbuf) {
        vm_flush(vm);
        if (n > sizeof vm->outbuf) {
            vm_write(vm, 1, s, n);
            return;
        }
    }
    memcpy(vm->outbuf + vm->outlen, s, n);
    vm->outlen += n;
    if (vm->out_tty && memchr(s, '\n', n))
        vm_flush(vm);
}

void vm_flush(MicaVM *vm)
{
    if (vm->outlen) {
        size_t n = vm->outlen;
        vm->outlen = 0;
        vm_write(vm, 1, vm->outbuf, n);
    }
    if (!vm->cfg.write)
        fflush(stdout);
}

void vm_write(MicaVM *vm, int stream, const char *s, size_t n)
{
    if (vm->cfg.write) {
        if (n)
            vm->cfg.write(vm->cfg.write_ud, stream, s, n);
        return;
    }
    FILE *f = stream == 2 ? stderr : stdout;
    if (n)
        fwrite(s, 1, n, f);
    if (stream == 2)
        fflush(f);
}

MicaStatus mica_load_archive(MicaVM *vm, const char *path, const char **main_class)
{
    MicaStatus st = mica_load_archive_impl(vm, path, main_class);
    return st == MICA_OK || !vm ? st : vm_api_fail(vm, st);
}

MicaStatus mica_load_archive_bytes(MicaVM *vm, const char *name, const void *bytes, size_t n,
                                   const char **main_class)
{
    MicaStatus st = mica_load_archive_bytes_impl(vm, name, bytes, n, main_class);
    return st == MICA_OK || !vm ? st : vm_api_fail(vm, st);
}

MicaStatus mica_verify_class(MicaVM *vm, const char *class_name)
{
    MicaStatus st = mica_verify_class_impl(vm, class_name);
    return st == MICA_OK || !vm ? st : vm_api_fail(vm, st);
}
