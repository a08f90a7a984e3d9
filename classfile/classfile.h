/* classfile/classfile.h: the in-memory model of a Mica class file and the
 * API of libmica_classfile (reader, writer, builder, verifier, disassembler).
 *
 * The binary layout is specified in spec/classfile.md; instruction semantics
 * in spec/bytecode.md. This library knows nothing about running code.
 *
 * Memory: everything reachable from a CfClass (strings, arrays, code) lives
 * in the class's own arena and is freed by cf_class_free().
 */
#ifndef MICA_CLASSFILE_H
#define MICA_CLASSFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"

#define CF_MAGIC 0x4D494341u   /* "MICA" */
#define CF_MAJOR 1
#define CF_MINOR 0

/* ---- limits (also stated in spec/classfile.md) ---------------------------- */
#define CF_MAX_FILE_SIZE   (64u << 20)  /* bytes in one class file             */
#define CF_MAX_UTF8_LEN    (16u << 20)  /* bytes in one Utf8 constant          */
#define CF_MAX_CODE_LEN    (1u << 20)   /* bytes of code in one method         */
#define CF_MAX_NESTING     1024         /* open regions at any point           */
#define CF_MAX_NAME_LEN    1024         /* bytes in a class or member name     */
#define CF_MAX_CLASS_DEPTH 60           /* hierarchy depth (CfHierNode.depth)  */

/* ---- constant pool ------------------------------------------------------ */
typedef enum {
    CF_CONST_UTF8   = 1,
    CF_CONST_INT    = 3,
    CF_CONST_FLOAT  = 4,
    CF_CONST_CLASS  = 7,
    CF_CONST_STRING = 8,
    CF_CONST_FIELD  = 9,
    CF_CONST_METHOD = 10,
} CfConstKind;

typedef struct CfConst {
    uint8_t kind;                 /* CfConstKind; 0 for the unused entry 0   */
    union {
        struct { const char *s; uint32_t len; } utf8; /* s is NUL-terminated */
        int64_t i;
        double f;
        uint16_t name;            /* CLASS: Utf8 internal name; STRING: Utf8 */
        struct { uint16_t cls, name, desc; } ref; /* FIELD, METHOD            */
    } u;
} CfConst;

/* ---- flags ------------------------------------------------------------- */
#define CF_ACC_PRIVATE    0x0002  /* field, method                              */
#define CF_ACC_STATIC     0x0008  /* field, method                              */
#define CF_ACC_FINAL      0x0010  /* class (no subclasses), field (let)         */
#define CF_ACC_NATIVE     0x0100  /* method bound through a Native attribute    */
#define CF_ACC_INTERFACE  0x0200  /* class                                      */
#define CF_ACC_ABSTRACT   0x0400  /* class, method                              */
#define CF_ACC_SYNTHETIC  0x1000  /* anything the compiler made up              */
#define CF_ACC_MODULE     0x2000  /* class holding a source file's top-level functions */
/* Every defined bit; the others are refused on classes, fields and methods. */
#define CF_ACC_DEFINED    (CF_ACC_PRIVATE | CF_ACC_STATIC | CF_ACC_FINAL | CF_ACC_NATIVE | \
                           CF_ACC_INTERFACE | CF_ACC_ABSTRACT | CF_ACC_SYNTHETIC | CF_ACC_MODULE)

/* ---- attributes ------------------------------------------------------------ */
#define CF_ATTR_REQUIRED  0x0001  /* a reader that does not know it must refuse */

typedef enum {
    CF_ATTR_UNKNOWN = 0,          /* kept as raw bytes for the round trip       */
    CF_ATTR_CODE,                 /* "Code"        (method, required)           */
    CF_ATTR_NATIVE,               /* "Native"      (method, required)           */
    CF_ATTR_LINES,                /* "LineNumbers" (Code, optional)             */
    CF_ATTR_SOURCE,               /* "SourceFile"  (class, optional)            */
} CfAttrKind;

