# Install rules: headers, exported targets, radiogenomicsConfig.cmake and its version file.
include(CMakePackageConfigHelpers)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/radiogenomics" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS ${RG_EXPORTED_TARGETS} EXPORT radiogenomicsTargets)

set(RG_CONFIG_DIR "${CMAKE_INSTALL_DATADIR}/cmake/radiogenomics")
install(EXPORT radiogenomicsTargets NAMESPACE radiogenomics:: DESTINATION "${RG_CONFIG_DIR}")
export(EXPORT radiogenomicsTargets NAMESPACE radiogenomics::
    FILE "${PROJECT_BINARY_DIR}/radiogenomicsTargets.cmake")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/radiogenomicsConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/radiogenomicsConfig.cmake" INSTALL_DESTINATION "${RG_CONFIG_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/radiogenomicsConfigVersion.cmake"
    COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/radiogenomicsConfig.cmake"
              "${PROJECT_BINARY_DIR}/radiogenomicsConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/FindNIfTI.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/FindTeem.cmake"
        DESTINATION "${RG_CONFIG_DIR}")
