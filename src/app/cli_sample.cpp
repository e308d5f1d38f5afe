// `wgf sample`: samples of a trained generator (a `wgf train` file) to HDF5, NumPy or PNG.
#include <boost/program_options.hpp>
#include <iostream>

#include "array_files.hpp"
#include "cli.hpp"
#include "cli_common.hpp"
#include "sample_images.hpp"
#include "wgf/netcdf_variables.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/run_header.hpp"
#include "wgf/studies/generator_samples.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

namespace {

struct SampleOptions {
  std::string generator, out;
  long n = 1000, seed = 0, columns = 8, png_size = 512;
};

enum class Format { h5, npy, png };

Format format_of(const std::string& out) {
  const auto dot = out.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : out.substr(dot);
  if (ext == ".h5" || ext == ".hdf5") return Format::h5;
  if (ext == ".npy") return Format::npy;
  if (ext == ".png") return Format::png;
  throw InputError("--out '" + out + "': name an .h5, .npy or .png file (the ending chooses the format)");
}

// The shape of one sample as the data describe it ({28, 28} for images), when it accounts for
// all of G's outputs; else {dx}.
std::vector<long> sample_shape(const GanCheckpoint& c) {
  long size = 1;
  for (long n : c.sample_shape) size *= n;
  if (!c.sample_shape.empty() && size == c.generator.outputs) return c.sample_shape;
  return {c.generator.outputs};
}

GrayImage picture(const GeneratorSamples& s, const std::vector<long>& shape, const SampleOptions& o) {
  if (shape.size() == 2) return tile_images(s.samples, s.rows, shape[0], shape[1], o.columns, 2);
  if (s.sample_dim == 2) return point_density(s.samples, s.rows, o.png_size);
  throw InputError("--out '" + o.out + "': a PNG shows images (the data's sample_shape has two axes) or " +
                   "2-D points; this generator makes " + std::to_string(s.sample_dim) +
                   "-dimensional samples (write .h5 or .npy)");
}

void write_h5(const SampleOptions& o, bool force, const std::string& command_line, const GanCheckpoint& c,
              const GeneratorSamples& s, const std::vector<long>& shape) {
  OutputFile file(o.out, force);
  write_run_header(file.root(), "sample", command_line);
  write_attribute(file.root(), "generator_file", o.generator);
  write_attribute(file.root(), "generator", c.generator.describe());
  write_attribute(file.root(), "data", c.data);
  write_attribute(file.root(), "n", o.n);
  write_attribute(file.root(), "seed", o.seed);
  write_attribute(file.root(), "sample_shape", shape);
  std::vector<hsize_t> dims{static_cast<hsize_t>(s.rows)};
  for (long n : shape) dims.push_back(static_cast<hsize_t>(n));
  std::vector<std::string> sample_dimensions{"sample"};
  for (std::size_t a = 0; a < shape.size(); ++a)
    sample_dimensions.push_back(shape.size() == 1 ? "coordinate" : "axis" + std::to_string(a));
  write_variable(file.root(), "samples", s.samples, dims,
                 {sample_dimensions, "1", "generator samples G(z)"});
  write_variable(file.root(), "latent", s.latent,
                 {static_cast<hsize_t>(s.rows), static_cast<hsize_t>(s.latent_dim)},
                 {{"sample", "latent_coordinate"}, "1", "latent rows z ~ N(0, I) behind the samples"});
  file.finish("completed");
}

}  // namespace

int sample(const Arguments& args, const std::string& command_line) {
  SampleOptions o;
  po::options_description options(
      "wgf sample: samples of a trained generator. Latent rows z ~ N(0, I_dz) from --seed go\n"
      "through G (double precision, the parameters of a `wgf train` file); --out's ending picks\n"
      "the format:\n"
      "  .h5   /samples (n x sample shape) and /latent (n x dz), with the seed and the generator\n"
      "  .npy  the samples alone, shape (n, sample shape), float64 (numpy.load)\n"
      "  .png  images as a grid of tiles (--columns), 2-D points as a density (--png-size)\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("generator", po::value<std::string>(&o.generator)->required(), "(required) a wgf train output file")
    ("n", po::value<long>(&o.n)->default_value(o.n), "samples to draw")
    ("seed", po::value<long>(&o.seed)->default_value(o.seed), "random seed of the latent rows (>= 0)")
    ("out", po::value<std::string>(&o.out)->required(), "(required) S.h5, S.npy or S.png")
    ("columns", po::value<long>(&o.columns)->default_value(o.columns), "PNG of images: tiles per row")
    ("png-size", po::value<long>(&o.png_size)->default_value(o.png_size), "PNG of 2-D points: pixels per side")
    ("force", "overwrite an existing output file");
  // clang-format on
  po::variables_map vm;
  if (parse_options(args, options, vm, kExitCodes)) return 0;
  const bool force = vm.count("force") > 0;
  const Format format = format_of(o.out);
  checked_seed(o.seed);
  if (o.columns < 1 || o.columns > 4096) throw InputError("--columns " + std::to_string(o.columns) + ": must be 1 to 4096");
  if (o.png_size < 8 || o.png_size > 8192) throw InputError("--png-size " + std::to_string(o.png_size) + ": must be 8 to 8192");
  if (o.n < 1) throw InputError("--n " + std::to_string(o.n) + ": must be >= 1");
  OutputFile::check_destination(o.out, force);

  const GanCheckpoint checkpoint = read_gan_checkpoint(o.generator);
  const std::vector<long> shape = sample_shape(checkpoint);
  if (format == Format::png && shape.size() == 2 && o.n > 65536)
    throw InputError("--n " + std::to_string(o.n) + ": a PNG grid of more than 65536 images is refused (write .h5 or .npy)");
  const GeneratorSamples samples = draw_generator_samples(checkpoint, o.n, static_cast<std::uint64_t>(o.seed));
  if (format == Format::png) {
    const GrayImage image = picture(samples, shape, o);
    write_png(o.out, image);
  } else if (format == Format::npy) {
    std::vector<long> npy_shape{samples.rows};
    npy_shape.insert(npy_shape.end(), shape.begin(), shape.end());
    write_npy(o.out, samples.samples, npy_shape);
  } else {
    write_h5(o, force, command_line, checkpoint, samples, shape);
  }
  std::cout << o.n << " samples of " << checkpoint.generator.describe() << " (seed " << o.seed
            << ") written to " << o.out << "\n";
  return 0;
}

}  // namespace wgf::cli
