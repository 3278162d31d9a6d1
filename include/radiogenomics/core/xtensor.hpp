#pragma once
/// \file xtensor.hpp
/// \brief The only file that includes xtensor; hides header-path differences between versions
/// (0.24 keeps headers in `xtensor/`, 0.26 moves them into sub-folders).

#if __has_include(<xtensor/containers/xtensor.hpp>)
#include <xtensor/containers/xadapt.hpp>
#include <xtensor/containers/xarray.hpp>
#include <xtensor/containers/xtensor.hpp>
#include <xtensor/views/xview.hpp>
#else
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
#endif
