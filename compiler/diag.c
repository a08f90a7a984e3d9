/* compiler/diag.c: the compiler's memory arena and its diagnostics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "cm_mem.h"

#define BLOCK_SIZE (64 * 1024)

void *cc_alloc(Cc *cc, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    Block *b = cc->blocks;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        b = cm_malloc(sizeof(Block) + 16 + cap);
        if (!b)
            longjmp(cc->oom, 1);
        b->cap = cap;
        b->used = 0;
        b->next = cc->blocks;
        cc->blocks = b;
    }
    char *base = (char *)b + ((sizeof(Block) + 15) & ~(size_t)15);
    void *p = base + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *cc_strdup(Cc *cc, const char *s, size_t n)
{
    char *d = cc_alloc(cc, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *cc_printf(Cc *cc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = cc_alloc(cc, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

void cc_grow(Cc *cc, void **arr, size_t size, int *cap, int need)
{
    if (need <= *cap)
        return;
    int ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *n = cc_alloc(cc, size * (size_t)ncap);
    if (*arr && *cap)
        memcpy(n, *arr, size * (size_t)*cap);
    *arr = n;
    *cap = ncap;
}

void cc_index_lines(Cc *cc, SourceFile *f)
{
    uint32_t n = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->text[i] == '\n')
            n++;
    f->line_starts = cc_alloc(cc, sizeof(uint32_t) * n);
    f->nlines = n;
    uint32_t k = 0;
    f->line_starts[k++] = 0;
    for (size_t i = 0; i < f->len; i++)
        if (f->text[i] == '\n')
            f->line_starts[k++] = (uint32_t)i + 1;
}

/* Prints "path:line:col: KIND: message", the source line and a caret. */
static void report(Cc *cc, SourceFile *f, uint32_t pos, const char *kind, const char *fmt,
                   va_list ap)
{
    uint32_t lo = 0, hi = f->nlines;
    if (pos > f->len)
        pos = (uint32_t)f->len;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t start = f->line_starts[lo];
    uint32_t end = start;
    while (end < f->len && f->text[end] != '\n' && f->text[end] != '\r')
        end++;
    /* Columns count code points, so the caret lines up under UTF-8 text. */
    uint32_t col = 1;
    for (uint32_t i = start; i < pos; i++)
        if (((unsigned char)f->text[i] & 0xC0) != 0x80)
            col++;
    fprintf(cc->diag, "%s:%u:%u: %s: ", f->path, lo + 1, col, kind);
    vfprintf(cc->diag, fmt, ap);
    fprintf(cc->diag, "\n%.*s\n", (int)(end - start), f->text + start);
    for (uint32_t i = start; i < pos; i++) {
        unsigned char ch = (unsigned char)f->text[i];
        if (ch == '\t')
            fputc('\t', cc->diag);
        else if ((ch & 0xC0) != 0x80)
            fputc(' ', cc->diag);
    }
    fputs("^\n", cc->diag);
}

void cc_error(Cc *cc, SourceFile *f, uint32_t pos, const char *fmt, ...)
{
    /* Code emitted twice (a finally block) reports its errors once. */
    cc->shown = false;
    if (cc->mute > 0)
        return;
    cc->nerrors++;
    if (cc->nerrors > cc->max_errors)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(cc, f, pos, "error", fmt, ap);
    va_end(ap);
    cc->shown = true;
    if (cc->nerrors == cc->max_errors) {
        fprintf(cc->diag, "too many errors, stopping\n");
        cc->shown = false;
    }
}

void cc_warning(Cc *cc, SourceFile *f, uint32_t pos, const char *fmt, ...)
{
    cc->shown = false;
    if (cc->mute > 0 || cc->dry > 0 || !cc->warnings)
        return;
    if (cc->werror) {
        cc->nerrors++;
        cc->nwerrors++;
    }
    else
        cc->nwarnings++;
    if (cc->nerrors > cc->max_errors)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(cc, f, pos, cc->werror ? "error" : "warning", fmt, ap);
    va_end(ap);
    cc->shown = true;
}

void cc_note(Cc *cc, SourceFile *f, uint32_t pos, const char *fmt, ...)
{
    if (!cc->shown || !f)
        return;
    va_list ap;
    va_start(ap, fmt);
    report(cc, f, pos, "note", fmt, ap);
    va_end(ap);
}

void cc_help(Cc *cc, const char *fmt, ...)
{
    if (!cc->shown)
        return;
    fputs("help: ", cc->diag);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(cc->diag, fmt, ap);
    va_end(ap);
    fputc('\n', cc->diag);
}