/* One attribute in file order. Known kinds are parsed into their owner's
 * fields; the writer re-serialises those from the fields and copies unknown
 * ones byte for byte, so read -> write is byte-identical. */
typedef struct CfAttr {
    uint16_t name;                /* Utf8 index                                 */
    uint16_t flags;               /* CF_ATTR_REQUIRED                           */
    uint8_t kind;                 /* CfAttrKind                                 */
    uint32_t len;                 /* payload bytes (unknown kinds)              */
    const uint8_t *data;          /* payload (unknown kinds)                    */
} CfAttr;

typedef struct CfLine {
    uint32_t pc;                  /* first pc of the line                       */
    uint32_t line;                /* 1-based source line                        */
} CfLine;

typedef struct CfCode {
    uint16_t max_stack;
    uint16_t nlocals;             /* locals declared beyond the parameters      */
    uint16_t *local_types;        /* [nlocals] Utf8 indices of field descriptors*/
    uint32_t code_len;
    uint8_t *code;
    uint32_t nlines;
    CfLine *lines;                /* sorted by pc                               */
    uint16_t nattrs;
    CfAttr *attrs;
} CfCode;

typedef struct CfField {
    uint16_t flags, name, desc;   /* name, desc: Utf8 indices                   */
    uint16_t nattrs;
    CfAttr *attrs;
} CfField;

typedef struct CfMethod {
    uint16_t flags, name, desc;
    CfCode *code;                 /* NULL for abstract and native methods       */
    uint16_t native_lib;          /* Utf8 index, NATIVE methods only            */
    uint16_t native_sym;          /* Utf8 index, NATIVE methods only            */
    uint16_t nattrs;
    CfAttr *attrs;
} CfMethod;

typedef struct CfArena CfArena;

typedef struct CfClass {
    uint16_t major, minor;
    uint16_t ncp;                 /* entries including the unused entry 0       */
    CfConst *cp;
    uint16_t flags;
    uint16_t this_class;          /* CLASS index                                */
    uint16_t super_class;         /* CLASS index; 0 only for std/core/Object    */
    uint16_t ninterfaces;
    uint16_t *interfaces;         /* CLASS indices                              */
    uint16_t nfields;
    CfField *fields;
    uint16_t nmethods;
    CfMethod *methods;
    uint16_t source_file;         /* Utf8 index or 0                            */
    uint16_t nattrs;
    CfAttr *attrs;
    CfArena *arena;               /* owns all memory of this class              */
    /* builder bookkeeping (capacities); zero for classes that were read */
    uint32_t cp_cap, fields_cap, methods_cap, ifaces_cap, attrs_cap;
} CfClass;

/* An error message, built where the fault is found. Class-file errors name
 * the origin and the offset or class/method/pc. */
typedef struct CfError {
    char msg[512];
} CfError;

/* ---- reading and writing ------------------------------------------------ */

/* Parses [len] bytes at [data]. [origin] (a file name, may be NULL) prefixes
 * error messages. Returns a new class (free with cf_class_free) or NULL with
 * [err] filled. Checks every length, index, kind and offset; never reads out
 * of bounds; validates UTF-8; refuses unknown required attributes and other
 * major versions (naming both). Does not verify code: see cf_verify_class. */
CfClass *cf_read(const uint8_t *data, size_t len, const char *origin, CfError *err);

/* Reads file [path] whole into a malloc'd buffer (*[data], *[len]; free with
 * free()) if it has at most [limit] bytes. Reads at most one byte past the
 * limit: a longer file is refused whole, its size named, never returned as a
 * prefix. 0, or -1 with [err] "PATH: cannot open: REASON", "PATH: cannot read:
 * REASON", "PATH: out of memory" or "PATH: file size N exceeds the limit of L
 * bytes", and *[errno_out] (if not NULL) the errno of an open failure, else 0. */
int cf_read_file(const char *path, size_t limit, uint8_t **data, size_t *len, CfError *err,
                 int *errno_out);

/* Serialises [c]. On success *[out] is a malloc'd buffer of *[len] bytes that
 * the caller frees with free(); returns 0. Returns -1 with [err] filled when
 * the class cannot be written (a count or size over the format's limits). */
