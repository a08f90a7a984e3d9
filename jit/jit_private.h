/* jit/jit_private.h: what the JIT's own files share: the compiled-code
 * record, the per-VM state and the helpers compiled code calls. */
#ifndef MICA_JIT_PRIVATE_H
#define MICA_JIT_PRIVATE_H

#include "jit.h"
#include "link.h"
#include "masm.h"

/* One compiled method. */
/* What a compiled body's entry checks beyond its caller's checks, so that
 * its inlined callees and the calls it makes need not: value-stack bytes
 * from its frame's base (its own frame's at least), and frames above its own
 * (1, or 2 when an inlined body calls). A way into the middle of the body
 * (OSR) checks the same (jit_address). */
typedef struct JitRoom {
    uint32_t stack_bytes;
    uint32_t frames;
} JitRoom;

typedef struct JitCode {
    uint8_t *code;          /* in the VM's code cache (read+exec)          */
    uint32_t size;
    JitRoom room;           /* what its body's entry checks                */
    uint32_t *offsets;      /* per instruction: offset of its code, or JIT_NO_OFFSET */
    uint32_t n;
    struct JitCode *next;   /* the VM's list of compiled methods          */
} JitCode;

#define JIT_NO_OFFSET UINT32_MAX

struct JitState {
    MicaJitMode mode;
    uint8_t *cache;         /* reserved region, PROT_NONE until used       */
    size_t cache_size, cache_used;
    JitCode *codes;
    char *print;            /* "Class.method" to disassemble, or NULL      */
    bool stats, perf_map;
    /* statistics */
    uint64_t compiled, failed, osr_entries, code_bytes;
    uint64_t compile_ns;
};

/* Emits machine code for [m] into [a]; offsets[i] receives the offset of
 * instruction i (JIT_NO_OFFSET where none), [entry_off] that of the entry
 * point from C (VmMethod.entry) and [body_off] that of the body compiled
 * callers call (VmMethod.jit_call), [room] what the body's entry checks. False if the method uses something the
 * templates do not handle (it then stays interpreted). */
bool jit_emit_method(MicaVM *vm, VmMethod *m, JMasm *a, uint32_t *offsets,
                     uint32_t *entry_off, uint32_t *body_off, JitRoom *room);

/* Prints [n] bytes of machine code at [code] (disassembled when the build
 * found capstone, else as hex) to stderr. */
void jit_disasm(const uint8_t *code, size_t n);

/* ---- helpers called from compiled code (jit/helpers.c) ----
 * Integer results are 64-bit so that compiled code may test the whole
 * register; "status" is 0 or -1 (exception pending or run halted). */
int64_t jit_h_invoke(MicaVM *vm, VmInsn *o, uint64_t *sp);
int64_t jit_h_call(MicaVM *vm, VmMethod *target, uint64_t *args);
int64_t jit_h_interpret(MicaVM *vm, VmFrame *fr);
int64_t jit_h_field(MicaVM *vm, VmInsn *o, uint64_t *sp);
int64_t jit_h_type(MicaVM *vm, VmInsn *o, uint64_t *sp);
/* aastore with the operands at sp[-3..-1] when the inline checks cannot decide:
 * null array, index, and whether the array's element class takes the value. */
int64_t jit_h_aastore(MicaVM *vm, VmInsn *o, uint64_t *sp);
void *jit_h_ldc(MicaVM *vm, VmInsn *o);
int64_t jit_h_poll(MicaVM *vm);
int64_t jit_h_throw(MicaVM *vm, uint64_t exc);
int64_t jit_h_fault(MicaVM *vm, int64_t kind, VmInsn *o, uint64_t a, uint64_t b);
void *jit_h_unwind(MicaVM *vm, VmFrame *fr);
uint64_t jit_h_frem(uint64_t a, uint64_t b);
uint64_t jit_h_f2i(uint64_t a);
int64_t jit_h_subclass(VmObject *o, VmClass *c);
/* Arrays.copy's intrinsic: its five argument slots at [args]; 1 if it copied
 * (vm_array_copy_fast), 0 if the call must be made. Raises and allocates nothing. */
int64_t jit_h_array_copy(const uint64_t *args);
/* String.charAt's intrinsic, its operands at sp[-2..-1] (fr->ip and fr->sp
 * published): for an ASCII string and an index inside it, the one-character
 * String made under the native's frame, as the interpreter makes it, into
 * sp[-2]: 1; 0 if the call must be made; -1 with OutOfMemoryError pending. */
int64_t jit_h_charat(MicaVM *vm, VmInsn *o, uint64_t *sp);
/* A call of native [t] (bound) with argument slots [args], from compiled code
 * (fr->ip and fr->sp published): its frame, the call, the result into args[0].
 * 0, or -1 with an exception pending. */
int64_t jit_h_call_native(MicaVM *vm, VmMethod *t, uint64_t *args);
/* String.substring's intrinsic, its operands at sp[-3..-1] (fr->ip and fr->sp
 * published): for an ASCII string and a range inside it, the string itself
 * (the whole) or the substring made under the native's frame, as the
 * interpreter makes it, into sp[-3]: 1; 0 if the call must be made; -1 with
 * OutOfMemoryError pending. */
int64_t jit_h_substring(MicaVM *vm, VmInsn *o, uint64_t *sp);
/* The bytes of Strings [a] and [b], of the same length, compared: 1 if equal.
 * String.equals' intrinsic calls it after its inline checks (for lengths of 2 and
 * more, the first bytes equal). */
int64_t jit_h_string_bytes_equal(const VmString *a, const VmString *b);

enum { JIT_FAULT_DIV0, JIT_FAULT_NULL_FIELD, JIT_FAULT_BOUNDS, JIT_FAULT_NULL_LENGTH,
       JIT_FAULT_CAST, JIT_FAULT_UNREACHABLE };

#endif
