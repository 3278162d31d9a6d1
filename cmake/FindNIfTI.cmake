# FindNIfTI
# ---------
# Finds the NIfTI C library (nifti_clib) as Debian's libnifti2-dev installs it. Debian 12 ships a
# NIFTIConfig.cmake whose imported targets point at a non-existent /usr/lib/libznz.so.3.0.0, so this
# module ignores it and locates headers and libraries directly.
#
# Result: NIfTI_FOUND, and the imported targets NIfTI::znz and NIfTI::nifti2 (nifti2 + znz + zlib + libm).

include(FindPackageHandleStandardArgs)
find_path(NIfTI_INCLUDE_DIR nifti2_io.h PATH_SUFFIXES nifti)
find_library(NIfTI_NIFTI2_LIBRARY NAMES nifti2)
find_library(NIfTI_ZNZ_LIBRARY NAMES znz)
find_package(ZLIB QUIET)
find_package_handle_standard_args(NIfTI
    REQUIRED_VARS NIfTI_NIFTI2_LIBRARY NIfTI_ZNZ_LIBRARY NIfTI_INCLUDE_DIR ZLIB_FOUND)

if(NIfTI_FOUND)
    if(NOT TARGET NIfTI::znz)
        add_library(NIfTI::znz UNKNOWN IMPORTED)
        set_target_properties(NIfTI::znz PROPERTIES
            IMPORTED_LOCATION "${NIfTI_ZNZ_LIBRARY}"
            INTERFACE_INCLUDE_DIRECTORIES "${NIfTI_INCLUDE_DIR}"
            INTERFACE_COMPILE_DEFINITIONS "HAVE_ZLIB"
            INTERFACE_LINK_LIBRARIES "ZLIB::ZLIB")
    endif()
    if(NOT TARGET NIfTI::nifti2)
        add_library(NIfTI::nifti2 UNKNOWN IMPORTED)
        set_target_properties(NIfTI::nifti2 PROPERTIES
            IMPORTED_LOCATION "${NIfTI_NIFTI2_LIBRARY}"
            INTERFACE_INCLUDE_DIRECTORIES "${NIfTI_INCLUDE_DIR}"
            INTERFACE_LINK_LIBRARIES "NIfTI::znz;m")
    endif()
endif()
mark_as_advanced(NIfTI_INCLUDE_DIR NIfTI_NIFTI2_LIBRARY NIfTI_ZNZ_LIBRARY)
