# Installs the already-built project into a scratch prefix, then configures, builds and runs the
# consumer project twice: against the installed package and through add_subdirectory.
file(REMOVE_RECURSE "${RG_WORK_DIR}")
set(prefix "${RG_WORK_DIR}/prefix")

function(run_step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "step failed (${result}): ${ARGN}\n${out}\n${err}")
    endif()
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

run_step(${CMAKE_COMMAND} --install "${RG_BINARY_DIR}" --prefix "${prefix}")
foreach(mode installed subdirectory)
    set(build "${RG_WORK_DIR}/build-${mode}")
    run_step(${CMAKE_COMMAND} -S "${RG_SOURCE_DIR}/tests/downstream/consumer" -B "${build}"
        -G "${RG_GENERATOR}" -DCMAKE_CXX_COMPILER=${RG_CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release
        -DCMAKE_PREFIX_PATH=${prefix} -DCONSUMER_MODE=${mode} -DRG_SOURCE_DIR=${RG_SOURCE_DIR}
        "-DCONSUMER_COMPONENTS=${RG_COMPONENTS}"
        "-DCMAKE_CXX_FLAGS=${RG_CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${RG_EXE_LINKER_FLAGS}")
    run_step(${CMAKE_COMMAND} --build "${build}")
    run_step("${build}/consumer")
    # the build's flags reached the consumer: under the asan preset it must have been built instrumented
    if(RG_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address" AND NOT step_output MATCHES "AddressSanitizer")
        message(FATAL_ERROR "${mode}: the build uses ${RG_CXX_FLAGS} but the consumer was not built with "
                            "AddressSanitizer; it printed: ${step_output}")
    endif()
    message(STATUS "${mode}: ${step_output}")
endforeach()
