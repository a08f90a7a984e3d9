// examples/embed/host.cpp: Mica from C++: an RAII wrapper over the C API, a
// lambda-backed host function, exceptions translated at the boundary.
#include <cstdio>
#include <cctype>
#include <cstring>
#include <stdexcept>
#include <string>

#include <mica.h>

namespace {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Vm {
public:
    Vm()
    {
        if (mica_vm_new(nullptr, &vm_) != MICA_OK)
            throw Error("cannot create a VM");
    }
    ~Vm() { mica_vm_free(vm_); }
    Vm(const Vm &) = delete;
    Vm &operator=(const Vm &) = delete;
    MicaVM *get() const { return vm_; }
    void check(MicaStatus st) const
    {
        if (st != MICA_OK)
            throw Error(std::string(mica_status_name(st)) + ": " + mica_last_error(vm_));
    }
    void compile(const std::string &file, const std::string &src)
    {
        check(mica_compile(vm_, file.c_str(), src.data(), src.size()));
    }
    MicaMethod *method(const char *cls, const char *name, const char *desc = nullptr)
    {
        MicaMethod *m = nullptr;
        check(mica_find_method(vm_, cls, name, desc, &m));
        return m;
    }

private:
    MicaVM *vm_ = nullptr;
};

// A scope that ends when C++ leaves the block.
class Scope {
public:
    explicit Scope(Vm &vm) : vm_(vm), s_(mica_scope_begin(vm.get())) {}
    ~Scope() { mica_scope_end(vm_.get(), s_); }

private:
    Vm &vm_;
    MicaScope s_;
};

const char *kScript = R"(
class Native { @native("host", "upper") static fun upper(s: String): String; }
fun shout(s: String): String { return Native.upper(s) + "!"; }
)";

}  // namespace

int main()
{
    try {
        Vm vm;
        int calls = 0;
        MicaNative fns[] = {{"upper", "(Lstd/core/String;)Lstd/core/String;",
                             [](MicaVM *v, void *ctx, const MicaValue *a, size_t,
                                MicaValue *r) -> MicaStatus {
                                 ++*static_cast<int *>(ctx);
                                 const char *s;
                                 size_t n;
                                 MicaStatus st = mica_string_utf8(v, a[0], &s, &n);
                                 if (st != MICA_OK)
                                     return st;
                                 std::string u(s, n);
                                 for (char &c : u)
                                     c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                                 return mica_new_string(v, u.data(), u.size(), r);
                             },
                             &calls}};
        vm.check(mica_register_natives(vm.get(), "Native", fns, 1));
        vm.compile("shout.mica", kScript);
        Scope scope(vm);
        MicaValue arg, r;
        vm.check(mica_new_string(vm.get(), "quiet", 5, &arg));
        vm.check(mica_call(vm.get(), vm.method("Shout", "shout"), &arg, 1, &r));
        const char *s;
        vm.check(mica_string_utf8(vm.get(), r, &s, nullptr));
        std::printf("%s (%d host call)\n", s, calls);
        if (std::strcmp(s, "QUIET!") == 0 && calls == 1)
            std::printf("c++ host ok\n");
        return 0;
    } catch (const Error &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
