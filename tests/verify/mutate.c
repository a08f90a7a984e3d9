/* tests/verify/mutate.c: compiles test programs, then runs every truncation and every
 * single-bit flip of each of their class files through the whole VM (load, verify,
 * link, run), each in a forked child with a time limit. Any crash fails the test.
 *
 *   verify_mutate PROGRAM.mica...
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compiler.h"
#include "mica.h"

typedef struct Cls {
    char name[512];
    uint8_t *bytes;
    size_t len;
} Cls;

typedef struct Prog {
    Cls cls[64];
    int n;
} Prog;

static const uint8_t *find_std(void *ud, const char *name, size_t *len)
{
    return mica_std_class(name, len);
}

static void list_std(void *ud, const char *pkg, void (*fn)(void *, const char *), void *arg)
{
    mica_std_list(pkg, fn, arg);
}

static int emit(void *ud, const char *name, const uint8_t *bytes, size_t len)
{
    Prog *p = ud;
    if (p->n == 64)
        return -1;
    Cls *c = &p->cls[p->n++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->bytes = malloc(len);
    if (!c->bytes)
        return -1;
    memcpy(c->bytes, bytes, len);
    c->len = len;
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = (size_t)n;
    }
    return buf;
}

/* Runs the program with class [k] replaced by [bytes]/[len] in a child process.
 * Returns 0 when it ended normally (any status) or hit the time limit, -1 on a crash. */
static int run_case(const Prog *p, const char *main_class, int k, const uint8_t *bytes,
                    size_t len, const char *what, long *timeouts)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(100);
        /* a flip can turn a loop bound into a very long loop: stop it (counted, not a
         * failure) well before it matters; sound runs take milliseconds */
        struct itimerval limit = {{0, 0}, {0, 300000}};
        setitimer(ITIMER_REAL, &limit, NULL);
        MicaConfig cfg;
        mica_config_init(&cfg);
        cfg.max_call_depth = 200;
        cfg.max_steps = 1000000;
        cfg.max_heap_bytes = 64u << 20;
        MicaVM *vm;
        if (mica_vm_new(&cfg, &vm) != MICA_OK)
            _exit(101);
        for (int i = 0; i < p->n; i++) {
            if (i == k)
                mica_load_bytes(vm, bytes, len);
            else
                mica_load_bytes(vm, p->cls[i].bytes, p->cls[i].len);
        }
        int code = 0;
        MicaStatus st = mica_run_main(vm, main_class, 0, NULL, &code);
        mica_vm_free(vm);
        _exit(st == MICA_OK ? 0 : 1);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
        return 0;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        (*timeouts)++;
        return 0;
    }
    fprintf(stderr, "CRASH: %s of class %s (%s %d)\n", what, p->cls[k].name,
            WIFSIGNALED(status) ? "signal" : "exit status",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return -1;
}

int main(int argc, char **argv)
{
    int crashes = 0;
    long cases = 0, timeouts = 0;
    for (int a = 1; a < argc; a++) {
        size_t len;
        char *text = slurp(argv[a], &len);
        if (!text) {
            fprintf(stderr, "cannot read %s\n", argv[a]);
            return 1;
        }
        Prog *p = calloc(1, sizeof *p);
        CcSource src = {argv[a], text, len};
        CcClassPath cp = {NULL, find_std, list_std};
        CcOptions opt = {0};
        CcResult res;
        if (!p || cc_compile(&src, 1, &cp, &opt, emit, p, &res) != 0 || res.nerrors) {
            fprintf(stderr, "cannot compile %s\n", argv[a]);
            return 1;
        }
        for (int k = 0; k < p->n; k++) {
            const Cls *c = &p->cls[k];
            uint8_t *buf = malloc(c->len);
            if (!buf)
                return 1;
            char what[64];
            for (size_t cut = 0; cut < c->len; cut++, cases++) {
                snprintf(what, sizeof what, "truncation to %zu bytes", cut);
                memcpy(buf, c->bytes, cut);
                crashes += run_case(p, res.main_class, k, buf, cut, what, &timeouts) < 0;
            }
            for (size_t bit = 0; bit < c->len * 8; bit++, cases++) {
                memcpy(buf, c->bytes, c->len);
                buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                snprintf(what, sizeof what, "flip of bit %zu", bit);
                crashes += run_case(p, res.main_class, k, buf, c->len, what, &timeouts) < 0;
            }
            free(buf);
            free(c->bytes);
        }
        free(p);
        free(text);
    }
    printf("%ld cases, %d crashes, %ld stopped by the time limit\n", cases, crashes, timeouts);
    return crashes ? 1 : 0;
}
