#include "exec/captures.h"

namespace runbook::exec {

namespace {

Value cell_value(const Cell& cell) {
  return cell ? Value(*cell) : Value();
}

Value as_template_value(const expect::CapturedResult& r) {
  ValueList rows;
  for (const Row& row : r.rows) {
    ValueMap m;
    for (std::size_t i = 0; i < row.size() && i < r.columns.size(); ++i) {
      m.emplace_back(r.columns[i], cell_value(row[i]));
    }
    rows.emplace_back(std::move(m));
  }
  Value v{ValueMap{}};
  v.set("rows", Value(std::move(rows)));
  v.set("row_count", Value(r.row_count));
  bool single = !r.rows.empty() && !r.rows[0].empty();
  v.set("value", single ? cell_value(r.rows[0][0]) : Value());
  return v;
}

}  // namespace

void Captures::keep(const std::string& name, expect::CapturedResult result) {
  value_.set(name, as_template_value(result));
  results_[name] = std::move(result);
}

const expect::CapturedResult* Captures::find(const std::string& name) const {
  auto it = results_.find(name);
  return it == results_.end() ? nullptr : &it->second;
}

}  // namespace runbook::exec
