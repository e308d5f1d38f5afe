#include "wgf/cli.hpp"
#include "wgf/errors.hpp"
namespace wgf::cli {
int simulate(const Arguments&, const std::string&) { throw InputError("simulate: not yet"); }
}
