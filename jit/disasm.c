/* jit/disasm.c: printing compiled code (mica run --print-jit). With capstone
 * (found by CMake: MICA_HAVE_CAPSTONE) it is disassembled; without it, a hex
 * dump that `objdump -D -b binary -mi386:x86-64` can read. */
#include "jit_private.h"

#include <stdio.h>

#if MICA_HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

void jit_disasm(const uint8_t *code, size_t n)
{
#if MICA_HAVE_CAPSTONE && defined(__x86_64__)
    csh h;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
        cs_insn *insn;
        size_t count = cs_disasm(h, code, n, (uint64_t)(uintptr_t)code, 0, &insn);
        for (size_t i = 0; i < count; i++)
            fprintf(stderr, "  %016llx  %-8s %s\n", (unsigned long long)insn[i].address,
                    insn[i].mnemonic, insn[i].op_str);
        if (count)
            cs_free(insn, count);
        cs_close(&h);
        if (count)
            return;
    }
#endif
    for (size_t i = 0; i < n; i += 16) {
        fprintf(stderr, "  %016llx ", (unsigned long long)(uintptr_t)(code + i));
        for (size_t k = i; k < n && k < i + 16; k++)
            fprintf(stderr, " %02x", code[k]);
        fputc('\n', stderr);
    }
}
