#include "wgf/spec_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "wgf/errors.hpp"

namespace wgf {

namespace {
std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}
}  // namespace

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == separator) {
      parts.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(trim(current));
  return parts;
}

double parse_number(const std::string& token, const std::string& context) {
  const std::string t = trim(token);
  if (t.empty()) throw InputError(context + ": empty value where a number is expected");
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(value))
    throw InputError(context + ": '" + t + "' is not a finite number");
  return value;
}

double parse_pi_multiple(const std::string& token, const std::string& context) {
  std::string t = trim(token);
  if (t.size() < 2 || t.compare(t.size() - 2, 2, "pi") != 0) return parse_number(t, context);
  t.erase(t.size() - 2);
  if (!t.empty() && t.back() == '*') t.pop_back();
  const double factor = t.empty() ? 1.0 : parse_number(t, context + " '" + token + "'");
  const double value = factor * 3.14159265358979323846;
  if (!std::isfinite(value)) throw InputError(context + ": '" + token + "' is not a finite number");
  return value;
}

SpecText SpecText::parse(const std::string& text, const std::string& what) {
  SpecText spec;
  spec.what_ = what;
  spec.text_ = trim(text);
  if (spec.text_.empty()) throw InputError(what + " is empty");
  const auto colon = spec.text_.find(':');
  spec.name_ = trim(spec.text_.substr(0, colon));
  if (spec.name_.empty()) throw InputError(what + " '" + text + "': missing name before ':'");
  if (colon == std::string::npos) return spec;
  const std::string body = spec.text_.substr(colon + 1);
  if (trim(body).empty()) throw InputError(what + " '" + text + "': nothing after ':'");
  std::string last_key;
  for (const std::string& token : split(body, ',')) {
    if (token.empty())
      throw InputError(what + " '" + text + "': empty item between commas");
    const auto eq = token.find('=');
    if (eq == std::string::npos) {
      // A bare token continues the previous value (`k=3,1`).
      if (last_key.empty())
        throw InputError(what + " '" + text + "': '" + token + "' is not of the form key=value");
      spec.values_[last_key] += "," + token;
      continue;
    }
    const std::string key = trim(token.substr(0, eq));
    const std::string value = trim(token.substr(eq + 1));
    if (key.empty() || value.empty())
      throw InputError(what + " '" + text + "': '" + token + "' is not of the form key=value");
    if (spec.values_.count(key))
      throw InputError(what + " '" + text + "': key '" + key + "' given twice");
    spec.values_[key] = value;
    last_key = key;
  }
  return spec;
}

double SpecText::number(const std::string& key, double fallback) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  return parse_number(it->second, what_ + " '" + text_ + "', key '" + key + "'");
}

long SpecText::integer(const std::string& key, long fallback) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const double v = number(key, 0.0);
  if (v != std::floor(v) || std::fabs(v) > 1e15)
    throw InputError(what_ + " '" + text_ + "', key '" + key + "': '" + it->second +
                     "' is not an integer");
  return static_cast<long>(v);
}

std::vector<long> SpecText::integers(const std::string& key) const {
  std::vector<long> out;
  const auto it = values_.find(key);
  if (it == values_.end()) return out;
  for (const std::string& token : split(it->second, ',')) {
    const double v = parse_number(token, what_ + " '" + text_ + "', key '" + key + "'");
    if (v != std::floor(v) || std::fabs(v) > 1e15)
      throw InputError(what_ + " '" + text_ + "', key '" + key + "': '" + token +
                       "' is not an integer");
    out.push_back(static_cast<long>(v));
  }
  return out;
}

std::optional<std::string> SpecText::string(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void SpecText::allow_only(const std::vector<std::string>& allowed) const {
  for (const auto& [key, value] : values_) {
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == key;
    if (!ok) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw InputError(what_ + " '" + text_ + "': unknown key '" + key + "' for '" + name_ +
                       "' (allowed: " + (list.empty() ? "none" : list) + ")");
    }
  }
}

}  // namespace wgf
