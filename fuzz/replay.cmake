# Replays every file of DIR through FUZZER once (a libFuzzer binary given
# files runs each and stops at the first crash). An empty or missing DIR
# passes: no crash has been found for that target.
file(GLOB inputs "${DIR}/*")
if(NOT inputs)
  message(STATUS "no regression inputs in ${DIR}")
  return()
endif()
execute_process(COMMAND "${FUZZER}" ${inputs} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed on a regression input of ${DIR} (exit ${rc})")
endif()
