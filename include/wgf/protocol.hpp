#pragma once
// A study's rules, fixed before it runs (docs/design.md §7): a versioned text file under
// experiments/protocols/ of `key = value` lines (`#` starts a comment), with `name` and `version`
// among them. A study reads every rule and constant from it — what is predicted, what is
// observed, thresholds, grids, seeds — refuses to run without one, and writes its text and
// SHA-256 into the output, so that a result names the exact rules it was produced under. A rule
// changed after results were seen is a new version (a new file), never an edit.
#include <map>
#include <string>
#include <vector>

#include "wgf/h5_file.hpp"

namespace wgf {

class Protocol {
public:
  // InputError for an unreadable file, a malformed line, a repeated key, or no name/version.
  static Protocol load(const std::string& path);
  static Protocol parse(const std::string& text, const std::string& origin);

  const std::string& text() const { return text_; }
  const std::string& sha256() const { return sha256_; }
  const std::string& origin() const { return origin_; }
  const std::string& name() const { return name_; }
  long version() const { return version_; }
  // "growth-v1"
  std::string label() const { return name_ + "-v" + std::to_string(version_); }

  // Typed access to required rules: a missing or malformed value is an InputError naming the
  // protocol and the key.
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const std::string& string(const std::string& key) const;
  double number(const std::string& key) const;
  long integer(const std::string& key) const;
  std::vector<double> numbers(const std::string& key) const;  // comma-separated
  std::vector<long> integers(const std::string& key) const;
  std::vector<std::string> strings(const std::string& key) const;  // separated by `;`

  // InputError when the file holds a key outside `allowed` (a misspelt rule must not be ignored).
  void allow_only(const std::vector<std::string>& allowed) const;
  // InputError unless this is protocol `name`.
  void require_name(const std::string& name) const;

  // Root attributes protocol (the text), protocol_sha256, protocol_name, protocol_version.
  void write_attributes(hid_t group) const;

private:
  std::string error_prefix() const { return "protocol " + origin_ + ": "; }

  std::string text_, sha256_, origin_, name_;
  long version_ = 0;
  std::map<std::string, std::string> values_;
};

}  // namespace wgf
