/* jit/masm.c: the architecture-neutral part of the macro-assembler: the code
 * buffer, labels and their fixups (the backends encode instructions). */
#include "masm.h"
#include "cm_mem.h"

#include <stdlib.h>
#include <string.h>

void masm_init(JMasm *m)
{
    memset(m, 0, sizeof *m);
}

void masm_steps(JMasm *m, int32_t disp)
{
    m->steps = true;
    m->steps_disp = disp;
}

void masm_free(JMasm *m)
{
    free(m->buf);
    free(m->labels);
    free(m->fixups);
    memset(m, 0, sizeof *m);
}

static bool grow(void **p, uint32_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = cm_realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = (uint32_t)n;
    return true;
}

void masm_emit(JMasm *m, const void *bytes, size_t n)
{
    if (m->oom)
        return;
    if (m->len + n > m->cap) {
        size_t c = m->cap ? m->cap : 4096;
        while (c < m->len + n)
            c *= 2;
        uint8_t *b = cm_realloc(m->buf, c);
        if (!b) {
            m->oom = true;
            return;
        }
        m->buf = b;
        m->cap = c;
    }
    memcpy(m->buf + m->len, bytes, n);
    m->len += n;
}

JLabel masm_label(JMasm *m)
{
    if (!grow((void **)&m->labels, &m->labels_cap, m->nlabels + 1u, sizeof *m->labels)) {
        m->oom = true;
        return 0;
    }
    m->labels[m->nlabels] = -1;
    return m->nlabels++;
}

void masm_bind(JMasm *m, JLabel l)
{
    if (!m->oom && l < m->nlabels)
        m->labels[l] = (int32_t)m->len;
}

bool masm_bound(const JMasm *m, JLabel l)
{
    return !m->oom && l < m->nlabels && m->labels[l] >= 0;
}

int32_t masm_label_offset(const JMasm *m, JLabel l)
{
    return l < m->nlabels ? m->labels[l] : -1;
}

void masm_add_fixup(JMasm *m, uint32_t at, JLabel l, uint8_t kind)
{
    if (m->oom)
        return;
    if (!grow((void **)&m->fixups, &m->fixups_cap, m->nfixups + 1u, sizeof *m->fixups)) {
        m->oom = true;
        return;
    }
    m->fixups[m->nfixups++] = (JFixup){at, l, kind};
}
