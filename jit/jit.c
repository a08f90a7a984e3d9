/* jit/jit.c: the JIT's runtime side: per-VM state from the configuration,
 * the code cache (W^X: code is written while its pages are read+write and
 * only then made read+exec; no page is ever both), compiling a method
 * (promotion), and the tools (statistics, perf map, printing machine code). */
#include "jit_private.h"
#include "cm_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if MICA_JIT_BACKEND

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void jit_init(MicaVM *vm)
{
    const MicaConfig *cfg = &vm->cfg;
    vm->jit_call_threshold = UINT64_MAX;
    vm->jit_loop_threshold = UINT64_MAX;
    if (cfg->jit_mode == MICA_JIT_OFF)
        return;
    JitState *j = cm_calloc(1, sizeof *j);
    if (!j)
        return;
    j->mode = cfg->jit_mode == MICA_JIT_DEFAULT ? MICA_JIT_ON : cfg->jit_mode;
    j->cache_size = cfg->jit_cache_bytes ? cfg->jit_cache_bytes : VM_JIT_CACHE_BYTES;
    long page = sysconf(_SC_PAGESIZE);
    size_t pg = page > 0 ? (size_t)page : 4096;
    j->cache_size = (j->cache_size + pg - 1) / pg * pg;
    /* reserved, not committed: pages become read+write only while code is
     * written into them, then read+exec */
    void *p = mmap(NULL, j->cache_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) {
        free(j);
        return;
    }
    j->cache = p;
    j->stats = cfg->jit_stats;
    j->perf_map = cfg->jit_perf_map;
    j->print = cfg->jit_print ? cm_strdup(cfg->jit_print) : NULL;
    vm->jit = j;
    uint64_t t = cfg->jit_threshold ? cfg->jit_threshold : VM_JIT_THRESHOLD;
    if (j->mode == MICA_JIT_ALWAYS)
        t = 0;
    vm->jit_call_threshold = t;
    vm->jit_loop_threshold = t ? t : 1;
}

void jit_free(MicaVM *vm)
{
    JitState *j = vm->jit;
    if (!j)
        return;
    if (j->stats)
        fprintf(stderr,
                "jit: %llu methods compiled, %llu left to the interpreter, %llu OSR entries, "
                "%llu bytes of code, %.3f ms compiling\n",
                (unsigned long long)j->compiled, (unsigned long long)j->failed,
                (unsigned long long)j->osr_entries, (unsigned long long)j->code_bytes,
                (double)j->compile_ns / 1e6);
    while (j->codes) {
        JitCode *c = j->codes;
        j->codes = c->next;
        free(c->offsets);
        free(c);
    }
    munmap(j->cache, j->cache_size);
    free(j->print);
    free(j);
    vm->jit = NULL;
}

void jit_count_osr(MicaVM *vm)
{
    if (vm->jit)
        vm->jit->osr_entries++;
}

void jit_counts(MicaVM *vm, uint64_t *compiled, uint64_t *code_bytes)
{
    *compiled = vm->jit ? vm->jit->compiled : 0;
    *code_bytes = vm->jit ? vm->jit->code_bytes : 0;
}

void *jit_address(const VmMethod *m, uint32_t idx)
{
    const JitCode *c = m->jit;
    if (!c || idx >= c->n || c->offsets[idx] == JIT_NO_OFFSET)
        return NULL;
    /* m's frame, the top one, is entered in its middle: the room its body's
     * entry would have checked (beyond vm_jit_room's one frame), else it
     * stays where it is */
    const MicaVM *vm = m->cls->vm;
    const VmFrame *fr = vm->nframes ? &vm->frames[vm->nframes - 1] : NULL;
    if (fr && fr->m == m &&
        ((uintptr_t)vm->stack_end - (uintptr_t)fr->base < c->room.stack_bytes ||
         (uintptr_t)vm->jit_frame_limit <= (uintptr_t)(fr + c->room.frames - 1)))
        return NULL;
    return c->code + c->offsets[idx];
}

void jit_free_method(VmMethod *m)
{
    (void)m; /* records belong to the VM's list, freed with the cache */
}

/* Copies [n] bytes of code into the cache: the pages it touches are made
 * read+write, written, then read+exec, and the instruction cache is made to see
 * them before any of it runs (a no-op on x86-64; on AArch64 data and instruction
 * caches are not coherent). NULL when the cache is full.
 *
 * On macOS (Apple silicon) mprotect cannot make a page executable after it was
 * writable: the cache would be mapped once with MAP_JIT (PROT_READ | PROT_WRITE |
 * PROT_EXEC) in jit_init, and here the two mprotect calls become
 * pthread_jit_write_protect_np(0) before the memcpy and pthread_jit_write_protect_np(1)
 * after it (per thread, so still never writable and executable at once for a thread),
 * followed by sys_icache_invalidate instead of __builtin___clear_cache. Only Linux
 * is built and tested here. */