int cf_write(const CfClass *c, uint8_t **out, size_t *len, CfError *err);

void cf_class_free(CfClass *c);

/* The access flags (CF_ACC_*) of the class in [len] bytes at [data], read from
 * its header without parsing the rest or allocating: true with *[flags] set, or
 * false when the bytes do not get that far as a class file of this version. The
 * rest of the file is not checked: only cf_read says whether it is a valid class;
 * this tells a caller which classes are worth reading. */
bool cf_peek_flags(const uint8_t *data, size_t len, uint16_t *flags);
/* Does the class file in [len] bytes at [data] declare class [name] (an internal
 * name)? True with *[flags] set to its CF_ACC_* flags when its header (up to
 * this_class) says so, without parsing the rest or allocating; false when the name
 * differs or the bytes do not get that far as a class file of this version. Like
 * cf_peek_flags it vouches for nothing else: a caller that only needs to know that
 * the class exists (a type named, not used) is spared reading its members, and
 * reads the file with cf_read when it needs more. */
bool cf_peek_class(const uint8_t *data, size_t len, const char *name, uint16_t *flags);

/* ---- building (used by the compiler) ------------------------------------ */

/* A new empty class with version CF_MAJOR.CF_MINOR and entry 0 reserved. */
CfClass *cf_class_new(void);

/* Allocates [n] bytes in the class's arena (zeroed); NULL on out of memory. */
void *cf_alloc(CfClass *c, size_t n);

/* Constant-pool helpers: return the index of an equal existing entry or of a
 * new one; 0 when the pool is full (65535 entries) or memory runs out. */
uint16_t cf_cp_utf8(CfClass *c, const char *s, size_t len);
uint16_t cf_cp_utf8z(CfClass *c, const char *s);
uint16_t cf_cp_int(CfClass *c, int64_t v);
uint16_t cf_cp_float(CfClass *c, double v);     /* compared by bit pattern */
uint16_t cf_cp_string(CfClass *c, const char *s, size_t len);
uint16_t cf_cp_class(CfClass *c, const char *internal_name);
uint16_t cf_cp_field(CfClass *c, const char *cls, const char *name, const char *desc);
uint16_t cf_cp_method(CfClass *c, const char *cls, const char *name, const char *desc);

/* Adds a member; the returned pointer is valid until the next cf_add_* call
 * of the same kind. NULL on overflow or out of memory. */
CfField *cf_add_field(CfClass *c, uint16_t flags, const char *name, const char *desc);
CfMethod *cf_add_method(CfClass *c, uint16_t flags, const char *name, const char *desc);
int cf_add_interface(CfClass *c, const char *internal_name);  /* 0 or -1 */

/* Gives [m] a Code attribute (copying [code] and the tables into the arena)
 * and appends the attribute record. [lines] may be NULL. 0 or -1. */
int cf_set_code(CfClass *c, CfMethod *m, uint16_t max_stack, uint16_t nlocals,
                const uint16_t *local_types, const uint8_t *code, uint32_t code_len,
                const CfLine *lines, uint32_t nlines);
/* Marks [m] native and gives it a Native attribute. 0 or -1. */
int cf_set_native(CfClass *c, CfMethod *m, const char *lib, const char *sym);
/* Sets the SourceFile attribute. 0 or -1. */
int cf_set_source_file(CfClass *c, const char *file);

/* ---- queries ---------------------------------------------------------------- */

/* The NUL-terminated text of Utf8 entry [idx], or NULL when [idx] is not a
 * Utf8 entry. */
const char *cf_utf8(const CfClass *c, uint16_t idx);
/* The internal name of CLASS entry [idx], or NULL. */
const char *cf_class_name(const CfClass *c, uint16_t idx);
/* This class's internal name ("pkg/Name"). */
const char *cf_this_name(const CfClass *c);
/* The source line of [pc] in [code], or 0 when unknown. */
uint32_t cf_line_of(const CfCode *code, uint32_t pc);

