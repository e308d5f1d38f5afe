// Text attributes: written variable-length UTF-8 (netCDF-4's form), and read back in both that
// form and the fixed-length, NUL-padded form that earlier versions wrote, so that their files
// still serve as --init, --checkpoint and --generator inputs. The fixed-length attributes are
// made here with HDF5's own calls, as the earlier writer did, not with the library.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/netcdf_variables.hpp"

namespace {

using wgf::H5Id;

void write_fixed_length(hid_t object, const char* name, const std::string& value, std::size_t size) {
  H5Id type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), size);
  H5Id space(H5Screate(H5S_SCALAR));
  H5Id attribute(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
  std::string padded = value;
  padded.resize(size, '\0');
  H5Awrite(attribute.get(), type.get(), padded.data());
}

}  // namespace

TEST_CASE("text attributes: variable-length UTF-8 on write; both forms on read") {
  wgf::testing::Sandbox box;
  const auto path = box.path("text.h5");
  {
    wgf::quiet_hdf5_errors();
    H5Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    wgf::write_attribute(file.get(), "new", std::string("gaussian:sigma=0.5 \xce\xb5"));
    wgf::write_attribute(file.get(), "empty", std::string());
    wgf::write_attribute(file.get(), "list", std::vector<std::string>{"t", "x0", ""});
    write_fixed_length(file.get(), "old", "completed", 9);        // exactly the text's length
    write_fixed_length(file.get(), "old_padded", "ring8", 16);    // NUL-padded
    wgf::write_attribute(file.get(), "number", 3.0);
  }
  H5Id file = wgf::open_for_reading(path.string(), "test");
  // The stored form, read with HDF5's own calls (the sandbox's reader insists on it).
  CHECK(wgf::testing::read_text_attribute(file.get(), "new") == "gaussian:sigma=0.5 \xce\xb5");
  CHECK(wgf::testing::read_text_attribute(file.get(), "empty") == "");
  CHECK(wgf::testing::read_text_attribute(file.get(), "old").front() == '<');  // not vlen: flagged
  // The library's reader, both forms.
  CHECK(wgf::read_string_attribute(file.get(), "new") == "gaussian:sigma=0.5 \xce\xb5");
  CHECK(wgf::read_string_attribute(file.get(), "empty") == "");
  CHECK(wgf::read_string_attribute(file.get(), "old") == "completed");
  CHECK(wgf::read_string_attribute(file.get(), "old_padded") == "ring8");
  CHECK(wgf::read_string_attribute_list(file.get(), "list") ==
        std::vector<std::string>{"t", "x0", ""});
  CHECK_FALSE(wgf::read_string_attribute(file.get(), "number").has_value());
  CHECK_FALSE(wgf::read_string_attribute(file.get(), "absent").has_value());
  CHECK_FALSE(wgf::read_string_attribute(file.get(), "list").has_value());  // three values, not one
}

TEST_CASE("dimension scales: a coordinate whose length differs from its variable's axis is a writer's bug") {
  wgf::testing::Sandbox box;
  const auto path = box.path("dims.h5");
  wgf::quiet_hdf5_errors();
  H5Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  wgf::write_variable(file.get(), "x", std::vector<double>{0, 1, 2}, {3}, {{"x"}, "1", "x"});
  wgf::write_variable(file.get(), "y", std::vector<double>{5, 6}, {2}, {{"x"}, "1", "y over x"});
  CHECK_THROWS_AS(wgf::attach_dimension_scales(file.get()), std::logic_error);
}
