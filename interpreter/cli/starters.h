#pragma once
// The runbooks `runbook new` starts from (starters/*.yaml, embedded at build
// time). `__NAME__` and `__TITLE__` are replaced by the new runbook's id and
// title.

#include <string>
#include <vector>

namespace runbook::cli {

struct Starter {
  std::string name;  // blank, safe-foreign-key, concurrent-index, backfill, ...
  std::string text;
};

const std::vector<Starter>& starters();

}  // namespace runbook::cli