/* ---- descriptors -------------------------------------------------------- */
/* Field descriptor:  I int | F float | Z bool | B byte | Lpkg/Name; | [elem
 * Method descriptor: (params)ret, ret being a field descriptor or V.        */

/* Length of the field descriptor at [s] (not NUL-terminated), 0 if malformed.
 * [allow_void] accepts "V". */
size_t cf_desc_field_len(const char *s, size_t n, bool allow_void);
/* True if [s] is a well-formed field descriptor. */
bool cf_desc_field_ok(const char *s);
/* Parses a method descriptor: number of parameters into *[nparams] (may be
 * NULL). Returns false if malformed. */
bool cf_desc_method_ok(const char *s, uint32_t *nparams);
/* The one method-descriptor parser: [s] is [n] bytes (not NUL-terminated); the
 * parameter count into *[nparams] and the return descriptor into *[ret] (either
 * may be NULL). Returns false if malformed. */
bool cf_desc_method_parse(const char *s, size_t n, uint32_t *nparams, const char **ret);

/* The kind of value a field or return descriptor denotes, as every component
 * passes types around (locals, returns, native arguments). Each value is the
 * descriptor's first character, so a kind prints as that letter; classes and
 * arrays are both CF_KIND_REF. */
typedef enum CfKind {
    CF_KIND_VOID = 'V',
    CF_KIND_INT = 'I',
    CF_KIND_FLOAT = 'F',
    CF_KIND_BOOL = 'Z',
    CF_KIND_BYTE = 'B',
    CF_KIND_REF = 'L',
} CfKind;

/* The kind of the well-formed field or return descriptor at [d]. */
static inline CfKind cf_desc_kind(const char *d)
{
    return d[0] == '[' ? CF_KIND_REF : (CfKind)d[0];
}
/* True if [s] is a well-formed internal class name or array descriptor. */
bool cf_class_name_ok(const char *s);

/* ---- verification ------------------------------------------------------- */

/* What the verifier needs to know about other classes. Loading headers runs
 * no code. Every callback returns 1 (yes), 0 (no) or -1 (error: the class
 * could not be found or loaded; the callback fills [err]). */
typedef struct CfHierarchy {
    void *ud;
    /* Is a value of type [from] assignable to [to]? Both are internal class
     * names or array descriptors ("[I", "[Lstd/core/String;"). Arrays are
     * invariant; every class, interface and array is assignable to
     * std/core/Object. */
    int (*assignable)(void *ud, const char *from, const char *to, CfError *err);
    /* Is [name] an interface? */
    int (*is_interface)(void *ud, const char *name, CfError *err);
    /* Optional (NULL: the member rules that need other classes are left to link
     * time). Looks up field [name] in class [owner] and its superclasses as
     * resolution does; 1 when found with descriptor [desc]: *[flags] gets its
     * CF_ACC_* flags and *[declaring] the internal name of the class declaring it
     * (valid while the hierarchy lives). 0 when there is no such class or field
     * (resolution raises LinkError at run time); -1 on error. */
    int (*lookup_field)(void *ud, const char *owner, const char *name, const char *desc,
                        uint16_t *flags, const char **declaring, CfError *err);
    /* The same for method [name][desc] (also searched in interfaces). */
    int (*lookup_method)(void *ud, const char *owner, const char *name, const char *desc,
                         uint16_t *flags, const char **declaring, CfError *err);
    /* Optional (NULL: a missing class and `new` of an abstract class are left to
     * link time). Loads class [name] (an internal name, never an array) and gives
     * its CF_ACC_* flags: 1, or -1 with [err] saying why it cannot be loaded ("class
     * X not found"). The verifier asks it for every class the code names (see
     * spec/bytecode.md, "Missing classes"). */
    int (*class_flags)(void *ud, const char *name, uint16_t *flags, CfError *err);
} CfHierarchy;

/* The assignability rule every hierarchy starts with: 1 when [from] is [to] or
 * [to] is std/core/Object, 0 when either is an array (arrays are invariant), -1
 * when the class hierarchy must decide. */
