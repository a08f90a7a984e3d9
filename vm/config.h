/* vm/config.h: every tunable limit and debug switch of the runtime, with defaults. */
#ifndef MICA_VM_CONFIG_H
#define MICA_VM_CONFIG_H

/* Mica frames deeper than this raise StackOverflowError. */
#ifndef VM_DEFAULT_MAX_CALL_DEPTH
#define VM_DEFAULT_MAX_CALL_DEPTH 200000
#endif

/* 64-bit slots in a VM's value stack (locals and operand stacks of all frames).
 * Reserved address space (64 MiB), committed only as deep as programs go. */
#ifndef VM_DEFAULT_VALUE_STACK_SLOTS
#define VM_DEFAULT_VALUE_STACK_SLOTS (8u * 1024u * 1024u)
#endif

/* Interpreter runs nested on the C stack (a native calling back into Mica,
 * which calls a native...): beyond this, StackOverflowError. */
#ifndef VM_MAX_NESTED_RUNS
#define VM_MAX_NESTED_RUNS 256
#endif

/* C stack kept free below compiled code before it calls compiled code (else
 * the callee is interpreted), and below a nested run before a native calls
 * back into Mica (else StackOverflowError). */
#ifndef VM_CSTACK_JIT_ROOM
#define VM_CSTACK_JIT_ROOM (256u * 1024u)
#endif
#ifndef VM_CSTACK_RUN_ROOM
#define VM_CSTACK_RUN_ROOM (128u * 1024u)
#endif

/* The JIT: calls and loop back edges of a method before it is compiled
 * (mica run --jit-threshold), and the default cap on code memory
 * (--jit-cache). */
#ifndef VM_JIT_THRESHOLD
#define VM_JIT_THRESHOLD 1000
#endif
#ifndef VM_JIT_CACHE_BYTES
#define VM_JIT_CACHE_BYTES (64u * 1024u * 1024u)
#endif

/* Poll events (loop back edges and calls) between checks of the interrupt
 * flag and the deadline. */
#ifndef VM_POLL_INTERVAL
#define VM_POLL_INTERVAL 1024
#endif

/* Frames beyond the depth limit reserved so that raising StackOverflowError
 * (and running natives it needs) still has room. */
#ifndef VM_FRAME_RESERVE
#define VM_FRAME_RESERVE 64
#endif

/* Extra operand slots per frame: `new` keeps the object under the
 * constructor's arguments, which the verifier's max_stack does not count. */
#ifndef VM_FRAME_SPARE_SLOTS
#define VM_FRAME_SPARE_SLOTS 2
#endif

/* Bytes of program output buffered before a write to stdout. */
#ifndef VM_STDOUT_BUFFER
#define VM_STDOUT_BUFFER 8192
#endif

/* Print each executed instruction to stderr (debug builds only). */
#ifndef VM_TRACE_EXEC
#define VM_TRACE_EXEC 0
#endif

/* Print each class as it loads, links and initialises. */
#ifndef VM_TRACE_LOAD
#define VM_TRACE_LOAD 0
#endif

/* Count the pairs of instructions the interpreter executes one after the
 * other (a call's first instruction follows the call), and append them to the file named by the
 * environment variable MICA_OP_PROFILE when the VM is freed: the dynamic
 * profile superinstructions are chosen from (bench/ops/profile.sh). */
#ifndef VM_OP_PROFILE
#define VM_OP_PROFILE 0
#endif

/* Use the portable switch dispatch even where computed goto is available. */
#ifndef VM_NO_COMPUTED_GOTO
#define VM_NO_COMPUTED_GOTO 0
#endif

/* Keep the top of the operand stack in a register (vm/interp.c run(): two
 * dispatch states) where that pays: computed-goto builds with gcc. 0 keeps
 * every operand in memory (for measuring it, or for a compiler that
 * allocates registers worse with it). */
#ifndef VM_TOS_REGISTER
#if defined(__GNUC__) && !defined(__clang__)
#define VM_TOS_REGISTER 1
#else
#define VM_TOS_REGISTER 0
#endif
#endif

/* Frames kept in an exception's stack trace. */
#ifndef VM_MAX_TRACE_FRAMES
#define VM_MAX_TRACE_FRAMES 1024
#endif

#endif
