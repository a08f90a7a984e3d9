# cmake/toolchains/linux-gnu-cross.cmake: shared part of the Debian cross toolchains
# (aarch64-linux-gnu.cmake, s390x-linux-gnu.cmake); set MICA_CROSS_TRIPLE and
# CMAKE_SYSTEM_PROCESSOR before including it.
#
# Expects what tools/cross-setup.sh installs: Debian's cross gcc, the target's libc and
# libffi from the multiarch archive, and libgc, PCRE2, libzip (with libffi again) for the
# target unpacked into a sysroot, MICA_SYSROOT (default /opt/sysroot-<processor>).
# Build steps run host tools (see MICA_HOST_TOOLS in CMakeLists.txt): no emulator is
# needed to build. CTest runs target programs through qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${MICA_CROSS_TRIPLE}-gcc)

if(NOT MICA_SYSROOT)
  if(DEFINED ENV{MICA_SYSROOT})
    set(MICA_SYSROOT $ENV{MICA_SYSROOT})
  else()
    set(MICA_SYSROOT /opt/sysroot-${CMAKE_SYSTEM_PROCESSOR})
  endif()
endif()
set(MICA_SYSROOT ${MICA_SYSROOT} CACHE PATH "Sysroot with the target's libraries")
set(mica_libdir ${MICA_SYSROOT}/usr/lib/${MICA_CROSS_TRIPLE})
set(mica_libdir2 ${MICA_SYSROOT}/lib/${MICA_CROSS_TRIPLE})  # some packages put libraries here
if(NOT EXISTS ${mica_libdir})
  message(FATAL_ERROR "no sysroot at ${MICA_SYSROOT} (run tools/cross-setup.sh "
          "${CMAKE_SYSTEM_PROCESSOR} as root, or set MICA_SYSROOT)")
endif()

# pkg-config answers from the sysroot only, its paths prefixed with the sysroot
set(ENV{PKG_CONFIG_LIBDIR} "${mica_libdir}/pkgconfig:${MICA_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${MICA_SYSROOT})
set(ENV{PKG_CONFIG_PATH} "")
# The sysroot's headers come first: Debian's cross gcc also searches the host's
# /usr/include, whose headers may belong to other library versions.
set(CMAKE_C_FLAGS_INIT
    "-I${MICA_SYSROOT}/usr/include -I${MICA_SYSROOT}/usr/include/${MICA_CROSS_TRIPLE}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-L${mica_libdir} -Wl,-rpath-link,${mica_libdir} -Wl,-rpath-link,${mica_libdir2}")

set(CMAKE_FIND_ROOT_PATH ${MICA_SYSROOT} /usr/${MICA_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Target programs run under qemu-user with the multiarch C library (-L /; the cross
# toolchain's own libc crashes under qemu's loader) and the sysroot's libraries.
set(CMAKE_CROSSCOMPILING_EMULATOR
    env LD_LIBRARY_PATH=${mica_libdir}:${mica_libdir2} qemu-${CMAKE_SYSTEM_PROCESSOR} -L /)
