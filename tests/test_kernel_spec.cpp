// The kernel spec parser (docs/design.md §3) and the real-space side of the catalogue (docs/design.md §1):
// valid specs round-trip through Kernel::spec(), bad specs throw InputError naming what is wrong,
// e(r) follows the formulas of §1 and de/dr is the derivative of e.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "wgf/errors.hpp"
#include "wgf/kernel.hpp"

namespace {

const std::vector<double> kRadii = {0.05, 0.3, 0.7, 1.0, 1.3, 2.9, 7.5};

// The message of the InputError that `action` throws; fails the test when it throws nothing.
std::string input_error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const wgf::InputError& error) {
    return error.what();
  }
  FAIL("expected wgf::InputError");
  return "";
}

std::string parse_error(const std::string& spec) {
  return input_error_message([&] { (void)wgf::parse_kernel(spec); });
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Two kernels are the same when their values and transforms agree bit for bit.
void check_same_kernel(const wgf::Kernel& a, const wgf::Kernel& b, bool has_values = true) {
  if (has_values)
    for (const double r : kRadii) CHECK(a.value(r) == b.value(r));
  for (int dim = 1; dim <= 3; ++dim) {
    bool dimension_ok = true;
    try {
      a.check_dimension(dim);
    } catch (const wgf::InputError&) {
      dimension_ok = false;
    }
    if (!dimension_ok) continue;
    for (const double xi : {0.3, 1.0, 4.0}) CHECK(a.transform(xi, dim) == b.transform(xi, dim));
  }
}

}  // namespace

TEST_CASE("valid kernel specs parse and round-trip through spec()") {
  const char* specs[] = {
      "gaussian",
      "gaussian:sigma=2",
      "gaussian:sigma=0.1",
      " gaussian : sigma = 2 ",
      "rq",
      "rq:alpha=2,ell=1",
      "rq:ell=0.5,alpha=3.5",
      "imq",
      "imq:c=3",
      "laplace",
      "laplace:ell=2",
      "energy",
      "energy:beta=1.5",
      "riesz:alpha=1",
      "riesz:alpha=0.5",
      "0.5*laplace:ell=2",
      "0.5 * laplace:ell=2",
      "1*gaussian",
      "-0.1*gaussian:sigma=3",
      "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16",
      "0.5*gaussian:sigma=1+laplace:ell=2",
      "1e+0*gaussian:sigma=2e+0",
      "2.5e-1*gaussian:sigma=1+1E+1*laplace:ell=3",
      "3e+0*gaussian:sigma=1e+1+2*laplace",
      "gaussian:sigma=1+-0.25*rq:alpha=2,ell=0.5+energy:beta=0.5",
  };
  for (const char* spec : specs) {
    INFO("spec: ", std::string(spec));
    const wgf::Kernel kernel = wgf::parse_kernel(spec);
    REQUIRE_FALSE(kernel.empty());
    const std::string canonical = kernel.spec();
    INFO("canonical: ", canonical);
    const wgf::Kernel again = wgf::parse_kernel(canonical);
    CHECK(again.spec() == canonical);
    check_same_kernel(kernel, again);
  }

  // The elastic default has no e(r) until d is known, but its spec and transform round-trip.
  const wgf::Kernel elastic = wgf::parse_kernel("riesz");
  CHECK(elastic.spec() == "riesz");
  check_same_kernel(elastic, wgf::parse_kernel(elastic.spec()), false);

  // Canonical forms: defaults spelled out, unit weights dropped, exponents resolved.
  CHECK(wgf::parse_kernel("gaussian").spec() == "gaussian:sigma=1");
  CHECK(wgf::parse_kernel("rq").spec() == "rq:alpha=1,ell=1");
  CHECK(wgf::parse_kernel("imq").spec() == "imq:c=1");
  CHECK(wgf::parse_kernel("laplace").spec() == "laplace:ell=1");
  CHECK(wgf::parse_kernel("energy").spec() == "energy:beta=1");
  CHECK(wgf::parse_kernel("1*gaussian").spec() == "gaussian:sigma=1");
  CHECK(wgf::parse_kernel("1e+0*gaussian:sigma=2e+0").spec() == "gaussian:sigma=2");
  CHECK(wgf::parse_kernel("0.5*laplace:ell=2").spec() == "0.5*laplace:ell=2");
  CHECK(wgf::parse_kernel("3e+0*gaussian:sigma=1e+1+2*laplace").terms().size() == 2);

  // Kernels built in code (e − εs) print specs that parse back, extreme weights included: the
  // exponent's '+' of 1e+20 must not be read as a term separator.
  const wgf::Kernel e = wgf::parse_kernel("gaussian:sigma=1");
  const wgf::Kernel s = wgf::parse_kernel("laplace:ell=2");
  for (const double eps : {0.3, 1.0 / 3.0, 1e20, 1e-20}) {
    const wgf::Kernel stabilised = e.plus(s.scaled(-eps));
    INFO("canonical: ", stabilised.spec());
    check_same_kernel(stabilised, wgf::parse_kernel(stabilised.spec()));
  }
}

