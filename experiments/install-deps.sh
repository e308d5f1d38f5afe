#!/usr/bin/env bash
# Install everything wgf needs to build, test and plot, from Debian 12 (bookworm) packages.
# Runs as root, or through sudo when not root. The CUDA toolkit is optional and not installed
# here: with nvcc on PATH the build adds the CUDA backends, without it the build is CPU-only.
set -euo pipefail

packages=(
  build-essential cmake pkg-config                          # compiler and build
  libfftw3-dev libeigen3-dev libhdf5-dev                    # FFTs, linear algebra, output files
  libboost-program-options-dev doctest-dev                  # command line, tests
  python3-matplotlib python3-h5py python3-numpy hdf5-tools  # figures (experiments/plot.py), h5ls
  zlib1g-dev dataset-fashion-mnist                          # wgf train --data fashion-mnist (gzipped idx)
  clang libclang-rt-14-dev libomp-dev                       # fuzzing (tests/fuzz): clang, libFuzzer + sanitizer runtimes, OpenMP for clang
  python3-paraview                                          # tests/xdmf: ParaView's Xdmf3 reader opens simulate's .xdmf
  python3-xarray python3-h5netcdf python3-netcdf4 netcdf-bin # tests/netcdf: every output read as netCDF-4
)

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo > /dev/null; then
    echo "install-deps: run as root, or install sudo" >&2
    exit 1
  fi
  as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${packages[@]}"
