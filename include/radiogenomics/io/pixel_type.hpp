#pragma once
/// \file pixel_type.hpp
/// \brief The voxel type a file stores (NIfTI, NRRD, DICOM), read from its header before the voxels, e.g.
/// to pick the `TPixel` of a reader the way SimpleITK picks its pixel type. Dependency-free.

namespace radiogenomics::io {

/// Voxel type stored in a file (`other` for complex/RGB/block data and the like).
enum class pixel_type { uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64, other };

}  // namespace radiogenomics::io
