#pragma once
// Results kept by `capture: NAME`: for `same_as` checks and for templates
// (`captures.NAME.rows`, `.value`, `.row_count`).

#include "expect/check_session.h"
#include "model/value.h"

#include <map>
#include <string>

namespace runbook::exec {

class Captures final : public expect::CaptureLookup {
 public:
  void keep(const std::string& name, expect::CapturedResult result);
  const expect::CapturedResult* find(const std::string& name) const override;
  // The `captures` map templates see.
  const Value& value() const { return value_; }

 private:
  std::map<std::string, expect::CapturedResult> results_;
  Value value_{ValueMap{}};
};

}  // namespace runbook::exec