int cf_assignable_by_name(const char *from, const char *to);

/* ---- building the class hierarchy (classfile/hierarchy.c) ------------------ */

/* One class or interface of a hierarchy: what the header rules and the subtype test
 * need to know about it. The VM embeds one in each loaded class (VmClass), CfHeaders
 * keeps one per class file; both link them through cf_hier_link, so both apply the
 * same rules with the same messages. */
typedef struct CfHierNode CfHierNode;
struct CfHierNode {
    const char *name;        /* internal name, or an array descriptor ("[I")     */
    uint16_t flags;          /* the class's CF_ACC_* flags (0 for an array)      */
    CfHierNode *super;       /* NULL: no superclass (std/core/Object)            */
    CfHierNode **ifaces;     /* the interfaces it lists, in order                */
    uint16_t nifaces;
    CfHierNode **all;        /* every interface it implements, transitively: the
                              * superclass's, then each listed one's, then itself
                              * if it is an interface (no repeats)               */
    uint32_t nall;
    uint32_t depth;          /* hierarchy depth: 0 for std/core/Object, otherwise
                              * 1 + the greatest depth of its superclass and the
                              * interfaces it lists (bounded by CF_MAX_CLASS_DEPTH) */
};

/* Why linking a node failed. A resolver returns MISSING or FAILED only. */
typedef enum CfHierFail {
    CF_HIER_OK = 0,
    CF_HIER_MISSING,   /* resolve: there is no class of that name                */
    CF_HIER_FAILED,    /* resolve: the class or one of its ancestors was refused;
                        * the resolver reported it (msg, or its own state, code) */
    CF_HIER_FORMAT,    /* a superclass or interface entry that names no class    */
    CF_HIER_LINK,      /* a refused hierarchy: a cycle, too deep, a superclass that
                        * is final, an interface or an array, a listed class that
                        * is not an interface, a missing superclass or interface */
    CF_HIER_VERIFY,    /* a refused interface header: its superclass is not
                        * std/core/Object, an instance field, a constructor      */
    CF_HIER_OOM,
} CfHierFail;

typedef struct CfHierError {
    CfHierFail fail;
    /* The class refused, whose origin (the file it came from) the caller puts first
     * ("cp/C.mcl: class C: ..."); NULL when msg is the whole message already. */
    const CfHierNode *cls;
    int code;                /* a resolver's own code for FAILED, handed back as is */
    char msg[1024];
} CfHierError;

/* The classes being linked, each the superclass or a listed interface of the one
 * before: the cycle and runaway-depth guards. */
#define CF_HIER_CHAIN 64
_Static_assert(CF_HIER_CHAIN > CF_MAX_CLASS_DEPTH,
               "the chain must hold a chain of the deepest allowed classes");

typedef struct CfHierLoader CfHierLoader;
struct CfHierLoader {
    /* The node of class [name] (an internal name or an array descriptor), loaded and
     * linked (cf_hier_enter, then cf_hier_link) unless it already was; NULL with
     * e->fail CF_HIER_MISSING or CF_HIER_FAILED. */
    CfHierNode *(*resolve)(CfHierLoader *ld, const char *name, CfHierError *e);
    void *ud;
    CfHierNode *chain[CF_HIER_CHAIN];
    uint32_t nchain;
};

/* Before reading class [name]: CF_HIER_LINK when it is one of the classes being
 * linked (a cycle) or when the chain of them is full (too deep), else CF_HIER_OK. */
CfHierFail cf_hier_enter(CfHierLoader *ld, const char *name, CfHierError *e);
/* Links node [n] of class file [cf] (n->name and n->flags set, the rest zero):
 * resolves its superclass and interfaces through ld->resolve, sets super, ifaces,
 * all and depth, and applies the class-header rules that need the ancestors
 * (spec/classfile.md, "Class header rules"): the depth limit, no cycle, a superclass
 * that is neither final nor an interface nor an array, listed interfaces that are
 * interfaces, an interface's superclass std/core/Object, no instance field and no
 * constructor in an interface. CF_HIER_OK, or the failure with [e] filled (and [n]
 * as it was, so that it may be linked again). */
