/* classfile/cf_private.h: helpers shared inside libmica_classfile (arena, UTF-8 and
 * name checks); not part of the public classfile.h contract. */
#ifndef MICA_CF_PRIVATE_H
#define MICA_CF_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classfile.h"

/* A new empty arena, or NULL on out of memory. */
CfArena *cf_arena_new(void);
/* The same with a first chunk of about [first] bytes (a reader that knows how much
 * it will need): later chunks still double. */
CfArena *cf_arena_new_sized(size_t first);
/* [n] zeroed bytes aligned for any type, owned by [a]; NULL on out of memory. */
void *cf_arena_alloc(CfArena *a, size_t n);
/* Frees [a] and everything allocated in it (NULL is fine). */
void cf_arena_free(CfArena *a);

/* Checks [n] bytes at [s] as strict UTF-8 (no overlongs, surrogates, code points above
 * U+10FFFF, or NUL bytes). Returns NULL when valid, else a short reason and the offset of
 * the offending sequence in *[bad_at]. */
const char *cf_utf8_check(const uint8_t *s, size_t n, size_t *bad_at);
/* True if [s] ([n] bytes) is an identifier: letters, digits, '_', '$' or any non-ASCII
 * character, not starting with a digit. */
bool cf_ident_ok(const char *s, size_t n);
/* True if [s] is a valid member name: an identifier, or for methods also <init>/<clinit>. */
bool cf_member_name_ok(const char *s, bool is_method);
/* True if [s] ([n] bytes) is an internal class name (identifiers separated by '/'). */
bool cf_plain_class_name_ok(const char *s, size_t n);
/* Human-readable name of a constant kind ("Utf8", "Class", ...). */
const char *cf_const_kind_name(uint8_t kind);

#endif
