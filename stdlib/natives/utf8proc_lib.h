/* stdlib/natives/utf8proc_lib.h: utf8proc, loaded with dlopen the first time a
 * Unicode-aware operation needs it (Char classification, case mapping beyond
 * ASCII, folding, normalization). Linked in, it was mapped and relocated at
 * every start-up, for the programs that never use it too. unicode.c calls
 * utf8proc through this table; the header of utf8proc is still needed to build. */
#ifndef MICA_STD_UTF8PROC_LIB_H
#define MICA_STD_UTF8PROC_LIB_H

#include <utf8proc.h>

/* Every utf8proc function unicode.c calls. */
#define STD_UTF8PROC_FUNCS(X)                                                             \
    X(utf8proc_category) X(utf8proc_category_string) X(utf8proc_charwidth)                \
    X(utf8proc_codepoint_valid) X(utf8proc_encode_char) X(utf8proc_errmsg)                \
    X(utf8proc_iterate) X(utf8proc_map) X(utf8proc_tolower) X(utf8proc_totitle)           \
    X(utf8proc_toupper)

typedef struct StdUtf8proc {
#define STD_UTF8PROC_MEMBER(name) __typeof__(name) *name;
    STD_UTF8PROC_FUNCS(STD_UTF8PROC_MEMBER)
#undef STD_UTF8PROC_MEMBER
} StdUtf8proc;

/* utf8proc's functions, loaded on the first call (thread-safe; the library
 * stays loaded for the process), or NULL when it cannot be loaded: then
 * std_utf8proc_error() says why. */
const StdUtf8proc *std_utf8proc(void);
const char *std_utf8proc_error(void);

#endif
