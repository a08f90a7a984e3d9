/* stdlib/natives/natives.c: the registry of the VM's own natives (library "mica").
 * Each file of stdlib/natives/ owns one table; adding a file adds one line below. */
#include <string.h>

#include "natives.h"

static const StdNative *const std_tables[] = {
    std_core_natives,
    std_strings_natives,
    std_ffi_natives,
    std_regex_natives,
    std_text_natives,
    std_io_natives,
    std_os_natives,
    std_time_natives,
    std_resource_natives,
    std_ffi_order_natives,
};

void (*std_native_lookup(const char *name))(void)
{
    for (size_t t = 0; t < sizeof std_tables / sizeof std_tables[0]; t++)
        for (const StdNative *n = std_tables[t]; n->name; n++)
            if (strcmp(n->name, name) == 0)
                return n->fn;
    return NULL;
}
