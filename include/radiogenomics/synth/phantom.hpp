#pragma once
/// \file phantom.hpp
/// \brief Renders one patient's phantom parameters into a CT volume (HU), a PET volume (Bq/mL) on
/// its own coarser grid, the true and the "manual" tumour masks, and the supraclavicular BAT box.
///
/// \par Grids (`phantom_settings::full()`, the study's scanner, a GE Discovery 690)
/// CT 512 × 512 × 80 voxels of 0.977 × 0.977 × 3.75 mm (500 mm field of view, 3.75 mm slices as
/// in the study; 80 slices = the 300 mm phantom frame, see `phantom_parameters.hpp`). PET 192 × 192
/// × 93 voxels of 3.646 × 3.646 × 3.27 mm (700 mm field of view, the D690's 3.27 mm planes), its
/// origin shifted by a few mm, so the pipeline must resample PET onto CT. `small()` keeps the same
/// physical frame on 128 × 128 × 40 CT (3.9 × 3.9 × 7.5 mm) and 96 × 96 × 47 PET
/// (7.29 × 7.29 × 6.54 mm) grids for fast tests.
///
/// \par Rendering
/// Each CT slice is painted from row spans (body ellipse, subcutaneous fat ring, lungs, bones,
/// trachea, bladder) and per-voxel only inside the tumour's and the fat depots' bounding boxes,
/// then gets i.i.d. Gaussian noise (`ct_noise_hu`, 12 HU). PET is painted as SUV the same way on
/// its grid, blurred by the scanner PSF (Gaussian, FWHM `psf_fwhm_mm` = 6.5 mm), given
/// Poisson-like noise \f$ \sigma = c\sqrt{\mathrm{SUV}} + \sigma_0 \f$ (c = 0.10, σ₀ = 0.02), clamped at 0 and
/// converted to Bq/mL with \f$ C = \mathrm{SUV}\,D\,2^{-\Delta t/T_{1/2}} / W \f$. Slices are
/// rendered in parallel; each slice's noise comes from its own derived seed, so the volumes are
/// identical for any thread count.
///
/// \par Masks (on the CT grid)
/// `tumour_truth` is the true tumour. `tumour_manual` simulates an annotator: the boundary moves
/// outward by \f$ b + 1.5\,g(\mathbf{x}) \f$ mm, with b ~ N(0, 0.75²) mm this annotator's overall
/// bias and g a smooth unit-variance field (8 mm lattice) for local disagreement, so the annotated
/// volume is close to the truth on average. The automatic mask is derived from the rendered PET
/// by `automatic_tumour_mask` (`automatic_mask.hpp`).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/crop.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/synth/detail/gaussian_blur.hpp"
#include "radiogenomics/synth/detail/fast_normal.hpp"
#include "radiogenomics/synth/detail/smooth_field.hpp"
#include "radiogenomics/synth/phantom_parameters.hpp"

namespace radiogenomics {
namespace synth {

/// Grids, resolution and noise of the rendered volumes.
struct phantom_settings {
    std::array<std::size_t, 3> ct_shape{512, 512, 80};
    std::array<double, 3> ct_spacing{500.0 / 512.0, 500.0 / 512.0, 3.75};
    std::array<std::size_t, 3> pet_shape{192, 192, 93};
    std::array<double, 3> pet_spacing{700.0 / 192.0, 700.0 / 192.0, 3.27};
    /// Offset (mm) of the PET grid's centre from the CT grid's centre.
    std::array<double, 3> pet_centre_offset{1.3, -0.9, -1.2};
    double psf_fwhm_mm = 6.5;        ///< PET point-spread function (Gaussian FWHM)
    double pet_noise = 0.10;         ///< c in σ = c √SUV + σ₀
    double pet_noise_floor = 0.02;   ///< σ₀ (SUV)
    double observer_local_mm = 1.5;  ///< amplitude of local annotator disagreement

    /// The study's scanner grids (see the file comment).
    static phantom_settings full() { return {}; }

