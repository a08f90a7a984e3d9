/* jit/disasm.c: printing compiled code (mica run --print-jit). Where the build
 * found capstone's header (MICA_HAVE_CAPSTONE), the code is disassembled with
 * libcapstone, loaded with dlopen on the first --print-jit only: linked in, its
 * relocated tables alone would triple every run's start-up memory. Without it, or
 * when the library cannot be loaded, a hex dump that `objdump -D -b binary
 * -mi386:x86-64` (or `-maarch64`) can read. */
#include "jit_private.h"

#include <stdio.h>

#if MICA_HAVE_CAPSTONE && (defined(__x86_64__) || defined(__aarch64__))
#include <capstone/capstone.h>
#include <dlfcn.h>

typedef struct Capstone {
    cs_err (*open)(cs_arch, cs_mode, csh *);
    size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
    void (*free)(cs_insn *, size_t);
    cs_err (*close)(csh *);
} Capstone;

/* The library's run-time names, newest first (the -dev symlink last). */
static const char *const capstone_names[] = {"libcapstone.so.5", "libcapstone.so.4",
                                             "libcapstone.so"};

static bool capstone_load(Capstone *cs)
{
    for (size_t i = 0; i < sizeof capstone_names / sizeof *capstone_names; i++) {
        void *lib = dlopen(capstone_names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib)
            continue;
        /* POSIX guarantees a function pointer survives the round trip through void *. */
        *(void **)&cs->open = dlsym(lib, "cs_open");
        *(void **)&cs->disasm = dlsym(lib, "cs_disasm");
        *(void **)&cs->free = dlsym(lib, "cs_free");
        *(void **)&cs->close = dlsym(lib, "cs_close");
        if (cs->open && cs->disasm && cs->free && cs->close)
            return true; /* stays loaded for the process: printing may come again */
        dlclose(lib);
    }
    return false;
}

static bool disasm_capstone(const uint8_t *code, size_t n)
{
    Capstone cs;
    csh h;
#if defined(__aarch64__)
    if (!capstone_load(&cs) || cs.open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK)
#else
    if (!capstone_load(&cs) || cs.open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
#endif
        return false;
    cs_insn *insn;
    size_t count = cs.disasm(h, code, n, (uint64_t)(uintptr_t)code, 0, &insn);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, "  %016llx  %-8s %s\n", (unsigned long long)insn[i].address,
                insn[i].mnemonic, insn[i].op_str);
    if (count)
        cs.free(insn, count);
    cs.close(&h);
    return count > 0;
}
#else
static bool disasm_capstone(const uint8_t *code, size_t n)
{
    (void)code;
    (void)n;
    return false;
}
#endif

void jit_disasm(const uint8_t *code, size_t n)
{
    if (disasm_capstone(code, n))
        return;
    for (size_t i = 0; i < n; i += 16) {
        fprintf(stderr, "  %016llx ", (unsigned long long)(uintptr_t)(code + i));
        for (size_t k = i; k < n && k < i + 16; k++)
            fprintf(stderr, " %02x", code[k]);
        fputc('\n', stderr);
    }
}
