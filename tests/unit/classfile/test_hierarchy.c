/* tests/unit/classfile/test_hierarchy.c: the hierarchy builder the VM and the tools
 * share (cf_hier_enter, cf_hier_link, cf_hier_subtype: depth, every refusal, subtypes
 * through interfaces), the hierarchy over class files built with it (CfHeaders), and
 * the assignability rule every hierarchy uses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

typedef struct Blob {
    const char *name;
    uint8_t *bytes;
    size_t len;
} Blob;

typedef struct Set {
    Blob b[8];
    int n;
    int finds;      /* calls to find */
} Set;

static const uint8_t *find(void *ud, const char *name, size_t *len, const char **origin)
{
    Set *s = ud;
    (void)origin;
    s->finds++;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->b[i].name, name) == 0) {
            *len = s->b[i].len;
            return s->b[i].bytes;
        }
    return NULL;
}

/* Adds class [name] extending [super] (NULL: none) implementing [iface] (or NULL). */
static void add(Set *s, const char *name, const char *super, const char *iface, uint16_t flags,
                const char *field)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->flags = flags;
    c->this_class = cf_cp_class(c, name);
    c->super_class = super ? cf_cp_class(c, super) : 0;
    if (iface)
        ck_assert_int_eq(cf_add_interface(c, iface), 0);
    if (field)
        ck_assert_ptr_nonnull(cf_add_field(c, 0, field, "I"));
    CfError err;
    Blob *b = &s->b[s->n++];
    b->name = name;
    ck_assert_int_eq(cf_write(c, &b->bytes, &b->len, &err), 0);
    cf_class_free(c);
}

static void set_free(Set *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->b[i].bytes);
}

START_TEST(assignable_by_name_rule)
{
    ck_assert_int_eq(cf_assignable_by_name("a/B", "a/B"), 1);
    ck_assert_int_eq(cf_assignable_by_name("[I", "std/core/Object"), 1);
    ck_assert_int_eq(cf_assignable_by_name("[I", "[I"), 1);
    ck_assert_int_eq(cf_assignable_by_name("[I", "[F"), 0);
    ck_assert_int_eq(cf_assignable_by_name("a/B", "[I"), 0);
    ck_assert_int_eq(cf_assignable_by_name("a/B", "a/A"), -1);
}
END_TEST

START_TEST(headers_answer_the_verifier)
{
    Set s = {0};
    add(&s, "std/core/Object", NULL, NULL, 0, NULL);
    add(&s, "a/I", "std/core/Object", NULL, CF_ACC_INTERFACE | CF_ACC_ABSTRACT, NULL);
    add(&s, "a/A", "std/core/Object", "a/I", 0, "x");
    add(&s, "a/B", "a/A", NULL, 0, NULL);
    CfHeaders *hs = cf_headers_new(find, &s);
    ck_assert_ptr_nonnull(hs);
    CfHierarchy h = cf_headers_hierarchy(hs);
    CfError err = {0};
    ck_assert_int_eq(h.assignable(h.ud, "a/B", "a/A", &err), 1);
    ck_assert_int_eq(h.assignable(h.ud, "a/B", "a/I", &err), 1);
    ck_assert_int_eq(h.assignable(h.ud, "a/A", "a/B", &err), 0);
    ck_assert_int_eq(h.is_interface(h.ud, "a/I", &err), 1);
    ck_assert_int_eq(h.is_interface(h.ud, "a/B", &err), 0);
    ck_assert_int_eq(h.assignable(h.ud, "a/Missing", "a/A", &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "a/Missing"));
    /* headers are read once: asking again finds nothing new */
    int finds = s.finds;
    ck_assert_int_eq(h.assignable(h.ud, "a/B", "a/I", &err), 1);
    ck_assert_int_eq(s.finds, finds);
    /* a field is found where it is declared, through the subclass */
    uint16_t flags = 0xFFFF;
    const char *decl = NULL;
    ck_assert_int_eq(h.lookup_field(h.ud, "a/B", "x", "I", &flags, &decl, &err), 1);
    ck_assert_str_eq(decl, "a/A");
    ck_assert_uint_eq(flags, 0);
    ck_assert_int_eq(h.lookup_field(h.ud, "a/B", "x", "F", &flags, &decl, &err), 0);
    cf_headers_free(hs);
    set_free(&s);
}
END_TEST

/* ---- the builder, over class files kept in memory ---------------------------- */

/* A loader over in-memory class files whose resolver links each class on first use,
 * as the VM's and CfHeaders' do. */
typedef struct Node {
    CfHierNode n;
    CfClass *cf;
    bool linked;
} Node;

