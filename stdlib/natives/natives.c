/* stdlib/natives/natives.c: the VM's own natives (library "mica"). Each file of
 * stdlib/natives/ owns one table; adding a file adds one line below. A new VM
 * registers them all (std_natives_install), the way a host registers its own. */
#include <string.h>

#include "natives.h"
#include "vm.h"

static const StdNative *const std_tables[] = {
    std_core_natives,
    std_strings_natives,
    std_ffi_natives,
    std_regex_natives,
    std_text_natives,
    std_io_natives,
    std_os_natives,
    std_time_natives,
    std_arrays_natives,
    std_unicode_natives,
    std_bigint_natives,
    std_files_natives,
    std_resource_natives,
    std_ffi_order_natives,
};

int std_natives_install(MicaVM *vm)
{
    for (size_t t = 0; t < sizeof std_tables / sizeof std_tables[0]; t++)
        if (vm_register_raw_natives(vm, "mica", std_tables[t]) < 0)
            return -1;
    return 0;
}
