/* stdlib/natives/natives.h: the table of the VM's own natives (library "mica")
 * and helpers shared by the files that implement them. */
#ifndef MICA_STD_NATIVES_H
#define MICA_STD_NATIVES_H

#include <stddef.h>

#include "vm.h"

/* One entry of the "mica" native table, like luaL_Reg (vm.h's VmRawNative). */
typedef VmRawNative StdNative;

/* The tables of the "mica" natives, one per file of stdlib/natives/, each
 * ended by a {NULL, NULL} entry. natives.c lists them all. */
extern const StdNative std_core_natives[];
extern const StdNative std_strings_natives[];
extern const StdNative std_ffi_natives[];
extern const StdNative std_regex_natives[];
extern const StdNative std_text_natives[];
extern const StdNative std_io_natives[];
extern const StdNative std_os_natives[];
extern const StdNative std_time_natives[];
extern const StdNative std_arrays_natives[];
extern const StdNative std_unicode_natives[];
extern const StdNative std_bigint_natives[];
extern const StdNative std_files_natives[];
extern const StdNative std_resource_natives[];
extern const StdNative std_ffi_order_natives[];

/* Registers every table above with [vm] under library "mica" (mica_vm_new).
 * Every such function takes the MicaVM * as a hidden first argument. 0 or -1. */
int std_natives_install(MicaVM *vm);

/* Writes [v] as Java's Double.toString would (shortest round-trip digits,
 * "1.0", "1.0E21", "NaN") into [buf] of [n] bytes (32 is always enough).
 * Returns the length written. */
size_t std_format_double(double v, char *buf, size_t n);

/* The text of array [a]: "[e1, e2]", each element as String.of would give it
 * (array_text.c). NULL with an exception pending on failure. */
struct VmArray;
struct VmString;
struct MicaVM;
struct VmString *std_array_text(struct MicaVM *vm, struct VmArray *a);

#endif