static uint8_t *install(JitState *j, const uint8_t *code, size_t n)
{
    size_t start = (j->cache_used + 15) & ~(size_t)15;
    if (start + n > j->cache_size)
        return NULL;
    long page = sysconf(_SC_PAGESIZE);
    size_t pg = page > 0 ? (size_t)page : 4096;
    size_t lo = start / pg * pg, hi = (start + n + pg - 1) / pg * pg;
    if (mprotect(j->cache + lo, hi - lo, PROT_READ | PROT_WRITE) != 0)
        return NULL;
    memcpy(j->cache + start, code, n);
    if (mprotect(j->cache + lo, hi - lo, PROT_READ | PROT_EXEC) != 0)
        return NULL;
    __builtin___clear_cache((char *)j->cache + start, (char *)j->cache + start + n);
    j->cache_used = start + n;
    return j->cache + start;
}

static void perf_map(const VmMethod *m, const uint8_t *code, size_t n)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%ld.map", (long)getpid());
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    fprintf(f, "%lx %zx mica:%s.%s%s\n", (unsigned long)(uintptr_t)code, n, m->cls->name,
            m->name, m->desc);
    fclose(f);
}

static bool wants_print(const JitState *j, const VmMethod *m)
{
    if (!j->print)
        return false;
    const char *dot = strrchr(j->print, '.');
    if (!dot)
        return strcmp(j->print, m->name) == 0;
    size_t cl = (size_t)(dot - j->print);
    const char *cn = m->cls->name;
    const char *slash = strrchr(cn, '/');
    const char *simple = slash ? slash + 1 : cn;
    bool cls_ok = (strlen(cn) == cl && strncmp(cn, j->print, cl) == 0) ||
                  (strlen(simple) == cl && strncmp(simple, j->print, cl) == 0);
    return cls_ok && strcmp(dot + 1, m->name) == 0;
}

void jit_compile(MicaVM *vm, VmMethod *m)
{
    JitState *j = vm->jit;
    if (m->jit_state || vm->hooks) /* hooks on: the interpreter runs everything */
        return;
    m->jit_state = 2;
    if (!j || !m->code || !m->heights || (m->flags & CF_ACC_NATIVE))
        return;
    uint64_t t0 = now_ns();
    JMasm a;
    masm_init(&a);
    uint32_t *offsets = cm_malloc(((size_t)m->ncode + 1) * sizeof *offsets);
    JitCode *c = cm_calloc(1, sizeof *c);
    uint8_t *code = NULL;
    uint32_t entry_off = 0, body_off = 0;
    JitRoom room = {0, 1};
    bool ok = offsets && c && jit_emit_method(vm, m, &a, offsets, &entry_off, &body_off, &room);
    if (!ok && a.need_far) {
        /* a short branch did not reach: again with branches that reach anywhere */
        masm_free(&a);
        masm_init(&a);
        a.far = true;
        ok = jit_emit_method(vm, m, &a, offsets, &entry_off, &body_off, &room);
    }
    if (ok)
        code = install(j, a.buf, a.len);
    if (!code) {
        free(offsets);
        free(c);
        masm_free(&a);
        j->failed++;
        j->compile_ns += now_ns() - t0;
        return;
    }
    c->code = code;
    c->size = (uint32_t)a.len;
    c->room = room;
    c->offsets = offsets;
    c->n = m->ncode + 1;
    c->next = j->codes;
    j->codes = c;
    m->jit = c;
    m->entry = (int (*)(MicaVM *, VmFrame *, void *))(void *)(code + entry_off);
    m->jit_call = code + body_off;
    m->jit_state = 1;
    j->compiled++;
    j->code_bytes += a.len;
    masm_free(&a);
    j->compile_ns += now_ns() - t0;
    if (j->perf_map)
        perf_map(m, code, c->size);
    if (wants_print(j, m)) {
        vm_flush(vm);
        fprintf(stderr, "jit: %s.%s%s, %u bytes at %p\n", m->cls->name, m->name, m->desc,
                c->size, (void *)code);
        jit_disasm(code, c->size);
    }
}

#else /* no backend for this host: everything is interpreted */

void jit_init(MicaVM *vm)
{
    vm->jit = NULL;
    vm->jit_call_threshold = UINT64_MAX;
    vm->jit_loop_threshold = UINT64_MAX;
}

void jit_free(MicaVM *vm)
{
    (void)vm;
}

void jit_compile(MicaVM *vm, VmMethod *m)
{
    (void)vm;
    m->jit_state = 2;
}

void *jit_address(const VmMethod *m, uint32_t idx)
{
    (void)m;
    (void)idx;
    return NULL;
}

void jit_count_osr(MicaVM *vm)
{
    (void)vm;
}

void jit_counts(MicaVM *vm, uint64_t *compiled, uint64_t *code_bytes)
{
    (void)vm;
    *compiled = *code_bytes = 0;
}

void jit_free_method(VmMethod *m)
{
    (void)m;
}

#endif