    /// Coarse grids over the same physical frame, for tests and CI.
    static phantom_settings small()
    {
        phantom_settings s;
        s.ct_shape = {128, 128, 40};
        s.ct_spacing = {500.0 / 128.0, 500.0 / 128.0, 7.5};
        s.pet_shape = {96, 96, 47};
        s.pet_spacing = {700.0 / 96.0, 700.0 / 96.0, 6.54};
        return s;
    }

    /// CT geometry: centred in x and y, z from the frame's base.
    image_geometry<3> ct_geometry() const
    {
        const std::array<double, 3> origin{-0.5 * static_cast<double>(ct_shape[0] - 1) * ct_spacing[0],
                                           -0.5 * static_cast<double>(ct_shape[1] - 1) * ct_spacing[1],
                                           detail::frame_z_base + 0.5 * ct_spacing[2]};
        return image_geometry<3>(ct_shape, ct_spacing, origin);
    }

    /// PET geometry: its own shape and spacing, centre offset by `pet_centre_offset` from the CT's.
    image_geometry<3> pet_geometry() const
    {
        const double ct_centre_z = detail::frame_z_base + 0.5 * ct_spacing[2] +
                                   0.5 * static_cast<double>(ct_shape[2] - 1) * ct_spacing[2];
        const std::array<double, 3> origin{
            pet_centre_offset[0] - 0.5 * static_cast<double>(pet_shape[0] - 1) * pet_spacing[0],
            pet_centre_offset[1] - 0.5 * static_cast<double>(pet_shape[1] - 1) * pet_spacing[1],
            ct_centre_z + pet_centre_offset[2] - 0.5 * static_cast<double>(pet_shape[2] - 1) * pet_spacing[2]};
        return image_geometry<3>(pet_shape, pet_spacing, origin);
    }

    /// Throws `invalid_argument` for empty grids, non-positive spacing or negative noise.
    void validate(const char* where) const
    {
        for (std::size_t d = 0; d < 3; ++d) {
            if (ct_shape[d] == 0 || pet_shape[d] == 0) {
                raise<invalid_argument>(where, "grid shape[", d, "]: got CT ", ct_shape[d], " and PET ", pet_shape[d],
                                        ", expected at least one voxel.");
            }
            if (!(ct_spacing[d] > 0.0) || !(pet_spacing[d] > 0.0) || !std::isfinite(ct_spacing[d]) ||
                !std::isfinite(pet_spacing[d])) {
                raise<invalid_argument>(where, "spacing[", d, "]: got CT ", ct_spacing[d], " and PET ",
                                        pet_spacing[d], ", expected finite values > 0 mm.");
            }
        }
        if (!(psf_fwhm_mm >= 0.0) || !(pet_noise >= 0.0) || !(pet_noise_floor >= 0.0) ||
            !(observer_local_mm >= 0.0)) {
            raise<invalid_argument>(where, "PSF/noise/observer settings: got ", psf_fwhm_mm, ", ", pet_noise, ", ",
                                    pet_noise_floor, ", ", observer_local_mm, ", expected values >= 0.");
        }
    }
};

/// The rendered images of one patient.
struct phantom_volumes {
    image<float, 3> ct;               ///< HU, CT grid
    image<float, 3> pet;              ///< Bq/mL at scan start, PET grid
    mask_image<3> tumour_truth;       ///< CT grid, 1 = tumour
    mask_image<3> tumour_manual;      ///< CT grid, simulated manual annotation
    /// CT-grid index box (inclusive bounds) in which the BAT mask is sought; pass it as
    /// `preprocess::bat_options::index_region` (or `preprocess::region_mask` for a mask).
    preprocess::bounding_box<3> supraclavicular_region;
};

namespace detail {

/// Tissue values of one modality.
struct tissue_values {
    float air, fat, soft, lung, cortex, marrow, bladder;
};

inline tissue_values ct_tissues() { return {-1000.0f, -100.0f, 45.0f, -830.0f, 900.0f, 250.0f, 8.0f}; }
inline tissue_values pet_tissues(float bladder_suv) { return {0.0f, 0.35f, 0.8f, 0.45f, 0.6f, 1.3f, bladder_suv}; }

/// The voxel index range [lo, hi] of the span |x − centre| ≤ half on one axis; empty if lo > hi.
inline void span(double centre, double half, double origin, double spacing, std::size_t n, std::ptrdiff_t& lo,
                 std::ptrdiff_t& hi)
{
    lo = static_cast<std::ptrdiff_t>(std::ceil((centre - half - origin) / spacing));
    hi = static_cast<std::ptrdiff_t>(std::floor((centre + half - origin) / spacing));
    lo = std::max<std::ptrdiff_t>(lo, 0);
    hi = std::min<std::ptrdiff_t>(hi, static_cast<std::ptrdiff_t>(n) - 1);
}

inline void fill_span(float* row, std::ptrdiff_t lo, std::ptrdiff_t hi, float value)
{
    for (std::ptrdiff_t i = lo; i <= hi; ++i) {
        row[i] = value;
    }
}

/// The tumour as a function of position (see `phantom_parameters.hpp`).
class tumour_model {
public:
    struct sample {
        bool inside = false;
        bool manual = false;
        bool necrotic = false;
        double rho = 0.0;      ///< normalised radius in the main ellipsoid
        double texture = 0.0;  ///< f_t
    };

