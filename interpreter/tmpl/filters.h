#pragma once
// The filters of the template language: `expr | name` or `expr | name(args)`.
//
//   ident      quote as an identifier ("Recipe"); each element of a list
//   literal    quote as a string literal ('it''s'); each element of a list
//   raw        write as is (trusted SQL only: `plan` warns about it)
//   join(sep)  in SQL each element quoted by its type, then joined by sep (a
//              separator written in the template); in text a plain join.
//              sep defaults to ", "
//   default(v) v when the value is undefined or null
//   lower, upper   change the case of text (ASCII letters), element-wise on lists
//   length     the number of elements of a list or mapping, or characters of text
//
// The output of ident, literal, raw and (in SQL) join is already SQL: it is
// not quoted again. `default` is applied by the evaluator, since its operand
// may be undefined.

#include "tmpl/operations.h"
#include "tmpl/template.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::tmpl {

enum class FilterId { ident, literal, raw, join, default_value, lower, upper, length };

struct FilterDef {
  FilterId id;
  std::string_view name;
  int min_args;
  int max_args;
};

// The filter called `name`, or nullptr.
const FilterDef* find_filter(std::string_view name);
std::vector<std::string> filter_names();

// Applies a filter other than `default` to a value that is not deferred. On
// failure returns nullopt with `error` set.
std::optional<Item> apply_filter(const FilterDef& filter, const Item& input,
                                 const std::vector<Item>& args, Context context,
                                 std::string* error);

}  // namespace runbook::tmpl
