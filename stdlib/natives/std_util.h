/* stdlib/natives/std_util.h: small helpers the std.io/os/regex/text/time natives
 * share: making arrays, setting fields by name, throwing IOError with errno. */
#ifndef MICA_STD_UTIL_H
#define MICA_STD_UTIL_H

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "vm.h"

/* Capability checks (vm/capability.c): true, with CapabilityError pending, when
 * [cap] is not granted for [path] (may be NULL). [op] names the operation. */
static inline bool std_denied(MicaVM *vm, unsigned cap, const char *op, const char *path)
{
    if ((vm->caps & cap) && !path)
        return false;
    char what[600];
    if (path)
        snprintf(what, sizeof what, "%s %s", op, path);
    else
        snprintf(what, sizeof what, "%s", op);
    return vm_check_cap(vm, cap, path, what) < 0;
}

/* A new array of class [desc] ("[B", "[Lstd/core/String;"), or NULL with an
 * exception pending. */
static inline VmArray *std_new_array(MicaVM *vm, const char *desc, int64_t n)
{
    VmClass *c = vm_resolve_class(vm, desc);
    return c ? vm_new_array(vm, c, n) : NULL;
}

/* Element slots of a reference array. */
static inline uint64_t *std_ref_elems(VmArray *a)
{
    return (uint64_t *)vm_array_data(a);
}

/* Sets instance field [name] of [o] (a std class whose layout we know). */
static inline int std_set_field(MicaVM *vm, VmObject *o, const char *name, uint64_t v)
{
    VmField *f = vm_find_field(o->cls, name);
    if (!f || (f->flags & CF_ACC_STATIC))
        return vm_throw(vm, "LinkError", "%s has no field %s", o->cls->name, name);
    vm_object_fields(o)[f->slot] = v;
    return 0;
}

/* Raises IOError "[what] [path]: strerror(errno)". */
static inline int std_throw_io(MicaVM *vm, const char *what, const char *path, int err)
{
    return vm_throw(vm, "IOError", "%s %s: %s", what, path, strerror(err));
}

/* Null checks on String arguments of the natives. */
static inline bool std_null_arg(MicaVM *vm, const void *p, const char *what)
{
    if (p)
        return false;
    vm_throw(vm, "NullError", "%s is null", what);
    return true;
}

/* Parses [n] bytes at [p] (NUL-terminated) as a float the way Mica writes floats:
 * "NaN", "Infinity", "+Infinity", "-Infinity", or decimal digits with sign, point
 * and exponent (no "inf", "nan", hex or spaces). False if it is not one. */
static inline bool std_parse_float(const char *p, int64_t n, double *out)
{
    if (strcmp(p, "NaN") == 0) {
        *out = NAN;
        return true;
    }
    if (strcmp(p, "Infinity") == 0 || strcmp(p, "+Infinity") == 0) {
        *out = INFINITY;
        return true;
    }
    if (strcmp(p, "-Infinity") == 0) {
        *out = -INFINITY;
        return true;
    }
    *out = 0;
    if (n <= 0 || strspn(p, "0123456789+-.eE") != (size_t)n)
        return false;
    char *e = NULL;
    *out = strtod(p, &e);
    return e == p + n;
}

#endif
