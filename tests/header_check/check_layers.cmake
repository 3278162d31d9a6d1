# Layering check (ctest `layering`): cmake -DRG_INCLUDE_DIR=<include> -P check_layers.cmake
#
# Each concern includes only the concerns before it in this order (the house reads top-down):
#   core → io → preprocess → filters → features → stats → learn → cluster → embed → synth → report → mpi → study
# (stats, learn, cluster and embed need only core/io and stats; they sit after features so the order is
# a single line). mpi/ (the distributed batch layer, component radiogenomics::mpi) uses core only; it sits
# high so that no computational concern can include it: the core stays MPI-free, and <mpi.h> is allowed
# in mpi/ alone. A concern's umbrella radiogenomics/<concern>.hpp belongs to that concern, and
# radiogenomics/radiogenomics.hpp may include everything up to report (not mpi or study: they need components).
# Third-party headers that need a component stay in their layer: nlohmann-json only in study/, the
# NIfTI clib only in io/nifti.hpp, teem only in io/nrrd.hpp, DCMTK only in io/dicom.hpp.
# Fails with one line per violation.
cmake_minimum_required(VERSION 3.21)
if(NOT RG_INCLUDE_DIR)
    message(FATAL_ERROR "check_layers.cmake: pass -DRG_INCLUDE_DIR=<folder holding radiogenomics/>")
endif()
set(rg_layers core io preprocess filters features stats learn cluster embed synth report mpi study)
# Known upward includes, each "<header>|<included header>" with its reason. Keep this list short.
set(rg_allowed_upward
    # io/dicom.hpp returns the PET SUV metadata struct, which lives in preprocess/suv.hpp; moving
    # pet_suv_info below io removes this entry.
    "radiogenomics/io/dicom.hpp|radiogenomics/preprocess/suv.hpp")

function(rg_concern_of path out)
    if(path MATCHES "^radiogenomics/([a-z_0-9]+)/")
        set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
    elseif(path MATCHES "^radiogenomics/([a-z_0-9]+)\\.hpp$")
        set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
    else()
        set(${out} "" PARENT_SCOPE)
    endif()
endfunction()

file(GLOB_RECURSE rg_headers RELATIVE "${RG_INCLUDE_DIR}" "${RG_INCLUDE_DIR}/radiogenomics/*.hpp")
list(LENGTH rg_headers rg_header_count)
if(rg_header_count EQUAL 0)
    message(FATAL_ERROR "check_layers.cmake: no headers under '${RG_INCLUDE_DIR}/radiogenomics'")
endif()
set(rg_violations "")
foreach(header IN LISTS rg_headers)
    rg_concern_of("${header}" concern)
    if(concern STREQUAL "radiogenomics")
        list(FIND rg_layers report rank)  # everything up to report
    else()
        list(FIND rg_layers "${concern}" rank)
        if(rank EQUAL -1)
            list(APPEND rg_violations "${header}: concern '${concern}' is not in the layer order; add it to check_layers.cmake")
            continue()
        endif()
    endif()
    file(STRINGS "${RG_INCLUDE_DIR}/${header}" lines REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS lines)
        if(line MATCHES "[\"<](radiogenomics/[^\">]+)[\">]")
            set(included "${CMAKE_MATCH_1}")
            rg_concern_of("${included}" other)
            list(FIND rg_layers "${other}" other_rank)
            if(other_rank GREATER rank AND NOT "${header}|${included}" IN_LIST rg_allowed_upward)
                list(APPEND rg_violations "${header} (${concern}) includes ${included} (${other}), a concern above it")
            endif()
        elseif(line MATCHES "<nlohmann/" AND NOT concern STREQUAL "study")
            list(APPEND rg_violations "${header} includes nlohmann-json, which only study/ may use")
        elseif(line MATCHES "<nifti[12]_io\\.h>" AND NOT header STREQUAL "radiogenomics/io/nifti.hpp")
            list(APPEND rg_violations "${header} includes the NIfTI clib, which only io/nifti.hpp may use")
        elseif(line MATCHES "<teem/" AND NOT header STREQUAL "radiogenomics/io/nrrd.hpp")
            list(APPEND rg_violations "${header} includes teem, which only io/nrrd.hpp may use")
        elseif(line MATCHES "<dcmtk/" AND NOT header STREQUAL "radiogenomics/io/dicom.hpp")
            list(APPEND rg_violations "${header} includes DCMTK, which only io/dicom.hpp may use")
        elseif(line MATCHES "<mpi\\.h>" AND NOT concern STREQUAL "mpi")
            list(APPEND rg_violations "${header} includes MPI, which only mpi/ may use")
        endif()
    endforeach()
endforeach()
if(rg_violations)
    list(LENGTH rg_violations count)
    string(REPLACE ";" "\n  " text "${rg_violations}")
    message(FATAL_ERROR "layering: ${count} violation(s) in ${RG_INCLUDE_DIR}:\n  ${text}\n"
                        "Order: core → io → preprocess → filters → features → stats → learn → cluster → embed → "
                        "synth → report → mpi → study. Move the shared piece down instead of including upward.")
endif()
message(STATUS "layering: ${rg_header_count} headers, no upward include")