TEST_CASE("sums and factors of kernel specs are the weighted sums of their terms") {
  auto gaussian = [](double sigma, double r) { return std::exp(-r * r / (2 * sigma * sigma)); };
  auto laplace = [](double ell, double r) { return std::exp(-r / ell); };
  const wgf::Kernel unit_factor = wgf::parse_kernel("1e+0*gaussian:sigma=2e+0");
  const wgf::Kernel mixed = wgf::parse_kernel("2.5e-1*gaussian:sigma=1+1E+1*laplace:ell=3");
  const wgf::Kernel mixture = wgf::parse_kernel(
      "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16");
  const wgf::Kernel exponent_then_term = wgf::parse_kernel("3e+0*gaussian:sigma=1e+1+2*laplace");
  for (const double r : kRadii) {
    INFO("r=", r);
    // Sums of a few doubles: equal up to the rounding of the additions.
    CHECK(unit_factor.value(r) == doctest::Approx(gaussian(2, r)).epsilon(1e-15));
    CHECK(mixed.value(r) ==
          doctest::Approx(0.25 * gaussian(1, r) + 10 * laplace(3, r)).epsilon(1e-15));
    double sum = 0;
    for (const double sigma : {1, 2, 4, 8, 16}) sum += gaussian(sigma, r);
    CHECK(mixture.value(r) == doctest::Approx(sum).epsilon(1e-15));
    CHECK(exponent_then_term.value(r) ==
          doctest::Approx(3 * gaussian(10, r) + 2 * laplace(1, r)).epsilon(1e-15));
  }
  const wgf::Kernel g = wgf::parse_kernel("gaussian:sigma=1.5");
  const wgf::Kernel l = wgf::parse_kernel("laplace:ell=0.5");
  const wgf::Kernel combined = wgf::parse_kernel("0.5*gaussian:sigma=1.5+-2*laplace:ell=0.5");
  for (int dim = 1; dim <= 3; ++dim)
    for (const double xi : {0.0, 0.7, 3.0})
      CHECK(combined.transform(xi, dim) ==
            doctest::Approx(0.5 * g.transform(xi, dim) - 2 * l.transform(xi, dim))
                .epsilon(1e-15));
}