typedef struct World {
    CfHierLoader ld;
    Node nodes[80];
    int n;
    int resolves;
} World;

static CfClass *new_class(const char *name, const char *super, uint16_t flags)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->flags = flags;
    c->this_class = cf_cp_class(c, name);
    c->super_class = super ? cf_cp_class(c, super) : 0;
    return c;
}

/* Adds class [name]; [ifaces] is NULL or a list of interface names ending in NULL. */
static CfClass *def(World *w, const char *name, const char *super, uint16_t flags,
                    const char *const *ifaces)
{
    CfClass *c = new_class(name, super, flags);
    for (int i = 0; ifaces && ifaces[i]; i++)
        ck_assert_int_eq(cf_add_interface(c, ifaces[i]), 0);
    Node *nd = &w->nodes[w->n++];
    memset(nd, 0, sizeof *nd);
    nd->cf = c;
    nd->n.name = cf_this_name(c);
    nd->n.flags = flags;
    return c;
}

static CfHierNode *world_resolve(CfHierLoader *ld, const char *name, CfHierError *e)
{
    World *w = ld->ud;
    w->resolves++;
    for (int i = 0; i < w->n; i++) {
        Node *nd = &w->nodes[i];
        if (strcmp(nd->n.name, name) != 0)
            continue;
        if (nd->linked)
            return &nd->n;
        if (cf_hier_enter(ld, name, e) != CF_HIER_OK || cf_hier_link(ld, &nd->n, nd->cf, e) != CF_HIER_OK)
            return NULL;
        nd->linked = true;
        return &nd->n;
    }
    e->fail = CF_HIER_MISSING;
    snprintf(e->msg, sizeof e->msg, "class %s not found", name);
    e->cls = NULL;
    return NULL;
}

static void world_init(World *w)
{
    memset(w, 0, sizeof *w);
    w->ld.resolve = world_resolve;
    w->ld.ud = w;
    def(w, "std/core/Object", NULL, 0, NULL);
}

static void world_free(World *w)
{
    for (int i = 0; i < w->n; i++) {
        cf_hier_node_fini(&w->nodes[i].n);
        cf_class_free(w->nodes[i].cf);
    }
}

static CfHierNode *get(World *w, const char *name, CfHierError *e)
{
    memset(e, 0, sizeof *e);
    return world_resolve(&w->ld, name, e);
}

#define IFACE (CF_ACC_INTERFACE | CF_ACC_ABSTRACT)
#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Object has depth 0; any other class 1 + the greatest of its superclass and the
 * interfaces it lists. */
START_TEST(depth_counts_interfaces)
{
    World w;
    world_init(&w);
    def(&w, "I1", "std/core/Object", IFACE, NULL);
    def(&w, "I2", "std/core/Object", IFACE, LIST("I1"));
    def(&w, "I3", "std/core/Object", IFACE, LIST("I2"));
    def(&w, "A", "std/core/Object", 0, NULL);
    def(&w, "B", "A", 0, LIST("I3"));
    def(&w, "C", "B", 0, NULL);
    CfHierError e;
    ck_assert_uint_eq(get(&w, "std/core/Object", &e)->depth, 0);
    ck_assert_uint_eq(get(&w, "I1", &e)->depth, 1);
    ck_assert_uint_eq(get(&w, "A", &e)->depth, 1);
    CfHierNode *b = get(&w, "B", &e);
    ck_assert_uint_eq(b->depth, 4); /* I3 (3) + 1, deeper than A (1) + 1 */
    ck_assert_uint_eq(get(&w, "C", &e)->depth, 5);
    /* B's interfaces: I3's (I1, I2, I3), each once */
    ck_assert_uint_eq(b->nifaces, 1);
    ck_assert_uint_eq(b->nall, 3);
    ck_assert_str_eq(b->all[0]->name, "I1");
    ck_assert_str_eq(b->all[2]->name, "I3");
    ck_assert_uint_eq(w.ld.nchain, 0);
    world_free(&w);
}
END_TEST

