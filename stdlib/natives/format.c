/* stdlib/natives/format.c: number-to-text conversions shared by the natives
 * (Java's Double.toString: shortest round-trip digits). */
#include "natives.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t std_format_double(double v, char *buf, size_t n)
{
    char out[64];
    if (isnan(v)) {
        snprintf(out, sizeof out, "NaN");
    } else if (isinf(v)) {
        snprintf(out, sizeof out, v < 0 ? "-Infinity" : "Infinity");
    } else if (v == 0) {
        snprintf(out, sizeof out, signbit(v) ? "-0.0" : "0.0");
    } else {
        /* the shortest %e form that reads back to the same double */
        char e[40];
        for (int p = 1; p <= 17; p++) {
            snprintf(e, sizeof e, "%.*e", p - 1, v);
            if (strtod(e, NULL) == v)
                break;
        }
        const char *s = e;
        bool neg = false;
        if (*s == '-') {
            neg = true;
            s++;
        }
        char digits[24];
        size_t nd = 0;
        for (; *s && *s != 'e'; s++)
            if (*s >= '0' && *s <= '9' && nd < sizeof digits - 1)
                digits[nd++] = *s;
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
        digits[nd] = 0;
        int exp = (*s == 'e') ? atoi(s + 1) : 0;
        double mag = fabs(v);
        size_t k = 0;
        if (neg)
            out[k++] = '-';
        if (mag >= 1e-3 && mag < 1e7) {
            if (exp >= 0) {
                for (int i = 0; i <= exp; i++)
                    out[k++] = (size_t)i < nd ? digits[i] : '0';
                out[k++] = '.';
                if ((size_t)exp + 1 < nd) {
                    for (size_t i = (size_t)exp + 1; i < nd; i++)
                        out[k++] = digits[i];
                } else {
                    out[k++] = '0';
                }
            } else {
                out[k++] = '0';
                out[k++] = '.';
                for (int i = 0; i < -exp - 1; i++)
                    out[k++] = '0';
                for (size_t i = 0; i < nd; i++)
                    out[k++] = digits[i];
            }
            out[k] = 0;
        } else {
            out[k++] = digits[0];
            out[k++] = '.';
            if (nd > 1) {
                for (size_t i = 1; i < nd; i++)
                    out[k++] = digits[i];
            } else {
                out[k++] = '0';
            }
            snprintf(out + k, sizeof out - k, "E%d", exp);
        }
    }
    size_t len = strlen(out);
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(buf, out, c);
        buf[c] = 0;
    }
    return len;
}