TEST_CASE("bad kernel specs throw InputError naming the offending part") {
  SUBCASE("unknown kernel name lists the known kernels") {
    struct Case {
      const char* spec;
      const char* name;
    };
    for (const Case c : {Case{"gauss:sigma=1", "gauss"}, Case{"gauss", "gauss"},
                         Case{"laplace:ell=1+cauchy:c=2", "cauchy"}}) {
      const std::string message = parse_error(c.spec);
      INFO("spec: ", std::string(c.spec), " message: ", message);
      CHECK(contains(message, "unknown kernel '" + std::string(c.name) + "'"));
      CHECK(contains(message, "known kernels"));
      for (const char* known : {"gaussian", "rq", "imq", "laplace", "energy", "riesz"})
        CHECK(contains(message, known));
    }
  }
  SUBCASE("unknown key names the key and the allowed ones") {
    std::string message = parse_error("gaussian:ell=1");
    CHECK(contains(message, "unknown key 'ell'"));
    CHECK(contains(message, "allowed: sigma"));
    message = parse_error("rq:alpha=2,sigma=1");
    CHECK(contains(message, "unknown key 'sigma'"));
    CHECK(contains(message, "alpha, ell"));
    message = parse_error("energy:alpha=1");
    CHECK(contains(message, "unknown key 'alpha'"));
    CHECK(contains(message, "beta"));
  }
  SUBCASE("missing value") {
    struct Case {
      const char* spec;
      const char* item;
    };
    for (const Case c : {Case{"gaussian:sigma=", "'sigma='"}, Case{"laplace:ell", "'ell'"},
                         Case{"rq:alpha=2,ell=", "'ell='"}}) {
      const std::string message = parse_error(c.spec);
      INFO("spec: ", std::string(c.spec), " message: ", message);
      CHECK(contains(message, std::string(c.item) + " is not of the form key=value"));
    }
    CHECK(contains(parse_error("gaussian:"), "nothing after ':'"));
    CHECK(contains(parse_error("gaussian:sigma=1,,"), "empty item"));
    CHECK(contains(parse_error(":sigma=1"), "missing name"));
    CHECK(contains(parse_error("gaussian:sigma=1,sigma=2"), "'sigma' given twice"));
  }
  SUBCASE("non-numeric value names the key and the value") {
    for (const std::string value : {"abc", "1x", "nan", "inf", "1e999", "1,2"}) {
      const std::string message = parse_error("gaussian:sigma=" + value);
      INFO("value: ", value, " message: ", message);
      CHECK(contains(message, "key 'sigma'"));
      CHECK(contains(message, "'" + value + "' is not a finite number"));
    }
    const std::string factor = parse_error("abc*gaussian");
    CHECK(contains(factor, "factor"));
    CHECK(contains(factor, "'abc'"));
    CHECK(contains(parse_error("*gaussian"), "empty value"));
    CHECK(contains(parse_error("0*gaussian"), "factor 0"));
  }
  SUBCASE("non-positive scales") {
    for (const std::string spec : {"gaussian:sigma=0", "gaussian:sigma=-1", "laplace:ell=0",
                                   "imq:c=-2", "rq:alpha=0", "rq:ell=-1", "riesz:alpha=0",
                                   "riesz:alpha=-0.5"}) {
      const std::string message = parse_error(spec);
      INFO("spec: ", spec, " message: ", message);
      const std::string key = spec.substr(spec.find(':') + 1, spec.find('=') - spec.find(':') - 1);
      CHECK(contains(message, key + " must be > 0"));
      CHECK(contains(message, "(got " + spec.substr(spec.find('=') + 1) + ")"));
    }
  }
  SUBCASE("energy beta outside (0, 2)") {
    for (const std::string beta : {"0", "2", "2.5", "-1"}) {
      const std::string message = parse_error("energy:beta=" + beta);
      INFO("beta: ", beta, " message: ", message);
      CHECK(contains(message, "0 < beta < 2"));
      CHECK(contains(message, "(got " + beta + ")"));
    }
  }
  SUBCASE("riesz alpha >= d is refused by check_dimension") {
    struct Case {
      const char* spec;
      int dim;
    };
    for (const Case c : {Case{"riesz:alpha=1", 1}, Case{"riesz:alpha=2", 2},
                         Case{"riesz:alpha=2.5", 2}, Case{"riesz:alpha=3", 3},
                         Case{"gaussian+riesz:alpha=1.5", 1}}) {
      const wgf::Kernel kernel = wgf::parse_kernel(c.spec);  // d is not known while parsing
      const std::string message = input_error_message([&] { kernel.check_dimension(c.dim); });
      INFO("spec: ", std::string(c.spec), " d=", c.dim, " message: ", message);
      CHECK(contains(message, "riesz"));
      CHECK(contains(message, "0 < alpha < d = " + std::to_string(c.dim)));
    }
    CHECK_NOTHROW(wgf::parse_kernel("riesz:alpha=2").check_dimension(3));
    CHECK_NOTHROW(wgf::parse_kernel("riesz:alpha=0.9").check_dimension(1));
  }
  SUBCASE("riesz without alpha needs d >= 2") {
    const wgf::Kernel elastic = wgf::parse_kernel("riesz");
    for (const std::string& message :
         {input_error_message([&] { elastic.check_dimension(1); }),
          input_error_message([&] { (void)elastic.transform(1.0, 1); })}) {
      INFO("message: ", message);
      CHECK(contains(message, "riesz"));
      CHECK(contains(message, "d >= 2"));
      CHECK(contains(message, "alpha"));
    }
    CHECK_NOTHROW(elastic.check_dimension(2));
    CHECK_NOTHROW(elastic.check_dimension(3));
    // e(r) needs α, which is only resolved with d in transforms.
    CHECK(contains(input_error_message([&] { (void)elastic.value(1.0); }), "alpha"));
  }
  SUBCASE("empty term") {
    for (const std::string spec : {"gaussian+", "+gaussian", "gaussian++laplace", "gaussian+ ",
                                   ""}) {
      const std::string message = parse_error(spec);
      INFO("spec: '", spec, "' message: ", message);
      CHECK(contains(message, "empty term"));
    }
  }
  SUBCASE("a table kernel names its missing file (tables: test_tabulated_kernel.cpp)") {
    const std::string message = parse_error("table:file=no-such-kernel-table.csv");
    CHECK(contains(message, "no-such-kernel-table.csv"));
    CHECK(contains(message, "no such file"));
  }
  SUBCASE("every message says it is about a kernel spec") {
    for (const std::string spec : {"gauss", "gaussian:ell=1", "gaussian:sigma=", "gaussian:sigma=x",
                                   "gaussian:sigma=0", "energy:beta=3", "gaussian+", "table",
                                   "x*gaussian"})
      CHECK(contains(parse_error(spec), "kernel spec"));
  }
}