    tumour_model(const phantom_parameters& p, double observer_local_mm) : m_p(p.tumour), m_local(observer_local_mm)
    {
        point3 low{};
        point3 high{};
        for (std::size_t d = 0; d < 3; ++d) {
            low[d] = m_p.centre[d] - m_p.extent_mm;
            high[d] = m_p.centre[d] + m_p.extent_mm;
        }
        m_texture = smooth_field(low, high, 6.0, p.texture_seed);
        m_boundary = smooth_field(low, high, 10.0, p.boundary_seed);
        m_observer = smooth_field(low, high, 8.0, p.observer_seed);
        m_cos = std::cos(m_p.rotation_rad);
        m_sin = std::sin(m_p.rotation_rad);
        const double r = 0.5 * m_p.diameter_mm;
        m_bias = p.observer_bias_mm / r;
        m_local_rel = m_local / r;
        m_low = low;
        m_high = high;
    }

    const point3& low() const { return m_low; }
    const point3& high() const { return m_high; }

    sample at(double x, double y, double z, bool want_manual) const
    {
        sample s;
        const double dx = x - m_p.centre[0];
        const double dy = y - m_p.centre[1];
        const double dz = z - m_p.centre[2];
        const double u = (m_cos * dx + m_sin * dy) / m_p.semi_axes[0];
        const double v = (-m_sin * dx + m_cos * dy) / m_p.semi_axes[1];
        const double w = dz / m_p.semi_axes[2];
        const double rho2 = u * u + v * v + w * w;
        double m2 = rho2;
        for (const auto& lobe : m_p.lobes) {
            const double lx = x - lobe.centre[0];
            const double ly = y - lobe.centre[1];
            const double lz = z - lobe.centre[2];
            m2 = std::min(m2, (lx * lx + ly * ly + lz * lz) / (lobe.radius_mm * lobe.radius_mm));
        }
        // Quick reject far outside every component (the roughened boundary reaches 1 + 4ε at most
        // in practice; the observer shift is added in units of the radius).
        const double reach = 1.0 + 4.0 * m_p.irregularity + std::abs(m_bias) + 4.0 * m_local_rel;
        if (m2 > reach * reach) {
            return s;
        }
        const double m = std::sqrt(m2);
        const double boundary = 1.0 + m_p.irregularity * m_boundary(x, y, z);
        s.inside = m < boundary;
        if (want_manual) {
            s.manual = m < boundary + m_bias + m_local_rel * m_observer(x, y, z);
        }
        if (s.inside) {
            s.texture = m_texture(x, y, z);
            s.rho = std::sqrt(rho2);
            s.necrotic = m_p.necrosis_fraction > 0.0 && s.rho < m_p.necrosis_fraction * (1.0 + 0.2 * s.texture);
        }
        return s;
    }

private:
    tumour_parameters m_p;
    double m_local;
    smooth_field m_texture;
    smooth_field m_boundary;
    smooth_field m_observer;
    double m_cos = 1.0;
    double m_sin = 0.0;
    double m_bias = 0.0;
    double m_local_rel = 0.0;
    point3 m_low{};
    point3 m_high{};
};

/// Brown/white composition of the supraclavicular depots.
class bat_model {
public:
    explicit bat_model(const phantom_parameters& p) : m_p(p.bat)
    {
        m_field = smooth_field(m_p.region_low, m_p.region_high, 8.0, p.bat_seed);
        m_threshold = m_p.activated ? radiogenomics::normal_quantile(1.0 - m_p.fraction) : 1e300;
    }

