/* stdlib/natives/pcre2_lib.h: PCRE2, loaded with dlopen the first time a regex is
 * compiled. Linked in, it was mapped and relocated at every start-up, for the
 * programs that never use a regex too. regex.c calls PCRE2 through this table;
 * the header of PCRE2 is still needed to build. */
#ifndef MICA_STD_PCRE2_LIB_H
#define MICA_STD_PCRE2_LIB_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Every PCRE2 function regex.c calls, by the names pcre2.h gives them (macros for
 * the 8-bit library's pcre2_*_8, which is what the members and dlsym get). */
#define STD_PCRE2_FUNCS(X)                                                                \
    X(pcre2_code_free) X(pcre2_compile) X(pcre2_get_error_message)                        \
    X(pcre2_get_ovector_count) X(pcre2_get_ovector_pointer) X(pcre2_jit_compile)          \
    X(pcre2_match) X(pcre2_match_context_create) X(pcre2_match_context_free)              \
    X(pcre2_match_data_create_from_pattern) X(pcre2_match_data_free)                      \
    X(pcre2_set_heap_limit) X(pcre2_substitute) X(pcre2_substring_number_from_name)

typedef struct StdPcre2 {
#define STD_PCRE2_MEMBER(name) __typeof__(name) *name;
    STD_PCRE2_FUNCS(STD_PCRE2_MEMBER)
#undef STD_PCRE2_MEMBER
} StdPcre2;

/* PCRE2's functions, loaded on the first call (thread-safe; the library stays
 * loaded for the process), or NULL when it cannot be loaded: then
 * std_pcre2_error() says why. */
const StdPcre2 *std_pcre2(void);
const char *std_pcre2_error(void);

#endif
