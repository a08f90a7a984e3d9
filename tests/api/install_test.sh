#!/usr/bin/env bash
# tests/api/install_test.sh BUILD SRC WORK: installs the build into WORK/prefix, then
# builds examples/embed/host.c as an outside project would: with pkg-config (shared
# and static) and with CMake's find_package(Mica), and runs each.
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
lib=$(ls -d "$prefix"/lib*/ | head -1)
test -f "$prefix/include/mica.h"
test -f "$lib/libmica.a"
test -f "$lib/pkgconfig/mica.pc"
test -f "$lib/cmake/Mica/MicaConfig.cmake"
# only mica_* exported, with a versioned soname
soname=$(objdump -p "$lib/libmica.so" | awk '/SONAME/ {print $2}')
case $soname in libmica.so.[0-9]*.[0-9]*) ;; *) echo "bad soname $soname"; exit 1;; esac
bad=$(nm -D --defined-only "$lib/libmica.so" | awk '$3 != "" && $3 !~ /^mica_/ && $3 !~ /^MICA_/ {print $3}')
if [ -n "$bad" ]; then echo "exported non-mica symbols: $bad"; exit 1; fi
# the static archive: nothing global but mica_*
bad=$(nm -g --defined-only "$lib/libmica.a" | awk 'NF == 3 && $3 !~ /^mica_/ {print $3}')
if [ -n "$bad" ]; then echo "libmica.a defines non-mica globals: $(echo $bad | head -c 300)"; exit 1; fi

export PKG_CONFIG_PATH=$lib/pkgconfig
cc=${CC:-cc}
# 1. pkg-config, shared
$cc -o "$work/host_pc" "$src/examples/embed/host.c" $(pkg-config --cflags --libs mica) -lpthread
LD_LIBRARY_PATH=$lib "$work/host_pc" "$src/examples/embed" | tee "$work/pc.out" | tail -1
grep -q "all features ok" "$work/pc.out"
# 2. pkg-config --static
$cc -o "$work/host_static" "$src/examples/embed/host.c" \
    -I"$prefix/include" "$lib/libmica.a" $(pkg-config --libs-only-other --libs --static mica | sed 's/-lmica//') -lpthread
"$work/host_static" "$src/examples/embed" | tail -1 | grep -q "all features ok"
# a host defining a symbol the library uses internally still links and runs
cat > "$work/clash.c" <<'C'
#include <mica.h>
int gc_collect(void) { return 7; }
int vm_call(void) { return 8; }
int main(void) { MicaVM *vm; if (mica_vm_new(0, &vm)) return 1; mica_vm_free(vm); return gc_collect() + vm_call() == 15 ? 0 : 1; }
C
$cc -o "$work/clash" "$work/clash.c" -I"$prefix/include" "$lib/libmica.a" \
    $(pkg-config --libs --static mica | sed 's/-lmica//') -lpthread
"$work/clash"
$cc -o "$work/clash_so" "$work/clash.c" $(pkg-config --cflags --libs mica)
LD_LIBRARY_PATH=$lib "$work/clash_so"
# 3. find_package(Mica)
cmake -S "$src/examples/embed" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" > "$work/cmake.log"
cmake --build "$work/cmake" > "$work/cmake-build.log"
LD_LIBRARY_PATH=$lib "$work/cmake/host" "$src/examples/embed" | tail -1 | grep -q "all features ok"
echo "install ok"