    const bat_parameters& parameters() const { return m_p; }

    /// Excess of the activation field over its threshold (> 0: brown fat).
    double activation(double x, double y, double z) const { return m_field(x, y, z) - m_threshold; }

private:
    bat_parameters m_p;
    smooth_field m_field;
    double m_threshold = 0.0;
};

enum class modality { ct, pet };

/// Paints slice k of `out` (HU or SUV) and, for CT, the two tumour masks.
inline void paint_slice(const phantom_parameters& p, const tumour_model& tumour, const bat_model& bat,
                        modality mod, std::size_t k, image<float, 3>& out, mask_image<3>* truth,
                        mask_image<3>* manual)
{
    const auto& g = out.geometry();
    const std::size_t nx = g.shape()[0];
    const std::size_t ny = g.shape()[1];
    const double ox = g.origin()[0];
    const double oy = g.origin()[1];
    const double sx = g.spacing()[0];
    const double sy = g.spacing()[1];
    const double z = g.origin()[2] + static_cast<double>(k) * g.spacing()[2];
    const double h = z - frame_z_base;
    const tissue_values tv = mod == modality::ct ? ct_tissues() : pet_tissues(static_cast<float>(p.body.bladder_suv));
    float* slice = out.begin_pointer() + k * nx * ny;
    std::fill(slice, slice + nx * ny, tv.air);
    if (h < -0.5 * g.spacing()[2] || h > frame_height + 0.5 * g.spacing()[2]) {
        return;
    }

    double a = 0.0;
    double b = 0.0;
    body_axes(h, a, b);
    a = std::min(a * p.body.scale, 240.0);
    b = std::min(b * p.body.scale, 170.0);
    const double t = fat_at(h, p.body.fat_thickness_mm);
    const double ai = std::max(a - t, 0.5 * a);
    const double bi = std::max(b - t, 0.5 * b);

    struct circle {
        double cx, cy, r;
        float value;
    };
    const bool shoulders = h > 262.0;
    // Lungs (ellipses tapering at the apex and base).
    const bool chest = h > 205.0 && h < 262.0;
    const double lung_taper = chest ? std::sqrt(std::sin(3.14159265358979 * (h - 205.0) / 57.0)) : 0.0;

    for (std::size_t j = 0; j < ny; ++j) {
        const double y = oy + static_cast<double>(j) * sy;
        float* row = slice + j * nx;
        if (std::abs(y) >= b) {
            continue;
        }
        std::ptrdiff_t lo = 0;
        std::ptrdiff_t hi = 0;
        span(0.0, a * std::sqrt(1.0 - (y / b) * (y / b)), ox, sx, nx, lo, hi);
        fill_span(row, lo, hi, tv.fat);
        if (std::abs(y) < bi) {
            span(0.0, ai * std::sqrt(1.0 - (y / bi) * (y / bi)), ox, sx, nx, lo, hi);
            fill_span(row, lo, hi, tv.soft);
            if (chest) {
                const double la = 0.36 * ai * lung_taper;
                const double lb = 0.62 * bi * lung_taper;
                const double ly = -0.05 * bi;
                if (lb > 0.0 && std::abs(y - ly) < lb) {
                    const double half = la * std::sqrt(1.0 - ((y - ly) / lb) * ((y - ly) / lb));
                    for (const double side : {-1.0, 1.0}) {
                        span(side * 0.48 * ai, half, ox, sx, nx, lo, hi);
                        fill_span(row, lo, hi, tv.lung);
                    }
                }
            }
        }
    }

    // Bones and airway, painted as discs: cortex ring then marrow.
    std::vector<circle> discs;
    const double spine_r = shoulders ? 13.0 : 16.0;
    discs.push_back({0.0, bi - 32.0, spine_r, tv.cortex});
    discs.push_back({0.0, bi - 32.0, 0.72 * spine_r, tv.marrow});
    if (h < 115.0) {
        for (const double side : {-1.0, 1.0}) {
            discs.push_back({side * 105.0, 8.0, 22.0, tv.cortex});
            discs.push_back({side * 105.0, 8.0, 0.75 * 22.0, tv.marrow});
        }
    }
    if (shoulders) {
        for (const double side : {-1.0, 1.0}) {
            discs.push_back({side * (ai - 30.0), 5.0, 20.0, tv.cortex});
            discs.push_back({side * (ai - 30.0), 5.0, 0.75 * 20.0, tv.marrow});
        }
    }
    if (h > 215.0) {
        discs.push_back({0.0, -20.0, 9.0, tv.air});  // trachea
    }
    // Bladder cross-section.
    const ellipsoid& bl = p.body.bladder;
    const double bz = (z - bl.centre[2]) / bl.semi_axes[2];
    if (std::abs(bz) < 1.0) {
        const double f = std::sqrt(1.0 - bz * bz);
        // Elliptical cross-section, painted row by row below.
        for (std::size_t j = 0; j < ny; ++j) {
            const double y = oy + static_cast<double>(j) * sy;
            const double v = (y - bl.centre[1]) / (bl.semi_axes[1] * f);
            if (std::abs(v) >= 1.0) {
                continue;
            }
            std::ptrdiff_t lo = 0;
            std::ptrdiff_t hi = 0;
            span(bl.centre[0], bl.semi_axes[0] * f * std::sqrt(1.0 - v * v), ox, sx, nx, lo, hi);
            fill_span(slice + j * nx, lo, hi, tv.bladder);
        }
    }
    for (const circle& c : discs) {
        for (std::size_t j = 0; j < ny; ++j) {
            const double dy = oy + static_cast<double>(j) * sy - c.cy;
            if (std::abs(dy) >= c.r) {
                continue;
            }
            std::ptrdiff_t lo = 0;
            std::ptrdiff_t hi = 0;
            span(c.cx, std::sqrt(c.r * c.r - dy * dy), ox, sx, nx, lo, hi);
            fill_span(slice + j * nx, lo, hi, c.value);
        }
    }

    // Supraclavicular depots: white fat with brown (activated) regions.
    const bat_parameters& bp = bat.parameters();
    for (const ellipsoid& depot : bp.depots) {
        const double dz = (z - depot.centre[2]) / depot.semi_axes[2];
        if (std::abs(dz) >= 1.0) {
            continue;
        }
        const double f = std::sqrt(1.0 - dz * dz);
        for (std::size_t j = 0; j < ny; ++j) {
            const double y = oy + static_cast<double>(j) * sy;
            const double v = (y - depot.centre[1]) / (depot.semi_axes[1] * f);
            if (std::abs(v) >= 1.0) {
                continue;
            }
            std::ptrdiff_t lo = 0;
            std::ptrdiff_t hi = 0;
            span(depot.centre[0], depot.semi_axes[0] * f * std::sqrt(1.0 - v * v), ox, sx, nx, lo, hi);
            float* row = slice + j * nx;
            for (std::ptrdiff_t i = lo; i <= hi; ++i) {
                const double x = ox + static_cast<double>(i) * sx;
                const double act = bat.activation(x, y, z);
                if (act > 0.0) {
                    row[i] = mod == modality::ct ? static_cast<float>(bp.hu + 5.0 * std::min(act, 2.0))
                                                 : static_cast<float>(bp.suv * (0.8 + 0.2 * std::min(act, 1.0)));
                } else {
                    row[i] = mod == modality::ct ? static_cast<float>(bp.white_hu) : static_cast<float>(bp.white_suv);
                }
            }
        }
    }

    // Tumour.
    if (z >= tumour.low()[2] && z <= tumour.high()[2]) {
        const tumour_parameters& tp = p.tumour;
        std::ptrdiff_t ilo = 0;
        std::ptrdiff_t ihi = 0;
        std::ptrdiff_t jlo = 0;
        std::ptrdiff_t jhi = 0;
        span(tp.centre[0], tp.extent_mm, ox, sx, nx, ilo, ihi);
        span(tp.centre[1], tp.extent_mm, oy, sy, ny, jlo, jhi);
        const bool masks = truth != nullptr;
        std::uint8_t* truth_slice = masks ? truth->begin_pointer() + k * nx * ny : nullptr;
        std::uint8_t* manual_slice = manual != nullptr ? manual->begin_pointer() + k * nx * ny : nullptr;
        for (std::ptrdiff_t j = jlo; j <= jhi; ++j) {
            const double y = oy + static_cast<double>(j) * sy;
            float* row = slice + static_cast<std::size_t>(j) * nx;
            for (std::ptrdiff_t i = ilo; i <= ihi; ++i) {
                const double x = ox + static_cast<double>(i) * sx;
                const auto s = tumour.at(x, y, z, manual_slice != nullptr);
                const std::size_t offset = static_cast<std::size_t>(j) * nx + static_cast<std::size_t>(i);
                if (manual_slice != nullptr && s.manual) {
                    manual_slice[offset] = 1;
                }
                if (!s.inside) {
                    continue;
                }
                if (truth_slice != nullptr) {
                    truth_slice[offset] = 1;
                }
                if (mod == modality::ct) {
                    row[i] = static_cast<float>(s.necrotic ? tp.necrosis_hu + 0.3 * tp.ct_texture_hu * s.texture
                                                           : tp.hu + tp.ct_texture_hu * s.texture);
                } else {
                    const double rho = std::min(1.0, s.rho);
                    const double viable = tp.peak_suv * (0.65 + 0.35 * (1.0 - rho * rho)) *
                                          (1.0 + tp.pet_heterogeneity * s.texture);
                    row[i] = static_cast<float>(s.necrotic ? tp.necrosis_suv : std::max(0.3, viable));
                }
            }
        }
    }
}

}  // namespace detail

namespace detail {

/// Makes `img` an image on `geometry`, reusing its buffer when the shape already matches and
/// otherwise allocating without initialising (every voxel is written by the caller).
template <class TPixel>
void prepare_image(image<TPixel, 3>& img, const image_geometry<3>& geometry)
{
    if (img.shape() == geometry.shape() && img.size() == geometry.size() && img.begin_pointer() != nullptr) {
        img.set_geometry(geometry);
        return;
    }
    using container = typename image<TPixel, 3>::container_type;
    img = image<TPixel, 3>(geometry, container::from_shape(geometry.shape()));
}

}  // namespace detail

/// Renders the CT (HU), PET (Bq/mL), masks and supraclavicular box of one patient into `out`
/// (file comment), reusing `out`'s buffers when their shapes already match — generating many
/// patients into the same `phantom_volumes` avoids allocating (and page-faulting) ~130 MB per
/// full-size patient. Deterministic in `parameters` (which carry the seeds) and `settings`,
/// whatever the thread count.
inline void render_phantom(const phantom_parameters& parameters, const phantom_settings& settings,
                           phantom_volumes& out)
{
    constexpr const char* where = "synth.render_phantom";
    settings.validate(where);
    if (!(parameters.acquisition.patient_weight_kg > 0.0) || !(parameters.acquisition.injected_dose_bq > 0.0) ||
        !(parameters.acquisition.half_life_seconds > 0.0)) {
        raise<invalid_argument>(where, "PET acquisition: got weight ", parameters.acquisition.patient_weight_kg,
                                " kg, dose ", parameters.acquisition.injected_dose_bq, " Bq, half-life ",
                                parameters.acquisition.half_life_seconds, " s, expected positive values.");
    }
    const auto ct_geometry = settings.ct_geometry();
    const auto pet_geometry = settings.pet_geometry();
    detail::prepare_image(out.ct, ct_geometry);
    detail::prepare_image(out.pet, pet_geometry);
    detail::prepare_image(out.tumour_truth, ct_geometry);
    detail::prepare_image(out.tumour_manual, ct_geometry);

    const detail::tumour_model tumour(parameters, settings.observer_local_mm);
    const detail::bat_model bat(parameters);

    // CT: paint and add noise slice by slice.
    const auto ct_slices = static_cast<std::ptrdiff_t>(ct_geometry.shape()[2]);
    const std::size_t ct_plane = ct_geometry.shape()[0] * ct_geometry.shape()[1];
    const auto ct_sigma = static_cast<float>(parameters.ct_noise_hu);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < ct_slices; ++k) {
        const auto ks = static_cast<std::size_t>(k);
        std::fill(out.tumour_truth.begin_pointer() + ks * ct_plane, out.tumour_truth.begin_pointer() + (ks + 1) * ct_plane,
                  std::uint8_t{0});
        std::fill(out.tumour_manual.begin_pointer() + ks * ct_plane,
                  out.tumour_manual.begin_pointer() + (ks + 1) * ct_plane, std::uint8_t{0});
        detail::paint_slice(parameters, tumour, bat, detail::modality::ct, ks, out.ct, &out.tumour_truth,
                            &out.tumour_manual);
        detail::fast_normal noise(derive_seed(parameters.ct_noise_seed, ks));
        float* slice = out.ct.begin_pointer() + ks * ct_plane;
        for (std::size_t i = 0; i < ct_plane; ++i) {
            slice[i] += ct_sigma * noise();
        }
    }

