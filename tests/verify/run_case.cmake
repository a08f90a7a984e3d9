# tests/verify/run_case.cmake: assembles one .mcasm case and runs it with `mica run -cp`.
#   cmake -DMKCLASS=.. -DMICA=.. -DCASE=FILE.mcasm -DWORK=DIR -P run_case.cmake
# `; expect: TEXT` - the run must fail (exit 1) with TEXT in its stderr;
# `; out: TEXT` lines - the run must succeed, printing exactly those lines;
# `; main: NAME` - the class to run (default: the first .class).
# `; micac: SOURCE` - also a case for `micac --verify` (run with -DMICAC=.. -DSTDLIB=..):
#   SOURCE, one line of Mica naming the refused class, compiled against the case's
#   classes must be refused with the same TEXT as `; expect:` (the class files'
#   hierarchy is built by the same code in both).
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${MKCLASS} ${WORK} ${CASE} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mkclass failed: ${err}")
endif()
# string regexes, not file(STRINGS): expected messages hold `[` and `;`, which CMake
# lists would mangle
file(READ ${CASE} text)
set(text "\n${text}")
set(expect "")
if(text MATCHES "\n; expect: ([^\n]*)")
  set(expect "${CMAKE_MATCH_1}")
endif()
set(out "")
set(have_out FALSE)
set(rest "${text}")
while(rest MATCHES "\n; out: ?([^\n]*)(.*)$")
  string(APPEND out "${CMAKE_MATCH_1}\n")
  set(rest "${CMAKE_MATCH_2}")
  set(have_out TRUE)
endwhile()
set(main "")
if(text MATCHES "\n; main: ([^\n]*)")
  set(main "${CMAKE_MATCH_1}")
elseif(text MATCHES "\n\\.class ([^ \n]+)")
  set(main "${CMAKE_MATCH_1}")
endif()
if(DEFINED MICAC)
  if(NOT text MATCHES "\n; micac: ([^\n]*)")
    message(FATAL_ERROR "case has no `; micac:` line")
  endif()
  file(MAKE_DIRECTORY ${WORK}/micac)
  file(WRITE ${WORK}/micac/probe.mica "${CMAKE_MATCH_1}\n")
  execute_process(COMMAND ${MICAC} --verify -cp ${WORK} -cp ${STDLIB} -d ${WORK}/micac/out
                          ${WORK}/micac/probe.mica
                  OUTPUT_VARIABLE actual_out ERROR_VARIABLE actual_err RESULT_VARIABLE actual_rc
                  TIMEOUT 30)
  string(FIND "${actual_err}" "${expect}" pos)
  if(expect STREQUAL "" OR NOT actual_rc EQUAL 1 OR pos EQUAL -1)
    message(FATAL_ERROR "expected micac --verify to fail with stderr containing:\n${expect}\n"
                        "got exit ${actual_rc}, stderr:\n${actual_err}")
  endif()
  return()
endif()
execute_process(COMMAND ${MICA} run -cp ${WORK} ${main}
                OUTPUT_VARIABLE actual_out ERROR_VARIABLE actual_err RESULT_VARIABLE actual_rc
                TIMEOUT 30)
if(have_out)
  if(NOT actual_rc EQUAL 0 OR NOT actual_out STREQUAL out)
    message(FATAL_ERROR "expected success with output:\n${out}\ngot exit ${actual_rc}, "
                        "stdout:\n${actual_out}\nstderr:\n${actual_err}")
  endif()
elseif(expect STREQUAL "")
  message(FATAL_ERROR "case has neither `; expect:` nor `; out:`")
else()
  string(FIND "${actual_err}" "${expect}" pos)
  if(NOT actual_rc EQUAL 1 OR pos EQUAL -1)
    message(FATAL_ERROR "expected exit 1 and stderr containing:\n${expect}\n"
                        "got exit ${actual_rc}, stderr:\n${actual_err}")
  endif()
endif()
