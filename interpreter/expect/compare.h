#pragma once
// Comparing values as psql prints them (DESIGN §1 "Expectations").
//
// When both sides parse as numbers they compare as numbers; otherwise as
// text. Booleans are `t`/`f` (an expected `true`/`false` matches them). An
// empty expected cell matches NULL or the empty string.

#include <string>
#include <string_view>

#include "model/expectation.h"
#include "model/result_set.h"

namespace runbook::expect {

bool cells_equal(const Cell& actual, std::string_view expected);
// Does `actual` satisfy the comparison? A NULL only satisfies eq "" / ne x.
bool satisfies(const Cell& actual, const Comparison& c);
// The comparison in words: "= 0", ">= 140000", "between 1 and 5", "in (a, b)".
std::string describe(const Comparison& c);

}  // namespace runbook::expect
