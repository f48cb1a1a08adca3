#pragma once
// Quoting values for SQL with libpq's rules, without a connection.
//
// quote_identifier follows PQescapeIdentifier: wrap in double quotes and
// double any embedded double quote. quote_literal follows PQescapeLiteral:
// wrap in single quotes, double embedded single quotes, and when the value
// holds a backslash use the E'' form with backslashes doubled. (libpq also
// puts a space before that E so that it cannot join a preceding word; the
// template renderer adds that space only where it is needed.) A NUL byte is
// rejected by quote_value (libpq stops at it; we refuse rather than truncate).

#include "model/value.h"

#include <optional>
#include <string>
#include <string_view>

namespace runbook::tmpl {

std::string quote_identifier(std::string_view name);
std::string quote_literal(std::string_view text);
// "schema.table" -> "schema"."table"; a name without a dot stays one identifier.
// Parts already double-quoted ("My.Schema") are kept as one part. Returns
// nullopt for an empty part, an unclosed quote or a NUL byte.
std::optional<std::string> quote_qualified_name(std::string_view name);

// Writes `v` into SQL according to its SqlType (DESIGN §1). Lists render
// their elements joined with ", ", each by its own type (an untyped element of
// a typed list takes the list's type). Returns nullopt with `error` set when
// the value does not fit its type (e.g. a boolean param holding "maybe"), is a
// mapping, holds a NUL byte or is nested deeper than kMaxValueDepth. A
// Deferred value is written as its placeholder `<path>`.
std::optional<std::string> quote_value(const Value& v, std::string* error);

// As quote_value, but every scalar is written as `type` whatever its own
// type (the `ident` and `literal` filters).
std::optional<std::string> quote_value_as(const Value& v, SqlType type, std::string* error);

}  // namespace runbook::tmpl
