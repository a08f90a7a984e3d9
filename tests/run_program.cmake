# tests/run_program.cmake: runs one program test and compares it with its expected files.
#
#   cmake -DMICA=<mica executable> -DSRC=<abs path of NAME.mica> -P run_program.cmake
#
# Runs `mica run NAME.mica [ARGS]` in the test's directory, ARGS being the lines of
# NAME.args. Expected: NAME.out (stdout, exact, required), NAME.err (stderr, exact;
# without it stderr must be empty), NAME.errhead (stderr must start with it, for
# traces too long to spell out), NAME.exit (exit status, default 0). NAME.opts holds
# options of `mica run` (one a line, e.g. --max-heap=16m) put before NAME.mica.
cmake_minimum_required(VERSION 3.16)

if(NOT DEFINED MICA OR NOT DEFINED SRC)
  message(FATAL_ERROR "usage: cmake -DMICA=<mica> -DSRC=<NAME.mica> -P run_program.cmake")
endif()

get_filename_component(dir ${SRC} DIRECTORY)
get_filename_component(file ${SRC} NAME)
string(REGEX REPLACE "\\.mica$" "" base ${SRC})

if(NOT EXISTS ${base}.out)
  message(FATAL_ERROR "${base}.out is missing: every program test needs its expected output")
endif()

set(args)
if(EXISTS ${base}.args)
  file(STRINGS ${base}.args args)
endif()
set(opts)
if(EXISTS ${base}.opts)
  file(STRINGS ${base}.opts opts)
endif()

execute_process(
  COMMAND ${MICA} run ${opts} ${file} ${args}
  WORKING_DIRECTORY ${dir}
  OUTPUT_VARIABLE actual_out
  ERROR_VARIABLE actual_err
  RESULT_VARIABLE actual_exit
  TIMEOUT 120)

file(READ ${base}.out expected_out)
set(expected_exit 0)
if(EXISTS ${base}.exit)
  file(READ ${base}.exit expected_exit)
  string(STRIP "${expected_exit}" expected_exit)
endif()

set(failed FALSE)
set(report "")

if(NOT actual_out STREQUAL expected_out)
  set(failed TRUE)
  string(APPEND report "stdout differs\n--- expected stdout ---\n${expected_out}"
         "\n--- actual stdout ---\n${actual_out}\n")
endif()

if(EXISTS ${base}.err)
  file(READ ${base}.err expected_err)
  if(NOT actual_err STREQUAL expected_err)
    set(failed TRUE)
    string(APPEND report "stderr differs\n--- expected stderr ---\n${expected_err}"
           "\n--- actual stderr ---\n${actual_err}\n")
  endif()
elseif(EXISTS ${base}.errhead)
  file(READ ${base}.errhead expected_head)
  string(LENGTH "${expected_head}" head_len)
  string(LENGTH "${actual_err}" err_len)
  set(actual_head "${actual_err}")
  if(err_len GREATER head_len)
    string(SUBSTRING "${actual_err}" 0 ${head_len} actual_head)
  endif()
  if(NOT actual_head STREQUAL expected_head)
    set(failed TRUE)
    string(APPEND report "stderr does not start as expected\n--- expected start ---\n"
           "${expected_head}\n--- actual stderr ---\n${actual_err}\n")
  endif()
elseif(NOT actual_err STREQUAL "")
  set(failed TRUE)
  string(APPEND report "stderr should be empty\n--- actual stderr ---\n${actual_err}\n")
endif()

if(NOT actual_exit STREQUAL expected_exit)
  set(failed TRUE)
  string(APPEND report "exit status: expected ${expected_exit}, got ${actual_exit}\n")
endif()

if(failed)
  message(FATAL_ERROR "program test ${file} failed:\n${report}")
endif()
