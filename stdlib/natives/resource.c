/* stdlib/natives/resource.c: the C side of std.io.Resource: resources read from
 * the VM's class sources (vm/source.c) without extracting them. */
#include "natives.h"

#include <stdlib.h>
#include <string.h>

#include "std_util.h"

/* The bytes of resource [name]: 1 found, 0 none, -1 with an exception pending. */
static int lookup(MicaVM *vm, VmString *name, uint8_t **data, size_t *len)
{
    if (std_null_arg(vm, name, "the resource name"))
        return -1;
    if (strlen(name->bytes) != (size_t)name->length) {
        vm_throw(vm, "IOError", "bad resource name: NUL byte in the name");
        return -1;
    }
    const char *why = NULL;
    int rc = vm_sources_resource(vm, name->bytes, data, len, &why);
    if (rc < 0 && why) /* no reason: OutOfMemoryError is pending */
        vm_throw(vm, "IOError", "resource %s: %s", name->bytes, why);
    return rc;
}

static VmArray *std_io_resource_bytes(MicaVM *vm, VmString *name)
{
    uint8_t *data;
    size_t len;
    if (lookup(vm, name, &data, &len) <= 0)
        return NULL;
    VmArray *a = std_new_array(vm, "[B", (int64_t)len);
    if (a)
        memcpy(vm_array_data(a), data, len);
    free(data);
    return a;
}

static VmString *std_io_resource_text(MicaVM *vm, VmString *name)
{
    uint8_t *data;
    size_t len;
    if (lookup(vm, name, &data, &len) <= 0)
        return NULL;
    VmString *s = vm_new_string(vm, (const char *)data, len);
    free(data);
    return s;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_resource_natives[] = {
    NATIVE(std_io_resource_bytes),
    NATIVE(std_io_resource_text),
    {NULL, NULL},
};
#undef NATIVE
