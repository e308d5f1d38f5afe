// A write that fails half-way (a full disk, a file-size limit) ends every command with exit 1
// and one message naming the file and the system's reason, the file closed and its temporary
// name removed. It used to crash (simulate, train, spectrum: a segfault at HDF5's exit, 139) or
// pass unnoticed (mmd-flow: exit 0, "completed", a file of zeros).
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "cli_sandbox.hpp"

using wgf::testing::Sandbox;

namespace {

// Each writes well over 64 KiB, quickly.
struct Case {
  const char* arguments;
  const char* out;
};
const Case kCases[] = {
    {"simulate --kernel gaussian:sigma=1 --t-end 0.1 --n 64 --dim 2 --write-every 0.02 --out OUT",
     "o.h5"},
    {"spectrum --kernel gaussian --n-xi 100000 --out OUT", "s.h5"},
    {"map --kernel gaussian:sigma={s} --stabilizer gaussian:sigma=0.5 --sweep s=0.5:2:50 "
     "--eps 0:1:200 --out OUT",
     "m.h5"},
    {"train --iters 5 --out OUT", "t.h5"},
    {"mmd-flow --iters 2 --particles 4000 --dim 4 --out OUT", "f.h5"},
};

std::string with_out(std::string arguments, const std::string& out) {
  arguments.replace(arguments.find("OUT"), 3, out);
  return arguments + " --quiet";
}

// A small tmpfs at `folder` for the life of the object, where the system lets us mount one.
class SmallTmpfs {
public:
  explicit SmallTmpfs(const wgf::testing::fs::path& folder) : folder_(folder) {
    wgf::testing::fs::create_directory(folder_);
    const std::string command =
        "mount -t tmpfs -o size=64k tmpfs '" + folder_.string() + "' 2>/dev/null";
    mounted_ = std::system(command.c_str()) == 0;
  }
  ~SmallTmpfs() {
    if (mounted_) std::system(("umount '" + folder_.string() + "'").c_str());
  }
  bool mounted() const { return mounted_; }

private:
  wgf::testing::fs::path folder_;
  bool mounted_ = false;
};

}  // namespace

TEST_CASE("a write beyond the file-size limit exits 1 naming the file, and leaves nothing") {
  // The same failing write(2) as a full disk (EFBIG instead of ENOSPC), without privileges:
  // SIGXFSZ ignored, so the write returns the error instead of killing the process.
  Sandbox box;
  for (const Case& c : kCases) {
    const std::string arguments = with_out(c.arguments, c.out);
    CAPTURE(arguments);
    const auto r = box.run(arguments, "trap '' XFSZ; ulimit -f 32;");
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(std::string("cannot write ") + c.out + ": file too large") !=
          std::string::npos);
    CHECK(box.stray_files() == 0);
  }
}

TEST_CASE("a full disk (a 64 KiB tmpfs) exits 1 saying so, and leaves nothing") {
  Sandbox box;
  const SmallTmpfs disk(box.path("full"));
  if (!disk.mounted()) {
    MESSAGE("skipped: cannot mount a tmpfs here (needs root)");
    return;
  }
  for (const Case& c : kCases) {
    const std::string out = std::string("full/") + c.out;
    const std::string arguments = with_out(c.arguments, out);
    CAPTURE(arguments);
    const auto r = box.run(arguments);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("cannot write " + out + ": no space left on the device") !=
          std::string::npos);
    CHECK(wgf::testing::fs::is_empty(box.path("full")));
  }
}
