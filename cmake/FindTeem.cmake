# FindTeem
# --------
# Finds teem (the reference NRRD library) as Debian's libteem-dev installs it: headers in
# /usr/include/teem, libteem.so in /usr/lib. Debian's TeemConfig.cmake sets the include directory to
# /usr/include (the headers are included as <teem/nrrd.h>) and no imported target, so this module
# locates header and library directly.
#
# Result: Teem_FOUND and the imported target Teem::teem (include as <teem/nrrd.h>).

include(FindPackageHandleStandardArgs)
find_path(Teem_INCLUDE_DIR teem/nrrd.h)
find_library(Teem_LIBRARY NAMES teem)
find_package_handle_standard_args(Teem REQUIRED_VARS Teem_LIBRARY Teem_INCLUDE_DIR)

if(Teem_FOUND AND NOT TARGET Teem::teem)
    add_library(Teem::teem UNKNOWN IMPORTED)
    set_target_properties(Teem::teem PROPERTIES
        IMPORTED_LOCATION "${Teem_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Teem_INCLUDE_DIR}")
endif()
mark_as_advanced(Teem_INCLUDE_DIR Teem_LIBRARY)
