#include "wgf/protocol.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "wgf/errors.hpp"
#include "wgf/input_file.hpp"
#include "wgf/sha256.hpp"
#include "wgf/spec_text.hpp"

namespace wgf {

namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_trimmed(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(trim(part));
  return parts;
}

// Whole and within ±10^15 (as spec integers, spec_text.cpp): a cast to long is defined for it
// and it is exact in a double; 1e300 was cast to long unchecked (undefined behaviour).
bool is_integer(double value) { return value == std::floor(value) && std::fabs(value) <= 1e15; }

}  // namespace

Protocol Protocol::load(const std::string& path) {
  check_input_file(path, "--protocol " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("--protocol " + path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

Protocol Protocol::parse(const std::string& text, const std::string& origin) {
  Protocol p;
  p.text_ = text;
  p.sha256_ = sha256_hex(text);
  p.origin_ = origin;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string content = trim(line.substr(0, line.find('#')));
    if (content.empty()) continue;
    const auto equals = content.find('=');
    const std::string where = p.error_prefix() + "line " + std::to_string(number) + ": ";
    if (equals == std::string::npos) throw InputError(where + "expected `key = value`");
    const std::string key = trim(content.substr(0, equals));
    const std::string value = trim(content.substr(equals + 1));
    if (key.empty() || value.empty()) throw InputError(where + "expected `key = value`");
    if (!p.values_.emplace(key, value).second)
      throw InputError(where + "key '" + key + "' given twice");
  }
  p.name_ = p.string("name");
  p.version_ = p.integer("version");
  if (p.version_ < 1) throw InputError(p.error_prefix() + "version must be an integer >= 1");
  return p;
}

const std::string& Protocol::string(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) throw InputError(error_prefix() + "rule '" + key + "' is missing");
  return it->second;
}

double Protocol::number(const std::string& key) const {
  return parse_number(string(key), error_prefix() + key);
}

long Protocol::integer(const std::string& key) const {
  const double value = number(key);
  if (!is_integer(value))
    throw InputError(error_prefix() + key + " = " + string(key) +
                     ": must be an integer (at most 10^15 in magnitude)");
  return static_cast<long>(value);
}

std::vector<double> Protocol::numbers(const std::string& key) const {
  std::vector<double> values;
  for (const std::string& part : split_trimmed(string(key), ','))
    values.push_back(parse_number(part, error_prefix() + key));
  return values;
}

std::vector<long> Protocol::integers(const std::string& key) const {
  std::vector<long> values;
  for (double value : numbers(key)) {
    if (!is_integer(value))
      throw InputError(error_prefix() + key + " = " + string(key) +
                       ": must be integers (at most 10^15 in magnitude)");
    values.push_back(static_cast<long>(value));
  }
  return values;
}

std::vector<std::string> Protocol::strings(const std::string& key) const {
  return split_trimmed(string(key), ';');
}

void Protocol::allow_only(const std::vector<std::string>& allowed) const {
  for (const auto& [key, value] : values_) {
    if (key == "name" || key == "version" || key == "description") continue;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw InputError(error_prefix() + "unknown rule '" + key + "'");
  }
}

void Protocol::require_name(const std::string& name) const {
  if (name_ != name)
    throw InputError(error_prefix() + "is a '" + name_ + "' protocol; this study needs a '" +
                     name + "' protocol");
}

void Protocol::write_attributes(hid_t group) const {
  write_attribute(group, "protocol", text_);
  write_attribute(group, "protocol_sha256", sha256_);
  write_attribute(group, "protocol_name", name_);
  write_attribute(group, "protocol_version", version_);
}

}  // namespace wgf
