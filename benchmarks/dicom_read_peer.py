#!/usr/bin/python3
"""DICOM decode peer for benchmarks/bench_io.cpp: writes a CT series (default 200 slices of 512 x 512 int16,
RescaleIntercept -1024, files in shuffled order) with pydicom into a temporary folder, times pydicom + NumPy
reading it as a volume (headers, sort by position along the slice normal, stack, rescale to int32) and then runs
bench_io on the same folder (RG_BENCH_DICOM_DIR), so both readers decode the same files, warm in the page cache,
in the same run. Debian 12: python3-pydicom 2.3.1, python3-numpy. One core: the reading is sequential in both.

    /usr/bin/python3 benchmarks/dicom_read_peer.py --bench build/release/benchmarks/bench_io [--slices 200]
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def write_series(folder, slices, size):
    rng = np.random.default_rng(12)
    series = generate_uid(entropy_srcs=["bench series"])
    y, x = np.mgrid[0:size, 0:size]
    body = ((x - size / 2) ** 2 + (y - size / 2) ** 2 < (0.42 * size) ** 2)
    order = rng.permutation(slices)
    for n, k in enumerate(order):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=["bench", str(k)])
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.SOPClassUID = meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "CT"
        ds.StudyInstanceUID = generate_uid(entropy_srcs=["bench study"])
        ds.SeriesInstanceUID = series
        ds.FrameOfReferenceUID = generate_uid(entropy_srcs=["bench frame"])
        ds.InstanceNumber = int(k) + 1
        ds.ImagePositionPatient = [-179.65, -179.65, -300.0 + 1.25 * float(k)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.703125, 0.703125]
        ds.SliceThickness = 1.25
        ds.Rows = ds.Columns = size
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        hu = np.where(body, 40 + 30 * np.sin(x / 17.0 + k / 9.0), -1000) + rng.normal(0, 12, (size, size))
        ds.PixelData = (np.round(hu) + 1024).astype("<i2").tobytes()
        pydicom.dcmwrite(os.path.join(folder, "IM%05d.dcm" % n), ds, write_like_original=False)


def read_series(folder):
    """pydicom + NumPy: every file, sorted by ImagePositionPatient . normal, stacked and rescaled to int32."""
    datasets = [pydicom.dcmread(os.path.join(folder, name)) for name in sorted(os.listdir(folder))]
    o = np.array(datasets[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(o[:3], o[3:])
    datasets.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, dtype=float), normal)))
    volume = np.empty((len(datasets), datasets[0].Rows, datasets[0].Columns), dtype=np.int32)
    for k, d in enumerate(datasets):
        volume[k] = d.pixel_array.astype(np.int32) * int(d.RescaleSlope) + int(d.RescaleIntercept)
    return volume


def scan_headers(folder):
    return [pydicom.dcmread(os.path.join(folder, name), stop_before_pixels=True) for name in sorted(os.listdir(folder))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slices", type=int, default=200)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bench", help="bench_io binary to run on the same folder afterwards")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="rg_bench_dicom_")
    try:
        write_series(folder, args.slices, args.size)
        read_series(folder)  # warm the page cache, as the C++ benchmark's first iteration does
        for name, action in (("scan_headers", scan_headers), ("read_series_int32", read_series)):
            wall, cpu = [], []
            for _ in range(args.repeats):
                start, start_cpu = time.perf_counter(), time.process_time()
                action(folder)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            print("pydicom %-18s %d slices of %dx%d: wall median %.0f ms, CPU median %.0f ms (%d runs; CPU %.0f ms "
                  "per 100 slices)" % (name, args.slices, args.size, args.size, 1e3 * float(np.median(wall)),
                                      1e3 * float(np.median(cpu)), args.repeats,
                                      1e5 * float(np.median(cpu)) / args.slices), flush=True)
        if args.bench:
            subprocess.run([args.bench], env=dict(os.environ, RG_BENCH_DICOM_DIR=folder), check=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
