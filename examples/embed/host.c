/* examples/embed/host.c: a C program embedding Mica, one feature after another.
 *   cc host.c $(pkg-config --cflags --libs mica) -lpthread && ./a.out DIR
 * where DIR holds script.mica. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mica.h>

#define CHECK(vm, call)                                                                \
    do {                                                                               \
        MicaStatus st_ = (call);                                                       \
        if (st_ != MICA_OK) {                                                          \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, mica_status_name(st_), \
                    mica_last_error(vm));                                              \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

/* ---- host functions: typed, with a context pointer ---------------------------- */
static MicaStatus host_log(MicaVM *vm, void *ctx, const MicaValue *a, size_t n, MicaValue *r)
{
    (void)n;
    (void)r;
    const char *s;
    size_t len;
    MicaStatus st = mica_string_utf8(vm, a[0], &s, &len);
    if (st == MICA_OK)
        printf("[%s] %.*s\n", (const char *)ctx, (int)len, s);
    return st;
}

static MicaStatus host_scale(MicaVM *vm, void *ctx, const MicaValue *a, size_t n, MicaValue *r)
{
    (void)n;
    if (a[0].as.f < 0)
        return mica_throw(vm, "IllegalArgumentError", "negative area %g", a[0].as.f);
    *r = mica_float(a[0].as.f * *(double *)ctx);
    return MICA_OK;
}

static double factor = 2.0;
static const MicaNative natives[] = {
    {"log", "(Lstd/core/String;)V", host_log, (void *)"host"},
    {"scale", "(F)F", host_scale, &factor},
};

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

static const char *src_text;
static size_t src_len;

/* A VM with the script compiled in and the host functions registered. */
static MicaVM *make_vm(const MicaConfig *cfg)
{
    MicaVM *vm;
    if (mica_vm_new(cfg, &vm) != MICA_OK)
        exit(1);
    CHECK(vm, mica_register_natives(vm, "Host", natives, 2));
    CHECK(vm, mica_compile(vm, "script.mica", src_text, src_len));
    return vm;
}

/* ---- output capture ---------------------------------------------------------------- */
static char captured[256];
static void on_output(void *ud, int stream, const char *b, size_t n)
{
    (void)ud;
    (void)stream;
    strncat(captured, b, n < sizeof captured - 1 - strlen(captured) ? n
                                                                     : sizeof captured - 1 - strlen(captured));
}

static void sensor_free(void *p)
{
    printf("sensor %d released\n", *(int *)p);
    free(p);
}

/* ---- threads: one VM per thread, all at once -------------------------------------- */
static void *thread_main(void *arg)
{
    MicaVM *vm = make_vm(NULL);
    MicaMethod *fib;
    CHECK(vm, mica_find_method(vm, "Script", "fib", "(I)I", &fib));
    MicaValue n = mica_int(20), r;
    CHECK(vm, mica_call(vm, fib, &n, 1, &r));
    *(int64_t *)arg = r.as.i;
    mica_vm_free(vm);
    return NULL;
}

