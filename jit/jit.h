/* jit/jit.h: what the runtime sees of the JIT: the per-VM code cache,
 * compiling a method, the machine-code address of an instruction (OSR,
 * handlers), statistics. Built only with MICA_JIT on a host with a backend;
 * elsewhere these are no-ops and every method is interpreted. */
#ifndef MICA_JIT_H
#define MICA_JIT_H

#include "vm.h"

/* Sets up the JIT of [vm] from its configuration (mode, threshold, cache
 * size, tools): vm->jit and the promotion thresholds. Never fails: without
 * a backend or memory the VM interprets. */
void jit_init(MicaVM *vm);

/* Frees the VM's code cache and everything the JIT allocated; prints the
 * statistics if they were asked for. */
void jit_free(MicaVM *vm);

/* Compiles pre-decoded method [m] if the JIT can: on success m->entry is the
 * compiled code and m->jit_state 1; otherwise m->jit_state 2 and [m] stays
 * interpreted (unsupported code, full cache). Raises nothing, runs no Mica. */
void jit_compile(MicaVM *vm, VmMethod *m);

/* The machine-code address of instruction [idx] of compiled [m], or NULL. */
void *jit_address(const VmMethod *m, uint32_t idx);

/* Counts one OSR entry (statistics). */
void jit_count_osr(MicaVM *vm);

/* Methods compiled so far and the bytes of their code (mica_stats). */
void jit_counts(MicaVM *vm, uint64_t *compiled, uint64_t *code_bytes);

/* Frees the compiled code record of [m] (with its class). */
void jit_free_method(VmMethod *m);

#endif
