// wgf: Wasserstein-gradient-flow laboratory for the stability of GAN training.
#include <algorithm>
#include <exception>
#include <cctype>
#include <cstring>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "cli.hpp"
#include "wgf/build_info.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/run_control.hpp"

namespace {

const char* kUsage =
    "usage: wgf <command> [options]   (wgf <command> --help or wgf help <command>: its options)\n"
    "       wgf --version\n"
    "commands:\n"
    "  simulate   integrate the Wasserstein gradient flow of p and q on a periodic grid\n"
    "  spectrum   growth rates lambda(xi), unstable bands and critical eps of one setting\n"
    "  map        stability map: max growth over (parameter, eps) and eps*(parameter)\n"
    "  train      train an MLP GAN with a particle-based distance loss; metrics to HDF5\n"
    "  validate   theory vs measurement (particle discriminator vs spectral rates)\n"
    "  growth     growth rates of D's feature density in a real network, measured and predicted\n"
    "  sample     samples of a trained generator to HDF5, NumPy (.npy) or PNG\n"
    "  mmd-flow   particle MMD flow with and without noise injection (Arbel et al. 2019)\n"
    "  info       version, build options, backends, GPU devices, FFTW threads\n";

const std::vector<std::string> kCommands = {"simulate", "spectrum", "map",      "train",
                                            "validate", "mmd-flow", "growth", "sample", "info"};

}  // namespace

// A word as a POSIX shell reads it back: as is when it holds only characters no shell treats
// specially, else in single quotes (a quote inside as '\'').
std::string shell_quoted(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
    return std::isalnum(c) || std::strchr("_-.,/:=+@%^", c) != nullptr;
  });
  if (plain) return word;
  std::string out(1, '\'');
  for (char c : word) {
    if (c == '\'') out.append("'\\''");
    else out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

// The command's own exit status (its exceptions go to main's handlers).
int run_command(const std::string& command, const std::vector<std::string>& rest,
                const std::string& command_line) {
  if (command == "info") return wgf::cli::info(rest);
  if (command == "simulate") return wgf::cli::simulate(rest, command_line);
  if (command == "spectrum") return wgf::cli::spectrum(rest, command_line);
  if (command == "map") return wgf::cli::map(rest, command_line);
  if (command == "validate") return wgf::cli::validate(rest, command_line);
  if (command == "train") return wgf::cli::train(rest, command_line);
  if (command == "mmd-flow") return wgf::cli::mmd_flow(rest, command_line);
  if (command == "growth") return wgf::cli::growth(rest, command_line);
  if (command == "sample") return wgf::cli::sample(rest, command_line);
  std::cerr << "wgf: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

int main(int argc, char** argv) {
  wgf::keep_hdf5_out_of_exit();
  std::vector<std::string> args(argv + 1, argv + argc);
  // Stored in every output file (`command`): shell-quoted, so that it reruns as pasted.
  std::string command_line = "wgf";
  for (const auto& a : args) {
    command_line.push_back(' ');
    command_line.append(shell_quoted(a));
  }
  if (args.size() == 1 && args[0] == "--version") {
    std::cout << "wgf " << wgf::build::version << "\n";
    return 0;
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      (args[0] == "help" && args.size() == 1)) {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  // `wgf help COMMAND` is `wgf COMMAND --help`.
  const bool help = args[0] == "help";
  if (help && (args.size() > 2 ||
               std::find(kCommands.begin(), kCommands.end(), args[1]) == kCommands.end())) {
    std::cerr << "wgf help: "
              << (args.size() > 2 ? std::string("name one command")
                                  : "unknown command '" + args[1] + "'")
              << "\n"
              << kUsage;
    return 2;
  }
  const std::string command = help ? args[1] : args[0];
  const std::vector<std::string> rest = help ? std::vector<std::string>{"--help"}
                                             : std::vector<std::string>(args.begin() + 1, args.end());
  try {
    const int status = run_command(command, rest, command_line);
    // A signal during the run's loop: the command has finished its file, marked "interrupted";
    // the shell convention tells a script (and a loop over runs) that it was stopped.
    if (status == 0 && wgf::interrupted()) return 128 + wgf::interrupt_signal();
    return status;
  } catch (const wgf::Interrupted& e) {
    std::cerr << "wgf " << command << ": " << e.what() << "\n";
    return 128 + e.signal();
  } catch (const wgf::InputError& e) {
    std::cerr << "wgf " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const boost::program_options::error& e) {
    std::cerr << "wgf " << command << ": " << e.what() << " (see wgf " << command << " --help)\n";
    return 2;
  } catch (const std::bad_alloc&) {
    // A size the checks before allocation could not foresee (they refuse what is known).
    std::cerr << "wgf " << command << ": error: out of memory (the run asked for more memory than "
              << "the machine could give; no output file was written)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "wgf " << command << ": error: " << e.what() << "\n";
    return 1;
  }
}