START_TEST(subtype_through_interfaces)
{
    World w;
    world_init(&w);
    def(&w, "I1", "std/core/Object", IFACE, NULL);
    def(&w, "I2", "std/core/Object", IFACE, LIST("I1"));
    def(&w, "J", "std/core/Object", IFACE, NULL);
    def(&w, "A", "std/core/Object", 0, LIST("I2"));
    def(&w, "B", "A", 0, NULL);
    def(&w, "C", "std/core/Object", 0, LIST("J"));
    CfHierError e;
    CfHierNode *obj = get(&w, "std/core/Object", &e), *i1 = get(&w, "I1", &e),
               *i2 = get(&w, "I2", &e), *j = get(&w, "J", &e), *a = get(&w, "A", &e),
               *b = get(&w, "B", &e), *c = get(&w, "C", &e);
    ck_assert(cf_hier_subtype(b, i1)); /* B extends A implements I2 extends I1 */
    ck_assert(cf_hier_subtype(b, i2));
    ck_assert(cf_hier_subtype(b, a));
    ck_assert(cf_hier_subtype(b, obj));
    ck_assert(cf_hier_subtype(i2, i1));
    ck_assert(cf_hier_subtype(i1, obj));
    ck_assert(cf_hier_subtype(b, b));
    ck_assert(!cf_hier_subtype(a, b));
    ck_assert(!cf_hier_subtype(b, j));
    ck_assert(!cf_hier_subtype(i1, i2));
    ck_assert(!cf_hier_subtype(c, a));
    ck_assert(cf_hier_subtype(c, j));
    ck_assert(!cf_hier_subtype(obj, a));
    world_free(&w);
}
END_TEST

/* [name] is refused with [fail], naming class [cls], with message [msg]. */
static void refused(World *w, const char *name, CfHierFail fail, const char *cls, const char *msg)
{
    CfHierError e;
    ck_assert_ptr_null(get(w, name, &e));
    ck_assert_int_eq(e.fail, fail);
    ck_assert_ptr_nonnull(e.cls);
    ck_assert_str_eq(e.cls->name, cls);
    ck_assert_str_eq(e.msg, msg);
    ck_assert_uint_eq(w->ld.nchain, 0);
}

START_TEST(depth_limit)
{
    World w;
    world_init(&w);
    char names[62][8];
    for (int i = 0; i < 62; i++) {
        snprintf(names[i], sizeof names[i], "C%d", i);
        def(&w, names[i], i ? names[i - 1] : "std/core/Object", 0, NULL);
    }
    CfHierError e;
    ck_assert_uint_eq(get(&w, "C59", &e)->depth, CF_MAX_CLASS_DEPTH);
    refused(&w, "C61", CF_HIER_LINK, "C60", "class C60: hierarchy depth 61 exceeds the limit of 60");
    world_free(&w);
}
END_TEST

/* A chain longer than the loader follows at once is refused before its end is read. */
START_TEST(depth_limit_long_chain)
{
    World w;
    world_init(&w);
    char names[70][8];
    for (int i = 0; i < 70; i++) {
        snprintf(names[i], sizeof names[i], "C%d", i);
        def(&w, names[i], i ? names[i - 1] : "std/core/Object", 0, NULL);
    }
    /* C69 .. C6 are being linked (64) when C5 is asked for: C69 - 4 = C65 is too deep */
    refused(&w, "C69", CF_HIER_LINK, "C65", "class C65: hierarchy depth exceeds the limit of 60");
    world_free(&w);
}
END_TEST

START_TEST(cycle)
{
    World w;
    world_init(&w);
    def(&w, "A", "B", 0, NULL);
    def(&w, "B", "A", 0, NULL);
    def(&w, "I", "std/core/Object", IFACE, LIST("I"));
    refused(&w, "A", CF_HIER_LINK, "A", "class hierarchy cycle: A is its own ancestor");
    refused(&w, "I", CF_HIER_LINK, "I", "class hierarchy cycle: I is its own ancestor");
    world_free(&w);
}
END_TEST

START_TEST(superclass_rules)
{
    World w;
    world_init(&w);
    def(&w, "I", "std/core/Object", IFACE, NULL);
    def(&w, "F", "std/core/Object", CF_ACC_FINAL, NULL);
    def(&w, "ExtendsI", "I", 0, NULL);
    def(&w, "ExtendsF", "F", 0, NULL);
    def(&w, "ImplementsF", "std/core/Object", 0, LIST("F"));
    def(&w, "Orphan", "Missing", 0, NULL);
    def(&w, "Lost", "std/core/Object", 0, LIST("I", "Gone"));
    def(&w, "Heir", "Orphan", 0, NULL);
    refused(&w, "ExtendsI", CF_HIER_LINK, "ExtendsI", "class ExtendsI cannot extend interface I");
    refused(&w, "ExtendsF", CF_HIER_LINK, "ExtendsF", "class ExtendsF cannot extend final class F");
    refused(&w, "ImplementsF", CF_HIER_LINK, "ImplementsF",
            "class ImplementsF implements F, which is not an interface");
    refused(&w, "Orphan", CF_HIER_LINK, "Orphan", "class Orphan: its superclass Missing is not found");
    refused(&w, "Lost", CF_HIER_LINK, "Lost", "class Lost: its interface Gone is not found");
    /* a failure further up is the resolver's: passed on as it is */
    refused(&w, "Heir", CF_HIER_LINK, "Orphan", "class Orphan: its superclass Missing is not found");
    world_free(&w);
}
END_TEST

