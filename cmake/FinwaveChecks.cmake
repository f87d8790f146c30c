# Build-wide checks, chosen when a build folder is configured:
#
#   FINWAVE_ASSERTIONS  the engine's invariant asserts (set_state: every
#                       change of state is an edge of the transition table)
#                       and libstdc++'s _GLIBCXX_ASSERTIONS (bounds of
#                       operator[], front() of an empty vector, ...). On by
#                       default in Debug and RelWithDebInfo, the test build
#                       (scripts/test.sh); off in Release, which stays lean
#                       for benchmarks and the shipped app.
#   FINWAVE_SANITIZE    AddressSanitizer + UndefinedBehaviorSanitizer; any
#                       report ends the program with an error.
#   FINWAVE_FUZZ        the libFuzzer targets of fuzz/ (clang; implies
#                       FINWAVE_SANITIZE).
if(CMAKE_BUILD_TYPE MATCHES "^(Debug|RelWithDebInfo)$")
  set(_finwave_assertions_default ON)
else()
  set(_finwave_assertions_default OFF)
endif()
option(FINWAVE_ASSERTIONS "Invariant asserts and _GLIBCXX_ASSERTIONS" ${_finwave_assertions_default})
option(FINWAVE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(FINWAVE_FUZZ "Build the libFuzzer targets (fuzz/; clang only)" OFF)

if(FINWAVE_ASSERTIONS)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
  # CMake's RelWithDebInfo flags carry -DNDEBUG, which would compile the
  # engine's assert() out.
  foreach(config RELWITHDEBINFO RELEASE MINSIZEREL)
    string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_${config} "${CMAKE_CXX_FLAGS_${config}}")
  endforeach()
endif()

if(FINWAVE_FUZZ)
  set(FINWAVE_SANITIZE ON)
endif()
if(FINWAVE_SANITIZE)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "FINWAVE_SANITIZE is for native builds")
  endif()
  set(_finwave_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_finwave_sanitizers})
  add_link_options(${_finwave_sanitizers})
  if(FINWAVE_FUZZ)
    # Coverage instrumentation for every library the fuzz targets link;
    # only the targets themselves link libFuzzer's main.
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endif()
