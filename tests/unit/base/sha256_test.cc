#include "base/sha256.h"

#include <doctest/doctest.h>

#include <string>

TEST_SUITE("base::sha256") {
  TEST_CASE("standard test vectors") {
    CHECK(runbook::sha256_hex("") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(runbook::sha256_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(runbook::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  TEST_CASE("a million a") {
    CHECK(runbook::sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
}

TEST_SUITE("sha256 accelerated") {
  TEST_CASE("the SHA instructions give the portable result, block for block") {
    std::array<std::uint32_t, 8> start = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::string data(64 * 37, '\0');
    std::uint32_t x = 12345;
    for (char& c : data) {
      x = x * 1103515245 + 12345;
      c = static_cast<char>(x >> 16);
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    for (std::size_t blocks : {1, 2, 3, 37}) {
      auto portable = start, accelerated = start;
      runbook::detail::sha256_blocks_portable(portable, bytes, blocks);
      if (!runbook::detail::sha256_blocks_accelerated(accelerated, bytes, blocks)) {
        MESSAGE("this CPU has no SHA instructions: only the portable path is tested");
        return;
      }
      CHECK_MESSAGE(accelerated == portable, blocks << " blocks");
    }
  }
}