    // PET: SUV, PSF blur, noise, then Bq/mL.
    const auto pet_slices = static_cast<std::ptrdiff_t>(pet_geometry.shape()[2]);
    const std::size_t pet_plane = pet_geometry.shape()[0] * pet_geometry.shape()[1];
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < pet_slices; ++k) {
        detail::paint_slice(parameters, tumour, bat, detail::modality::pet, static_cast<std::size_t>(k), out.pet,
                            nullptr, nullptr);
    }
    detail::gaussian_blur(out.pet, settings.psf_fwhm_mm / (2.0 * std::sqrt(2.0 * std::log(2.0))));
    const double bq_per_suv = 1.0 / preprocess::suv_bw_factor(parameters.acquisition);
    const auto c = static_cast<float>(settings.pet_noise);
    const auto floor_sd = static_cast<float>(settings.pet_noise_floor);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < pet_slices; ++k) {
        const auto ks = static_cast<std::size_t>(k);
        detail::fast_normal noise(derive_seed(parameters.pet_noise_seed, ks));
        float* slice = out.pet.begin_pointer() + ks * pet_plane;
        for (std::size_t i = 0; i < pet_plane; ++i) {
            const float suv = slice[i];
            const float noisy = suv + (c * std::sqrt(std::max(suv, 0.0f)) + floor_sd) * noise();
            slice[i] = static_cast<float>(std::max(noisy, 0.0f) * bq_per_suv);
        }
    }

    // Supraclavicular search box on the CT grid.
    const auto& bp = parameters.bat;
    for (std::size_t d = 0; d < 3; ++d) {
        const double lo = std::ceil((bp.region_low[d] - ct_geometry.origin()[d]) / ct_geometry.spacing()[d]);
        const double hi = std::floor((bp.region_high[d] - ct_geometry.origin()[d]) / ct_geometry.spacing()[d]);
        const double n = static_cast<double>(ct_geometry.shape()[d]);
        const double clo = std::min(std::max(lo, 0.0), n - 1.0);
        const double chi = std::min(std::max(hi, clo), n - 1.0);
        out.supraclavicular_region.lower[d] = static_cast<std::ptrdiff_t>(clo);
        out.supraclavicular_region.upper[d] = static_cast<std::ptrdiff_t>(chi);
    }
}

/// Renders one patient into new images (see the overload that reuses buffers).
inline phantom_volumes render_phantom(const phantom_parameters& parameters, const phantom_settings& settings)
{
    phantom_volumes out;
    render_phantom(parameters, settings, out);
    return out;
}

}  // namespace synth
}  // namespace radiogenomics
