/* stdlib/natives/time.c: the C side of std.time: clocks, sleeping and the
 * text of a Duration. */
#include "natives.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "std_util.h"

static int64_t std_time_wall_millis(MicaVM *vm)
{
    if (std_denied(vm, MICA_CAP_CLOCK, "read the clock", NULL))
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t std_time_monotonic_nanos(MicaVM *vm)
{
    if (std_denied(vm, MICA_CAP_CLOCK, "read the clock", NULL))
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void std_time_sleep(MicaVM *vm, int64_t ms)
{
    if (ms < 0) {
        vm_throw(vm, "IllegalArgumentError", "negative sleep time %lld ms", (long long)ms);
        return;
    }
    if (std_denied(vm, MICA_CAP_CLOCK, "sleep", NULL))
        return;
    vm_flush(vm);
    /* Sleep in slices so that mica_interrupt and the run's deadline stop a
     * sleeping program too: vm_poll halts the VM, and the interpreter stops at
     * its next poll point once this returns. */
    const int64_t slice_ns = 50 * 1000000;
    int64_t now = std_time_monotonic_nanos(vm);
    int64_t end = ms > (INT64_MAX - now) / 1000000 ? INT64_MAX : now + ms * 1000000;
    for (;;) {
        if (atomic_load(&vm->interrupt_req) ||
            (vm->deadline_ns && (uint64_t)now >= vm->deadline_ns)) {
            vm_poll(vm);
            return;
        }
        if (now >= end)
            return;
        int64_t left = end - now < slice_ns ? end - now : slice_ns;
        struct timespec ts = {(time_t)(left / 1000000000), (long)(left % 1000000000)};
        nanosleep(&ts, NULL);   /* an early wake-up (EINTR) just loops */
        now = std_time_monotonic_nanos(vm);
    }
}

/* [v] / [unit] with up to [digits] decimals, trailing zeros dropped. */
static size_t frac(char *buf, size_t n, uint64_t v, uint64_t unit, int digits)
{
    size_t k = (size_t)snprintf(buf, n, "%llu", (unsigned long long)(v / unit));
    uint64_t r = v % unit;
    if (r && k < n) {
        char d[32];
        int w = snprintf(d, sizeof d, "%0*llu", digits, (unsigned long long)r);
        while (w > 0 && d[w - 1] == '0')
            d[--w] = 0;
        k += (size_t)snprintf(buf + k, n - k, ".%s", d);
    }
    return k;
}

/* Go's Duration.String: "1.5s", "250ms", "2m3s", "1h0m0s", "1.5µs", "0s". */
static VmString *std_time_format_duration(MicaVM *vm, int64_t nanos)
{
    char buf[64];
    size_t k = 0;
    uint64_t u = nanos < 0 ? (uint64_t)0 - (uint64_t)nanos : (uint64_t)nanos;
    if (nanos < 0)
        buf[k++] = '-';
    if (u == 0) {
        k += (size_t)snprintf(buf + k, sizeof buf - k, "0s");
    } else if (u < 1000) {
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%lluns", (unsigned long long)u);
    } else if (u < 1000000) {
        k += frac(buf + k, sizeof buf - k, u, 1000, 3);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "µs");
    } else if (u < 1000000000) {
        k += frac(buf + k, sizeof buf - k, u, 1000000, 6);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "ms");
    } else {
        uint64_t s = u / 1000000000, h = s / 3600, m = s / 60 % 60;
        if (h)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%lluh", (unsigned long long)h);
        if (h || m)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%llum", (unsigned long long)m);
        k += frac(buf + k, sizeof buf - k, u % 60000000000u, 1000000000, 9);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "s");
    }
    return vm_new_string(vm, buf, k);
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_time_natives[] = {
    NATIVE(std_time_wall_millis),
    NATIVE(std_time_monotonic_nanos),
    NATIVE(std_time_sleep),
    NATIVE(std_time_format_duration),
    {NULL, NULL},
};
#undef NATIVE
