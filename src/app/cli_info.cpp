#include <fftw3.h>
#include <hdf5.h>
#include <omp.h>

#include <boost/version.hpp>
#include <filesystem>
#include <iostream>

#include "wgf/build_info.hpp"
#include "cli.hpp"
#include "cli_common.hpp"
#include "wgf/device/cuda_devices.hpp"
#include "wgf/errors.hpp"

namespace wgf::cli {

int info(const Arguments& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: wgf info\n  prints version, build options, backends, the plot script, "
                 "GPU devices and the FFTW thread count\n";
    return 0;
  }
  if (!args.empty()) throw InputError("info takes no options (got '" + args[0] + "')");
  unsigned h5_major = 0, h5_minor = 0, h5_release = 0;
  H5get_libversion(&h5_major, &h5_minor, &h5_release);
  std::cout << "wgf " << build::version << "\n"
            << "build:        " << build::build_type << ", " << build::compiler << "\n"
            << "fft (cpu):    " << fftw_version << " with OpenMP threads\n"
            << "fftw threads: " << omp_get_max_threads()
            << " (OMP_NUM_THREADS or --threads sets it)\n"
            << "hdf5:         " << h5_major << "." << h5_minor << "." << h5_release << "\n"
            << "boost:        " << BOOST_VERSION / 100000 << "." << BOOST_VERSION / 100 % 1000
            << "\n";
  const std::filesystem::path plot = plot_script();
  std::cout << "plot.py:      " << plot.string()
            << (std::filesystem::exists(plot) ? "" : " (not found: wgf validate draws no figures)")
            << "\n";
  const CudaDevices cuda = query_cuda_devices();
  std::cout << "cuda backend: "
            << (cuda.compiled ? std::string("compiled (sm_") + build::cuda_architectures + ")"
                              : std::string("not compiled"))
            << "\n";
  if (cuda.devices.empty()) {
    std::cout << "gpu devices:  none (" << cuda.note << ")\n";
  } else {
    for (const auto& d : cuda.devices) std::cout << "gpu device:   " << d << "\n";
  }
  return 0;
}

}  // namespace wgf::cli
