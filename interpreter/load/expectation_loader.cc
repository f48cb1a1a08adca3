#include "load/expectation_loader.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "expect/check_session.h"
#include "expect/psql_table.h"
#include "load/fields.h"

namespace runbook::load {

namespace {

const std::vector<std::string> kExpectKeys = {
    "rows", "value",   "table",   "ordered",  "contains",  "each",
    "none", "columns", "same_as", "affected", "exit_code", "stdout_contains"};

const std::vector<std::string> kOperators = {"eq", "ne",      "lt", "le",      "gt",
                                             "ge", "between", "in", "matches", "within"};

std::string did_you_mean_operator(const std::string& word) {
  std::string hint = did_you_mean(word, kOperators);
  return hint.empty() ? "use one of: " + join(kOperators, ", ") : hint;
}

// An operand as psql would print it: booleans as t/f, null as "".
std::optional<std::string> operand_text(const Node& node, Diagnostics& diags) {
  if (node.is_null()) {
    return std::string();
  }
  if (!node.is_scalar()) {
    report_shape(diags, node, "a compared value", "a single value");
    return std::nullopt;
  }
  return to_value(node).to_text();
}

std::optional<Comparison> operator_comparison(const Node& key, const Node& value,
                                              Diagnostics& diags) {
  Comparison c;
  c.where = key.where;
  std::size_t index = 0;
  while (index < kOperators.size() && kOperators[index] != key.scalar()) {
    ++index;
  }
  if (index == kOperators.size()) {
    std::string hint = did_you_mean_operator(key.scalar());
    diags.error(key.where, "unknown operator " + quoted(key.scalar()), hint);
    return std::nullopt;
  }
  c.op = static_cast<CompareOp>(index);
  switch (c.op) {
    case CompareOp::between:
    case CompareOp::in: {
      if (!value.is_sequence() || (c.op == CompareOp::between && value.items.size() != 2)) {
        report_shape(
            diags, value, "`" + key.scalar() + "`",
            c.op == CompareOp::between ? "a list of two values [low, high]" : "a list of values");
        return std::nullopt;
      }
      for (const Node& item : value.items) {
        auto text = operand_text(item, diags);
        if (!text) {
          return std::nullopt;
        }
        c.operands.push_back(*text);
      }
      return c;
    }
    case CompareOp::within: {
      if (!value.is_mapping()) {
        report_shape(diags, value, "`within`", "a mapping like { of: 100, pct: 5 }");
        return std::nullopt;
      }
      Fields f(value, "within", diags);
      f.only({"of", "pct"});
      auto pct = f.number("pct");
      const Node* of = f.get("of");
      if (of == nullptr || !pct) {
        diags.error(value.where, "`within` needs both `of` and `pct`");
        return std::nullopt;
      }
      auto text = operand_text(*of, diags);
      if (!text) {
        return std::nullopt;
      }
      c.operands.push_back(*text);
      c.pct = *pct;
      return c;
    }
    default: {
      auto text = operand_text(value, diags);
      if (!text) {
        return std::nullopt;
      }
      c.operands.push_back(*text);
      return c;
    }
  }
}

// `X` or `{op: X, op2: Y}`: one comparison per operator, all must hold.
std::vector<Comparison> comparisons(const Node& node, Diagnostics& diags) {
  std::vector<Comparison> out;
  if (node.is_mapping()) {
    if (node.entries.empty()) {
      diags.error(node.where, "an empty comparison compares nothing",
                  "write a value, or { op: value } with op one of " + join(kOperators, ", "));
    }
    for (const auto& [key, value] : node.entries) {
      if (auto c = operator_comparison(key, value, diags)) {
        out.push_back(std::move(*c));
      }
    }
    return out;
  }
  if (auto text = operand_text(node, diags)) {
    out.push_back(Comparison{CompareOp::eq, {*text}, 0, node.where});
  }
  return out;
}

void add_compared(Expectation& e, CheckKind kind, const Node& node, Diagnostics& diags) {
  for (Comparison& c : comparisons(node, diags)) {
    Check check;
    check.kind = kind;
    check.where = node.where;
    check.comparison = std::move(c);
    e.checks.push_back(std::move(check));
  }
}

std::optional<PsqlTable> table_of(const Node& node, Diagnostics& diags) {
  if (!node.is_scalar()) {
    report_shape(diags, node, "a table", "text pasted from psql (use `|`)");
    return std::nullopt;
  }
  expect::TableParseError error;
  auto table = expect::parse_psql_table(node.scalar(), &error);
  if (!table) {
    // Point at the offending line of the table inside the file.
    std::size_t offset = 0;
    for (int line = 1; line < error.line && offset != std::string::npos; ++line) {
      offset = node.scalar().find('\n', offset);
      offset = offset == std::string::npos ? offset : offset + 1;
    }
    Location where = offset == std::string::npos ? node.where : node.text.locate(offset);
    diags.error(where, "table: " + error.message,
                "paste psql's output: a header, an optional ---+--- line, then rows");
  }
  return table;
}

void add_table(Expectation& e, CheckKind kind, const Node& node, bool ordered, Diagnostics& diags) {
  if (auto table = table_of(node, diags)) {
    Check check;
    check.kind = kind;
    check.where = node.where;
    check.table = std::move(*table);
    check.ordered = ordered;
    e.checks.push_back(std::move(check));
  }
}

void add_conditions(Expectation& e, CheckKind kind, const Node& node, Diagnostics& diags) {
  if (!node.is_mapping() || node.entries.empty()) {
    report_shape(diags, node, "`" + std::string(to_string(kind)) + "`",
                 "a mapping of column: value");
    return;
  }
  Check check;
  check.kind = kind;
  check.where = node.where;
  for (const auto& [column, value] : node.entries) {
    for (Comparison& c : comparisons(value, diags)) {
      check.conditions.push_back(ColumnCondition{column.scalar(), std::move(c)});
    }
  }
  e.checks.push_back(std::move(check));
}

bool allowed_for(const std::string& key, StepKind kind) {
  bool command_key = key == "exit_code" || key == "stdout_contains";
  if (kind == StepKind::command) {
    return command_key;
  }
  if (command_key) {
    return false;
  }
  return key != "affected" || kind == StepKind::sql;
}

}  // namespace

std::optional<Expectation> load_expectation(const Node& node, StepKind kind, Diagnostics& diags) {
  if (!node.is_mapping()) {
    report_shape(diags, node, "`expect`", "a mapping like { rows: 0 }");
    return std::nullopt;
  }
  std::size_t errors_before = diags.error_count();
  Fields f(node, "expect", diags);
  f.only(kExpectKeys);
  Expectation e;
  e.where = node.where;
  bool ordered = f.boolean("ordered").value_or(false);
  if (f.has("ordered") && !f.has("table")) {
    diags.error(f.get("ordered")->where, "`ordered` goes with `table`");
  }
  for (const auto& [key, value] : node.entries) {
    const std::string& k = key.scalar();
    if (k == "ordered") {
      continue;
    }
    if (!allowed_for(k, kind)) {
      diags.error(key.where, "`" + k + "` does not apply to a " + to_string(kind) + " step",
                  k == "affected" ? "rows affected are counted for sql steps"
                                  : "exit_code and stdout_contains are for command steps");
      continue;
    }
    if (k == "rows" || k == "value" || k == "affected" || k == "exit_code") {
      CheckKind ck = k == "rows"       ? CheckKind::rows
                     : k == "value"    ? CheckKind::value
                     : k == "affected" ? CheckKind::affected
                                       : CheckKind::exit_code;
      add_compared(e, ck, value, diags);
    } else if (k == "table" || k == "contains") {
      add_table(e, k == "table" ? CheckKind::table : CheckKind::contains, value, ordered, diags);
    } else if (k == "each" || k == "none") {
      add_conditions(e, k == "each" ? CheckKind::each : CheckKind::none, value, diags);
    } else if (k == "columns") {
      if (auto names = f.string_list("columns")) {
        Check check{CheckKind::columns, value.where, {}, {}, false, {}, *names, {}};
        e.checks.push_back(std::move(check));
      }
    } else if (k == "same_as" || k == "stdout_contains") {
      if (auto text = f.string(k)) {
        Check check;
        check.kind = k == "same_as" ? CheckKind::same_as : CheckKind::stdout_contains;
        check.where = value.where;
        check.text = *text;
        e.checks.push_back(std::move(check));
      }
    }
  }
  for (const Check& check : e.checks) {
    // Regexes, operand counts, numbers where numbers are needed: wrong now
    // rather than at run time. Operands holding templates are re-checked
    // once rendered.
    if (auto problem = expect::validate(check)) {
      diags.error(check.where, std::string(to_string(check.kind)) + ": " + *problem);
    }
  }
  if (e.checks.empty() && diags.error_count() == errors_before) {
    diags.error(node.where, "`expect` has no checks", "add one of: " + join(kExpectKeys, ", "));
  }
  return e;
}

}  // namespace runbook::load
