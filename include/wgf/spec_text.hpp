#pragma once
// The shared grammar of kernel and field specs: `NAME[:key=value[,key=value…]]`. A bare token
// after a comma continues the previous value, so `mode:k=3,1,amp=1e-3` reads k = "3,1".
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wgf {

class SpecText {
public:
  // `what` names the kind of spec in messages ("kernel spec", "init spec").
  static SpecText parse(const std::string& text, const std::string& what);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

  // Typed access; a missing key yields the fallback, a malformed value throws InputError.
  double number(const std::string& key, double fallback) const;
  long integer(const std::string& key, long fallback) const;
  std::vector<long> integers(const std::string& key) const;
  std::optional<std::string> string(const std::string& key) const;
  bool has(const std::string& key) const { return values_.count(key) != 0; }

  // Throws InputError when a key outside `allowed` was given.
  void allow_only(const std::vector<std::string>& allowed) const;

private:
  std::string what_, text_, name_;
  std::map<std::string, std::string> values_;
};

// Splits on `separator` at the top level (not inside the value of a key) and trims blanks.
std::vector<std::string> split(const std::string& text, char separator);
double parse_number(const std::string& token, const std::string& context);
// A number, or a multiple of π written as the help shows it: "pi", "2pi", "2*pi", "0.5pi".
double parse_pi_multiple(const std::string& token, const std::string& context);

}  // namespace wgf
