/* bench/embed/embed_bench.c: the embedding API against Lua 5.4's C API, in one
 * process, one after the other:
 *   calls:  a trivial function add(a, b) called from C (mica_call / lua_pcall)
 *   create: VM create + free (mica_vm_new + mica_vm_free / luaL_newstate +
 *           luaL_openlibs + lua_close), and the memory an idle VM holds (RSS
 *           growth with 200 VMs alive at once).
 * Not a test: read the ratios. bench/embed/run.sh builds and runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <mica.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long p = 0, r = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &p, &r) != 2)
            r = 0;
        fclose(f);
    }
    return r * (sysconf(_SC_PAGESIZE) / 1024);
}

static const char MICA_SRC[] = "fun add(a: int, b: int): int { return a + b; }\n";

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    int nvm = argc > 2 ? atoi(argv[2]) : 2000;
    /* many short rounds, the two engines alternating, best round of each: on a
     * busy machine the minimum is the figure least disturbed by others */
    int rounds = 15;
    n /= rounds;
    nvm = nvm / rounds > 0 ? nvm / rounds : 1;
    /* ---- calls ---- */
    MicaVM *vm;
    if (mica_vm_new(NULL, &vm) != MICA_OK ||
        mica_compile(vm, "bench.mica", MICA_SRC, strlen(MICA_SRC)) != MICA_OK)
        return 1;
    MicaMethod *add;
    if (mica_find_method(vm, "Bench", "add", "(II)I", &add) != MICA_OK)
        return 1;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_dostring(L, "function add(a, b) return a + b end"))
        return 1;
    double best_m = 1e9, best_l = 1e9;
    int64_t sum = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            MicaValue a[2] = {mica_int(i), mica_int(1)}, res;
            if (mica_call(vm, add, a, 2, &res) != MICA_OK)
                return 1;
            sum += res.as.i;
        }
        double t1 = now();
        for (long i = 0; i < n; i++) {
            lua_getglobal(L, "add");
            lua_pushinteger(L, i);
            lua_pushinteger(L, 1);
            if (lua_pcall(L, 2, 1, 0) != LUA_OK)
                return 1;
            sum -= lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
        double t2 = now();
        if (t1 - t0 < best_m)
            best_m = t1 - t0;
        if (t2 - t1 < best_l)
            best_l = t2 - t1;
    }
    if (sum != 0)
        return 1;
    printf("calls from C (best of %d rounds of %ld)\n", rounds, n);
    printf("  mica_call   %7.1f ns/call\n", best_m / n * 1e9);
    printf("  lua_pcall   %7.1f ns/call\n", best_l / n * 1e9);
    printf("  ratio mica/lua %.2f\n", best_m / best_l);
    mica_vm_free(vm);
    lua_close(L);

    /* ---- create + free ---- */
    best_m = best_l = 1e9;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (int i = 0; i < nvm; i++) {
            MicaVM *v;
            if (mica_vm_new(NULL, &v) != MICA_OK)
                return 1;
            mica_vm_free(v);
        }
        double t1 = now();
        for (int i = 0; i < nvm; i++) {
            lua_State *l = luaL_newstate();
            luaL_openlibs(l);
            lua_close(l);
        }
        double t2 = now();
        if (t1 - t0 < best_m)
            best_m = t1 - t0;
        if (t2 - t1 < best_l)
            best_l = t2 - t1;
    }
    printf("VM create + free (best of %d rounds of %d)\n", rounds, nvm);
    printf("  mica_vm_new+free                    %7.2f us\n", best_m / nvm * 1e6);
    printf("  luaL_newstate+openlibs+lua_close    %7.2f us\n", best_l / nvm * 1e6);
    printf("  ratio mica/lua %.2f\n", best_m / best_l);

    /* ---- create, first call (loads std.core.Math), free ---- */
    best_m = best_l = 1e9;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (int i = 0; i < nvm; i++) {
            MicaVM *v;
            MicaMethod *m;
            MicaValue a = mica_int(-1), res;
            if (mica_vm_new(NULL, &v) != MICA_OK ||
                mica_find_method(v, "std.core.Math", "abs", "(I)I", &m) != MICA_OK ||
                mica_call(v, m, &a, 1, &res) != MICA_OK)
                return 1;
            mica_vm_free(v);
        }
        double t1 = now();
        for (int i = 0; i < nvm; i++) {
            lua_State *l = luaL_newstate();
            luaL_openlibs(l);
            lua_getglobal(l, "math");
            lua_getfield(l, -1, "abs");
            lua_pushinteger(l, -1);
            if (lua_pcall(l, 1, 1, 0) != LUA_OK)
                return 1;
            lua_close(l);
        }
        double t2 = now();
        if (t1 - t0 < best_m)
            best_m = t1 - t0;
        if (t2 - t1 < best_l)
            best_l = t2 - t1;
    }
    printf("VM create + first call of a library function + free\n");
    printf("  mica (std.core.Math.abs)            %7.2f us\n", best_m / nvm * 1e6);
    printf("  lua  (math.abs)                     %7.2f us\n", best_l / nvm * 1e6);
    printf("  ratio mica/lua %.2f\n", best_m / best_l);

    /* ---- memory per idle VM ---- */
    enum { K = 200 };
    static MicaVM *vms[K];
    static lua_State *ls[K];
    long m0 = rss_kb();
    for (int i = 0; i < K; i++)
        if (mica_vm_new(NULL, &vms[i]) != MICA_OK)
            return 1;
    long m1 = rss_kb();
    for (int i = 0; i < K; i++) {
        ls[i] = luaL_newstate();
        luaL_openlibs(ls[i]);
    }
    long m2 = rss_kb();
    printf("memory per idle VM (RSS growth over %d live VMs)\n", K);
    printf("  mica %7.1f KiB\n  lua  %7.1f KiB\n", (double)(m1 - m0) / K,
           (double)(m2 - m1) / K);
    for (int i = 0; i < K; i++) {
        mica_vm_free(vms[i]);
        lua_close(ls[i]);
    }
    return 0;
}