CfHierFail cf_hier_link(CfHierLoader *ld, CfHierNode *n, const CfClass *cf, CfHierError *e);
/* Frees what cf_hier_link allocated in [n] (not [n] itself). */
void cf_hier_node_fini(CfHierNode *n);
/* Is [a] a subtype of [b]: the same class, b std/core/Object, a superclass of a, or
 * an interface a implements (directly or not)? Array nodes only as themselves. */
bool cf_hier_subtype(const CfHierNode *a, const CfHierNode *b);

/* A CfHierarchy over class files found by name (classfile/hierarchy.c): each class
 * is linked once with cf_hier_link and cached; member lookups read the class file
 * again. */
typedef struct CfHeaders CfHeaders;
/* Finds the class file of internal name [name]: its bytes (owned by the caller of
 * cf_headers_new, valid while the CfHeaders lives) and *[len], or NULL. *[origin]
 * (NULL before the call) may be set to where it was found ("cp/app/Main.mcl"), which
 * then comes first in messages about the class. */
typedef const uint8_t *(*CfFindClass)(void *ud, const char *name, size_t *len,
                                      const char **origin);
/* A new, empty hierarchy over the classes [find] finds; NULL when out of memory. */
CfHeaders *cf_headers_new(CfFindClass find, void *ud);
void cf_headers_free(CfHeaders *hs);
/* The verifier's view of [hs] (valid while [hs] lives). */
CfHierarchy cf_headers_hierarchy(CfHeaders *hs);
/* Loads and links class [name] as the VM would load it: 0, or -1 with [err] saying
 * why it is refused (the same message the VM gives). */
int cf_headers_check(CfHeaders *hs, const char *name, CfError *err);

/* One branch or region transfer, for the linker: when the instruction at
 * [pc] transfers control, execution continues at [target] with the operand
 * stack cut to [height] slots plus the [arity] values that were on top. */
typedef struct CfBranch {
    uint32_t pc;
    uint32_t target;
    uint16_t height;
    uint8_t arity;
} CfBranch;

/* One catch clause: an exception raised by an instruction with
 * start <= pc < end whose class is assignable to [cls] (0: any) continues at
 * [handler] with the stack cut to [height] and the exception pushed. The
 * list is ordered so that the first match is the right one (inner regions
 * and earlier clauses first). */
typedef struct CfHandler {
    uint32_t start, end, handler;
    uint16_t cls;                 /* CLASS index, 0 = catch all                 */
    uint16_t height;
} CfHandler;

/* The verifier's side table for one method. Branch entries are sorted by
 * pc; a br_table has n+1 consecutive entries at its pc (default last); an
 * `if` has one entry (where to go when false), `else` and `catch` have one
 * each (where to go when reached by falling through: after the region). */
typedef struct CfMethodInfo {
    CfBranch *branches;
    uint32_t nbranches;
    CfHandler *handlers;
    uint32_t nhandlers;
} CfMethodInfo;

/* Verifies every method of [c] (and the class header rules that need no
 * other class). On success returns 0 and, if [info] is not NULL, fills
 * info[i] for each method i (arrays allocated in the class's arena; entries
 * of methods without code are zeroed). On failure returns -1 with [err]
 * naming class, method, pc, instruction, and expected versus found types. */
int cf_verify_class(CfClass *c, const CfHierarchy *h, CfMethodInfo *info, CfError *err);

/* ---- disassembly -------------------------------------------------------- */
#include <stdio.h>
/* Prints a javap-style listing (header, constant pool, fields, methods with
 * flags, code and line table) of [c] to [out]. */
void cf_disasm(const CfClass *c, FILE *out);
/* Prints one instruction (mnemonic and resolved operands) without newline. */
void cf_disasm_insn(const CfClass *c, const CfInsn *in, FILE *out);

#endif