TEST_CASE("kernel values follow the formulas of docs/design.md section 1") {
  struct Case {
    const char* spec;
    std::function<double(double)> formula;
  };
  const Case cases[] = {
      {"gaussian:sigma=1.7", [](double r) { return std::exp(-r * r / (2 * 1.7 * 1.7)); }},
      {"rq:alpha=2,ell=0.5",
       [](double r) { return std::pow(1 + r * r / (2 * 2 * 0.5 * 0.5), -2.0); }},
      {"rq:alpha=3.5,ell=1.2",
       [](double r) { return std::pow(1 + r * r / (2 * 3.5 * 1.2 * 1.2), -3.5); }},
      {"rq", [](double r) { return 1 / (1 + r * r / 2); }},
      {"imq:c=0.8", [](double r) { return 1 / std::sqrt(1 + r * r / (0.8 * 0.8)); }},
      {"laplace:ell=2", [](double r) { return std::exp(-r / 2); }},
      {"energy", [](double r) { return -r; }},
      {"energy:beta=0.5", [](double r) { return -std::sqrt(r); }},
      {"energy:beta=1.5", [](double r) { return -r * std::sqrt(r); }},
      {"riesz:alpha=1", [](double r) { return 1 / r; }},
      {"riesz:alpha=0.5", [](double r) { return 1 / std::sqrt(r); }},
      {"riesz:alpha=2.5", [](double r) { return 1 / (r * r * std::sqrt(r)); }},
      {"0.5*gaussian:sigma=1+laplace:ell=2",
       [](double r) { return 0.5 * std::exp(-r * r / 2) + std::exp(-r / 2); }},
  };
  for (const Case& c : cases) {
    const wgf::Kernel kernel = wgf::parse_kernel(c.spec);
    for (const double r : kRadii) {
      INFO(std::string(c.spec), " r=", r);
      // The same expression evaluated in a different order: a few ulps.
      CHECK(kernel.value(r) == doctest::Approx(c.formula(r)).epsilon(1e-14));
    }
  }
  CHECK(wgf::parse_kernel("gaussian:sigma=3").value(0.0) == 1.0);
  CHECK(wgf::parse_kernel("rq:alpha=2,ell=1").value(0.0) == 1.0);
  CHECK(wgf::parse_kernel("laplace:ell=3").value(0.0) == 1.0);
  CHECK(wgf::parse_kernel("energy:beta=1.5").value(0.0) == 0.0);
}

TEST_CASE("radial derivative matches a finite difference of the value") {
  // Five-point central difference with step h = 1e−3·min(r, L), L the kernel's length scale:
  // truncation h⁴|e⁽⁵⁾|/30 ≈ 3e−14·|e|/L and round-off ≈ 1.5·ε|e|/h ≈ 3e−13·|e|/L, so a
  // tolerance of 1e−9·(|e'| + |e|/min(r, L)) leaves a wide margin while still catching any wrong
  // factor in de/dr.
  struct Case {
    const char* spec;
    double length;
  };
  const Case cases[] = {{"gaussian:sigma=0.6", 0.6},
                        {"gaussian:sigma=2", 2},
                        {"rq:alpha=2,ell=0.5", 0.5},
                        {"rq:alpha=3.5,ell=1.2", 1.2},
                        {"imq:c=0.8", 0.8},
                        {"laplace:ell=0.4", 0.4},
                        {"laplace:ell=2", 2},
                        {"energy", 1e9},
                        {"energy:beta=0.5", 1e9},
                        {"energy:beta=1.5", 1e9},
                        {"riesz:alpha=0.5", 1e9},
                        {"riesz:alpha=1", 1e9},
                        {"riesz:alpha=2.5", 1e9},
                        {"0.5*gaussian:sigma=1+-2*laplace:ell=2", 1}};
  for (const Case& c : cases) {
    const wgf::Kernel kernel = wgf::parse_kernel(c.spec);
    for (const double r : kRadii) {
      const double scale = std::min(r, c.length);
      const double h = 1e-3 * scale;
      const double difference = (kernel.value(r - 2 * h) - 8 * kernel.value(r - h) +
                                 8 * kernel.value(r + h) - kernel.value(r + 2 * h)) /
                                (12 * h);
      const double derivative = kernel.radial_derivative(r);
      INFO(std::string(c.spec), " r=", r, " de/dr ", derivative, " finite difference ",
           difference);
      CHECK(std::fabs(derivative - difference) <=
            1e-9 * (std::fabs(derivative) + std::fabs(kernel.value(r)) / scale));
    }
  }
}
