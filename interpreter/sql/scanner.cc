#include "sql/scanner.h"

#include <pg_query.h>

#include <cstdint>

namespace runbook::sql {

namespace {

// Token numbers from libpg_query's pg_query.proto (enum Token).
constexpr std::uint64_t kSqlComment = 275;
constexpr std::uint64_t kCComment = 276;

// pg_query_scan answers in protobuf, and the protobuf-c headers that would
// decode it are not installed. The message is tiny (ScanResult: repeated
// ScanToken tokens = 2; ScanToken: int32 start = 1, end = 2, Token token = 4),
// so this reads the wire format directly.
class WireReader {
 public:
  WireReader(const std::uint8_t* begin, const std::uint8_t* end) : p_(begin), end_(end) {}

  bool done() const { return p_ >= end_; }

  bool varint(std::uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      std::uint8_t byte = *p_++;
      out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        return true;
      }
    }
    return false;
  }

  // Reads a field key; for a length-delimited field also its payload.
  bool field(std::uint64_t& number, std::uint64_t& value, WireReader& payload) {
    std::uint64_t key = 0;
    if (!varint(key)) {
      return false;
    }
    number = key >> 3;
    switch (key & 7) {
      case 0:
        return varint(value);
      case 1:
        return skip(8);
      case 2:
        if (!varint(value) || value > static_cast<std::uint64_t>(end_ - p_)) {
          return false;
        }
        payload = WireReader(p_, p_ + value);
        p_ += value;
        return true;
      case 5:
        return skip(4);
      default:
        return false;
    }
  }

 private:
  bool skip(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) {
      return false;
    }
    p_ += n;
    return true;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

struct Token {
  std::uint64_t start = 0;  // proto3 leaves out zero fields: defaults matter
  std::uint64_t end = 0;
  std::uint64_t kind = 0;
};

bool read_token(WireReader in, Token& token) {
  while (!in.done()) {
    std::uint64_t number = 0, value = 0;
    WireReader payload(nullptr, nullptr);
    if (!in.field(number, value, payload)) {
      return false;
    }
    if (number == 1) {
      token.start = value;
    } else if (number == 2) {
      token.end = value;
    } else if (number == 4) {
      token.kind = value;
    }
  }
  return true;
}

std::optional<ByteRange> code_range_of(WireReader in) {
  std::optional<ByteRange> range;
  while (!in.done()) {
    std::uint64_t number = 0, value = 0;
    WireReader payload(nullptr, nullptr);
    if (!in.field(number, value, payload)) {
      return std::nullopt;
    }
    Token token;
    if (number != 2 || !read_token(payload, token)) {
      continue;
    }
    if (token.kind == kSqlComment || token.kind == kCComment) {
      continue;
    }
    if (!range) {
      range = ByteRange{token.start, token.end};
    }
    range->end = token.end;
  }
  return range;
}

}  // namespace

std::optional<ByteRange> code_range(const std::string& sql) {
  PgQueryScanResult scanned = pg_query_scan(sql.c_str());
  std::optional<ByteRange> range;
  if (scanned.error == nullptr) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(scanned.pbuf.data);
    range = code_range_of(WireReader(data, data + scanned.pbuf.len));
  }
  pg_query_free_scan_result(scanned);
  if (range && (range->begin > range->end || range->end > sql.size())) {
    return std::nullopt;
  }
  return range;
}

}  // namespace runbook::sql