int main(int argc, char **argv)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/script.mica", argc > 1 ? argv[1] : ".");
    char *src = slurp(path, &src_len);
    if (!src) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    src_text = src;
    printf("mica %s (header %s)\n", mica_version(), MICA_VERSION_STRING);

    /* 1. values and calls */
    MicaVM *vm = make_vm(NULL);
    MicaMethod *area, *greet, *total;
    CHECK(vm, mica_find_method(vm, "Script", "area", "(FF)F", &area));
    MicaValue wh[2] = {mica_float(3), mica_float(4)}, r;
    CHECK(vm, mica_call(vm, area, wh, 2, &r));
    printf("area = %g\n", r.as.f);

    /* 2. handles: a scope for temporaries, a global ref kept across scopes */
    MicaScope scope = mica_scope_begin(vm);
    MicaValue name, kept;
    CHECK(vm, mica_new_string(vm, "embedder", 8, &name));
    CHECK(vm, mica_find_method(vm, "Script", "greet", NULL, &greet));
    CHECK(vm, mica_call(vm, greet, &name, 1, &r)); /* calls Host.log: re-entrant */
    CHECK(vm, mica_ref(vm, r, &kept));
    MicaValue xs;
    CHECK(vm, mica_new_array(vm, "[I", 4, &xs));
    for (int i = 0; i < 4; i++)
        CHECK(vm, mica_array_set(vm, xs, i, mica_int(i * 10)));
    CHECK(vm, mica_find_method(vm, "Script", "total", NULL, &total));
    CHECK(vm, mica_call(vm, total, &xs, 1, &r));
    printf("total = %lld\n", (long long)r.as.i);
    CHECK(vm, mica_scope_end(vm, scope));
    const char *text;
    CHECK(vm, mica_string_utf8(vm, kept, &text, NULL));
    printf("kept: %s\n", text);
    if (mica_string_utf8(vm, name, &text, NULL) == MICA_ERR_INVALID)
        printf("stale handle refused: %s\n", mica_last_error(vm));
    CHECK(vm, mica_unref(vm, kept));

    /* 3. a host function that throws; 6. the structured error */
    MicaValue neg[2] = {mica_float(-1), mica_float(2)};
    if (mica_call(vm, area, neg, 2, &r) == MICA_ERR_EXCEPTION) {
        const MicaError *e = mica_error(vm);
        printf("%s: %s (at %s.%s line %d)\n", e->exception, e->detail, e->frames[0].cls,
               e->frames[0].method, e->frames[0].line);
    }
    MicaMethod *fails;
    CHECK(vm, mica_find_method(vm, "Script", "fails", NULL, &fails));
    if (mica_call(vm, fails, NULL, 0, NULL) == MICA_ERR_EXCEPTION)
        printf("%s\n", mica_last_error(vm));

    /* 4. a foreign object: the host's pointer, released by the collector or the VM */
    int *sensor = malloc(sizeof *sensor);
    *sensor = 7;
    MicaValue obj;
    MicaMethod *check;
    CHECK(vm, mica_foreign_new(vm, "Sensor", sensor, sensor_free, &obj));
    CHECK(vm, mica_find_method(vm, "Script", "check", NULL, &check));
    CHECK(vm, mica_call(vm, check, &obj, 1, &r));
    void *data;
    CHECK(vm, mica_foreign_data(vm, obj, &data));
    printf("sensor %d read %lld time(s)\n", *(int *)data, (long long)r.as.i);

    /* 5. a compile error, with its position */
    const char *bad = "fun broken(): int { return nope; }\n";
    if (mica_compile(vm, "bad.mica", bad, strlen(bad)) == MICA_ERR_COMPILE) {
        const MicaError *e = mica_error(vm);
        printf("compile error at %s:%d:%d: %s\n", e->diags[0].file, e->diags[0].line,
               e->diags[0].column, e->diags[0].message);
    }

    /* 8. limits and interrupts */
    MicaMethod *forever;
    CHECK(vm, mica_find_method(vm, "Script", "forever", NULL, &forever));
    MicaLimits lim = {.max_steps = 1000000};
    CHECK(vm, mica_set_limits(vm, &lim));
    if (mica_call(vm, forever, NULL, 0, NULL) == MICA_ERR_LIMIT)
        printf("stopped: %s\n", mica_last_error(vm));

    /* 9. stats */
    MicaStats stats;
    CHECK(vm, mica_stats(vm, &stats));
    printf("classes loaded: %zu\n", stats.classes_loaded);
    mica_vm_free(vm); /* releases the sensor */

    /* 7. capabilities and output: nothing granted, output captured */
    MicaConfig cfg;
    mica_config_init(&cfg);
    cfg.write = on_output;
    vm = make_vm(&cfg);
    MicaMethod *peek;
    CHECK(vm, mica_find_method(vm, "Script", "peek", NULL, &peek));
    if (mica_call(vm, peek, NULL, 0, NULL) == MICA_ERR_EXCEPTION)
        printf("denied: %s\n", mica_error(vm)->detail);
    mica_vm_free(vm);

    /* 8. several VMs on several threads at once */
    pthread_t t[3];
    int64_t res[3] = {0};
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, thread_main, &res[i]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("fib(20) on 3 threads: %lld %lld %lld\n", (long long)res[0], (long long)res[1],
           (long long)res[2]);
    free(src);
    if (res[0] == 6765 && res[1] == 6765 && res[2] == 6765)
        printf("all features ok\n");
    return 0;
}