START_TEST(interface_rules)
{
    World w;
    world_init(&w);
    def(&w, "K", "std/core/Object", 0, NULL);
    def(&w, "OnClass", "K", IFACE, NULL);
    def(&w, "Rootless", NULL, IFACE, NULL);
    CfClass *f = def(&w, "WithField", "std/core/Object", IFACE, NULL);
    ck_assert_ptr_nonnull(cf_add_field(f, CF_ACC_STATIC, "ok", "I"));
    ck_assert_ptr_nonnull(cf_add_field(f, 0, "x", "I"));
    CfClass *m = def(&w, "WithInit", "std/core/Object", IFACE, NULL);
    ck_assert_ptr_nonnull(cf_add_method(m, 0, "<init>", "()V"));
    refused(&w, "OnClass", CF_HIER_VERIFY, "OnClass",
            "interface OnClass: its superclass must be std/core/Object, not K");
    refused(&w, "Rootless", CF_HIER_VERIFY, "Rootless",
            "interface Rootless: its superclass must be std/core/Object, not (none)");
    refused(&w, "WithField", CF_HIER_VERIFY, "WithField",
            "interface WithField: instance field x (an interface may declare only static fields)");
    refused(&w, "WithInit", CF_HIER_VERIFY, "WithInit",
            "interface WithInit may not declare a constructor");
    world_free(&w);
}
END_TEST

/* CfHeaders links with the same builder: its refusals are the builder's, after the
 * origin the class path gives. */
static const uint8_t *find_at(void *ud, const char *name, size_t *len, const char **origin)
{
    const uint8_t *b = find(ud, name, len, origin);
    if (b && strcmp(name, "a/Deep") == 0)
        *origin = "cp/a/Deep.mcl";
    return b;
}

START_TEST(headers_refuse_as_the_vm)
{
    Set s = {0};
    add(&s, "std/core/Object", NULL, NULL, 0, NULL);
    add(&s, "a/F", "std/core/Object", NULL, CF_ACC_FINAL, NULL);
    add(&s, "a/Deep", "a/F", NULL, 0, NULL);
    add(&s, "a/User", "a/Deep", NULL, 0, NULL);
    CfHeaders *hs = cf_headers_new(find_at, &s);
    ck_assert_ptr_nonnull(hs);
    CfError err = {0};
    ck_assert_int_eq(cf_headers_check(hs, "a/F", &err), 0);
    ck_assert_int_eq(cf_headers_check(hs, "a/User", &err), -1);
    ck_assert_str_eq(err.msg, "cp/a/Deep.mcl: class a/Deep cannot extend final class a/F");
    CfHierarchy h = cf_headers_hierarchy(hs);
    ck_assert_ptr_nonnull(h.class_flags);
    uint16_t flags = 0;
    ck_assert_int_eq(h.class_flags(h.ud, "a/F", &flags, &err), 1);
    ck_assert_uint_eq(flags, CF_ACC_FINAL);
    ck_assert_int_eq(h.class_flags(h.ud, "a/Deep", &flags, &err), -1);
    ck_assert_str_eq(err.msg, "cp/a/Deep.mcl: class a/Deep cannot extend final class a/F");
    ck_assert_int_eq(h.class_flags(h.ud, "a/Nowhere", &flags, &err), -1);
    ck_assert_str_eq(err.msg, "class a/Nowhere not found");
    cf_headers_free(hs);
    set_free(&s);
}
END_TEST

static Suite *hierarchy_suite(void)
{
    Suite *s = suite_create("hierarchy");
    TCase *tc = tcase_create("headers");
    tcase_add_test(tc, assignable_by_name_rule);
    tcase_add_test(tc, headers_answer_the_verifier);
    tcase_add_test(tc, headers_refuse_as_the_vm);
    suite_add_tcase(s, tc);
    TCase *tb = tcase_create("builder");
    tcase_add_test(tb, depth_counts_interfaces);
    tcase_add_test(tb, subtype_through_interfaces);
    tcase_add_test(tb, depth_limit);
    tcase_add_test(tb, depth_limit_long_chain);
    tcase_add_test(tb, cycle);
    tcase_add_test(tb, superclass_rules);
    tcase_add_test(tb, interface_rules);
    suite_add_tcase(s, tb);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hierarchy_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
