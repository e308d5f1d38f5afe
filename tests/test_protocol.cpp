// Study protocols: the SHA-256 behind protocol_sha256 against the FIPS 180-2 test vectors and
// Python's hashlib (padding boundaries at 55, 64 and 119 bytes), and the rules' grammar.
#include <doctest/doctest.h>

#include <string>

#include "wgf/errors.hpp"
#include "wgf/protocol.hpp"
#include "wgf/sha256.hpp"

using namespace wgf;

TEST_CASE("SHA-256 equals the published test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  CHECK(sha256_hex(std::string(119, 'a')) ==
        "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a protocol's rules are read typed, and its text and hash are kept") {
  const std::string text =
      "# rules of a study\n"
      "name = growth\n"
      "version = 2\n"
      "n = 2000   # samples per side\n"
      "xi = 0.5, 1, 2\n"
      "seeds = 1,2,3\n"
      "losses = gaussian:sigma=1 ; energy\n";
  const Protocol p = Protocol::parse(text, "test.txt");
  CHECK(p.name() == "growth");
  CHECK(p.version() == 2);
  CHECK(p.label() == "growth-v2");
  CHECK(p.integer("n") == 2000);
  CHECK(p.numbers("xi") == std::vector<double>{0.5, 1, 2});
  CHECK(p.integers("seeds") == std::vector<long>{1, 2, 3});
  CHECK(p.strings("losses") == std::vector<std::string>{"gaussian:sigma=1", "energy"});
  CHECK(p.text() == text);
  CHECK(p.sha256() == sha256_hex(text));
  CHECK_NOTHROW(p.allow_only({"n", "xi", "seeds", "losses"}));
  CHECK_THROWS_AS(p.allow_only({"n", "xi", "seeds"}), InputError);
  CHECK_THROWS_AS(p.number("missing"), InputError);
  CHECK_THROWS_AS(p.integers("xi"), InputError);
  CHECK_THROWS_AS(p.require_name("validate"), InputError);
}

TEST_CASE("malformed protocols are input errors naming the line") {
  CHECK_THROWS_WITH_AS(Protocol::parse("name = a\nversion = 1\nn 5\n", "p.txt"),
                       doctest::Contains("line 3"), InputError);
  CHECK_THROWS_WITH_AS(Protocol::parse("name = a\nversion = 1\nn = 5\nn = 6\n", "p.txt"),
                       doctest::Contains("twice"), InputError);
  CHECK_THROWS_AS(Protocol::parse("version = 1\n", "p.txt"), InputError);  // no name
  CHECK_THROWS_AS(Protocol::parse("name = a\nversion = 0\n", "p.txt"), InputError);
  CHECK_THROWS_AS(Protocol::load("/nonexistent/protocol.txt"), InputError);
}

TEST_CASE("protocol integers beyond 10^15 are input errors, not undefined casts (fuzz finding)") {
  // tests/fuzz/fuzz_protocol: `version = 1e300` was cast to long unchecked (UBSan:
  // "1e+300 is outside the range of representable values of type 'long'").
  CHECK_THROWS_WITH_AS(Protocol::parse("name = a\nversion = 1e300\n", "p.txt"),
                       doctest::Contains("version = 1e300: must be an integer"), InputError);
  const Protocol p = Protocol::parse(
      "name = a\nversion = 1\nbig = 1e300\nlist = 1, -1e19\nedge = 1e15\n", "p.txt");
  CHECK_THROWS_WITH_AS(p.integer("big"), doctest::Contains("at most 10^15"), InputError);
  CHECK_THROWS_WITH_AS(p.integers("list"), doctest::Contains("must be integers"), InputError);
  CHECK(p.integer("edge") == 1000000000000000L);
}
