#pragma once
// Quoting values for SQL with libpq's rules, without a connection.
//
// quote_identifier follows PQescapeIdentifier: wrap in double quotes and
// double any embedded double quote. quote_literal follows PQescapeLiteral:
// wrap in single quotes, double embedded single quotes, and when the value
// holds a backslash use the E'' form with backslashes doubled. A NUL byte is
// rejected (libpq stops at it; we refuse rather than truncate).

#include <optional>
#include <string>
#include <string_view>

#include "model/value.h"

namespace runbook::tmpl {

std::string quote_identifier(std::string_view name);
std::string quote_literal(std::string_view text);
// "schema.table" -> "schema"."table"; a name without a dot stays one identifier.
// Parts already double-quoted ("My.Schema") are kept as one part.
std::optional<std::string> quote_qualified_name(std::string_view name);

// Writes `v` into SQL according to its SqlType (DESIGN §1). Lists render
// their elements joined with ", ". Returns nullopt with `error` set when the
// value does not fit its type (e.g. a boolean param holding "maybe").
std::optional<std::string> quote_value(const Value& v, std::string* error);

}  // namespace runbook::tmpl
