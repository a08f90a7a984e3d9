/* bench/native/fabs.c: the same loop calling fabs directly through a function
 * pointer (so the compiler cannot inline it), for comparison with calls.mica. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    double (*volatile f)(double) = fabs;
    double acc = 0, x = -1;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        acc += f(x);
        x -= 0.5;
    }
    double t1 = now();
    printf("C fabs:      %.2f ns/call incl. loop (checksum %d)\n", (t1 - t0) / n, acc > 0);
    return 0;
}
