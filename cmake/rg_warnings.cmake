# rg_enable_warnings(<target>): the project's warning flags for its own tests, examples and benchmarks.
function(rg_enable_warnings target)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    elseif(MSVC)
        target_compile_options(${target} PRIVATE /W4)
    endif()
endfunction()

# rg_link_components(<target>): links the optional components that were found.
function(rg_link_components target)
    target_link_libraries(${target} PRIVATE radiogenomics::radiogenomics)
    if(TARGET radiogenomics::openmp)
        target_link_libraries(${target} PRIVATE radiogenomics::openmp)
    endif()
    if(TARGET radiogenomics::io)
        target_link_libraries(${target} PRIVATE radiogenomics::io)
    endif()
endfunction()
