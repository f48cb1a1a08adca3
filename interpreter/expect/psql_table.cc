#include "expect/psql_table.h"

#include "base/strings.h"
#include "expect/decimal.h"
#include "expect/display_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace runbook::expect {
namespace {

// ---- parsing ----

bool is_blank(std::string_view line) {
  return trim(line).empty();
}

bool only_chars(std::string_view s, std::string_view allowed) {
  return s.find_first_not_of(allowed) == std::string_view::npos;
}

// The `---+---` line under a border-1 header.
bool is_separator(std::string_view line) {
  std::string_view t = trim(line);
  return !t.empty() && only_chars(t, "-+ ") && t.find('-') != std::string_view::npos;
}

// The `+---+---+` lines around a border-2 table.
bool is_frame(std::string_view line) {
  std::string_view t = trim(line);
  return t.size() > 1 && t.front() == '+' && only_chars(t, "-+");
}

// "(N rows)" or "(1 row)".
std::optional<long> parse_footer(std::string_view line) {
  std::string_view t = trim(line);
  if (t.size() < 3 || t.front() != '(' || t.back() != ')') {
    return std::nullopt;
  }
  t = t.substr(1, t.size() - 2);
  long n = 0;
  auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (error != std::errc() || end == t.data()) {
    return std::nullopt;
  }
  std::string_view word = t.substr(static_cast<std::size_t>(end - t.data()));
  if (word != " row" && word != " rows") {
    return std::nullopt;
  }
  return n;
}

std::vector<std::string> split_cells(std::string_view line, bool border2) {
  std::string_view t = trim(line);
  if (border2) {
    if (!t.empty() && t.front() == '|') {
      t.remove_prefix(1);
    }
    if (!t.empty() && t.back() == '|') {
      t.remove_suffix(1);
    }
  }
  std::vector<std::string> cells;
  for (std::string_view cell : split(t, '|')) {
    cells.emplace_back(trim(cell));
  }
  return cells;
}

class TableParser {
 public:
  TableParser(std::string_view text, TableParseError* error)
      : lines_(split_lines(text)), error_(error) {}

  std::optional<PsqlTable> parse();

 private:
  bool fail(std::size_t index, std::string message) {
    if (error_ != nullptr) {
      *error_ = TableParseError{std::move(message), static_cast<int>(index) + 1};
    }
    return false;
  }
  bool read_header();
  bool read_footer();
  bool read_rows();
  bool read_row(std::size_t index);

  std::vector<std::string_view> lines_;
  TableParseError* error_;
  PsqlTable table_;
  std::size_t begin_ = 0, end_ = 0;  // the lines not read yet
  std::size_t footer_line_ = 0;
  bool border2_ = false;
};

std::optional<PsqlTable> TableParser::parse() {
  end_ = lines_.size();
  while (end_ > 0 && is_blank(lines_[end_ - 1])) {
    --end_;
  }
  while (begin_ < end_ && (is_blank(lines_[begin_]) || is_frame(lines_[begin_]))) {
    ++begin_;
  }
  if (!read_header() || !read_footer() || !read_rows()) {
    return std::nullopt;
  }
  return std::move(table_);
}

bool TableParser::read_header() {
  if (begin_ >= end_) {
    return fail(begin_ < lines_.size() ? begin_ : 0, "the table has no header line");
  }
  std::string_view header = lines_[begin_];
  if (is_separator(header) || parse_footer(header)) {
    return fail(begin_, "the table has no header line (it starts with " + quoted(trim(header)) +
                            "); paste the column names too");
  }
  border2_ = trim(header).front() == '|';
  table_.columns = split_cells(header, border2_);
  ++begin_;
  if (begin_ < end_ && is_separator(lines_[begin_])) {
    ++begin_;
  }
  return true;
}

bool TableParser::read_footer() {
  if (begin_ < end_) {
    if (std::optional<long> n = parse_footer(lines_[end_ - 1])) {
      table_.footer_rows = n;
      footer_line_ = --end_;
    }
  }
  while (border2_ && end_ > begin_ && is_frame(lines_[end_ - 1])) {
    --end_;
  }
  return true;
}

bool TableParser::read_rows() {
  for (std::size_t i = begin_; i < end_; ++i) {
    if (!read_row(i)) {
      return false;
    }
  }
  if (table_.footer_rows && *table_.footer_rows != static_cast<long>(table_.rows.size())) {
    return fail(footer_line_,
                fmt::format("the footer says {} but the table has {}", trim(lines_[footer_line_]),
                            rows_words(static_cast<std::int64_t>(table_.rows.size()))));
  }
  return true;
}

bool TableParser::read_row(std::size_t index) {
  std::string_view line = lines_[index];
  bool single = table_.columns.size() == 1;
  if (is_blank(line) && !single) {
    return true;
  }
  if (border2_ && is_frame(line)) {
    return true;
  }
  std::vector<std::string> cells = split_cells(line, border2_);
  if (cells.size() != table_.columns.size()) {
    return fail(index, fmt::format("this row has {} cells but the header has {} columns",
                                   cells.size(), table_.columns.size()));
  }
  table_.rows.push_back(std::move(cells));
  return true;
}

// ---- rendering ----

struct Layout {
  std::vector<DisplayText> header;
  std::vector<std::vector<DisplayText>> body;
  std::vector<bool> right;  // right-aligned columns
  std::vector<int> widths;
};

void append_spaces(std::string& out, int n) {
  if (n > 0) {
    out.append(static_cast<std::size_t>(n), ' ');
  }
}

void compute_widths(Layout& layout) {
  layout.widths.assign(layout.header.size(), 0);
  for (std::size_t j = 0; j < layout.header.size(); ++j) {
    layout.widths[j] = layout.header[j].width;
    for (const std::vector<DisplayText>& row : layout.body) {
      layout.widths[j] = std::max(layout.widths[j], row[j].width);
    }
  }
}

std::size_t line_count(const std::vector<DisplayText>& cells) {
  std::size_t n = 1;
  for (const DisplayText& c : cells) {
    n = std::max(n, c.lines.size());
  }
  return n;
}

// Header lines are centred and always padded: psql ends them with a space.
void append_header(std::string& out, const Layout& layout) {
  std::size_t lines = line_count(layout.header);
  for (std::size_t l = 0; l < lines; ++l) {
    for (std::size_t j = 0; j < layout.header.size(); ++j) {
      const DisplayText& name = layout.header[j];
      out += ' ';
      if (l < name.lines.size()) {
        int spare = layout.widths[j] - name.widths[l];
        append_spaces(out, spare / 2);
        out += name.lines[l];
        append_spaces(out, (spare + 1) / 2);
      } else {
        append_spaces(out, layout.widths[j]);
      }
      out += l + 1 < name.lines.size() ? '+' : ' ';
      out += j + 1 < layout.header.size() ? "|" : "\n";
    }
  }
}

void append_separator(std::string& out, const Layout& layout) {
  for (std::size_t j = 0; j < layout.widths.size(); ++j) {
    out.append(static_cast<std::size_t>(layout.widths[j]) + 2, '-');
    out += j + 1 < layout.widths.size() ? "+" : "\n";
  }
}

// One physical line `l` of cell `j`, as psql's print_aligned_text lays it out.
void append_cell_line(std::string& out, const Layout& layout, const DisplayText& cell,
                      std::size_t j, std::size_t l) {
  bool last = j + 1 == layout.widths.size();
  bool more = l + 1 < cell.lines.size();
  int width = layout.widths[j];
  out += ' ';
  if (l >= cell.lines.size()) {
    if (!last) {
      append_spaces(out, width);
    }
  } else if (layout.right[j]) {
    append_spaces(out, width - cell.widths[l]);
    out += cell.lines[l];
  } else {
    out += cell.lines[l];
    if (!last || more) {
      append_spaces(out, width - cell.widths[l]);
    }
  }
  if (more) {
    out += '+';
  } else if (!last) {
    out += ' ';
  }
  out += last ? "\n" : "|";
}

void append_row(std::string& out, const Layout& layout, const std::vector<DisplayText>& row) {
  std::size_t lines = line_count(row);
  for (std::size_t l = 0; l < lines; ++l) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      append_cell_line(out, layout, row[j], j, l);
    }
  }
}

std::string render(Layout layout, std::string_view footer) {
  compute_widths(layout);
  std::string out;
  if (!layout.header.empty()) {
    append_header(out, layout);
    append_separator(out, layout);
    for (const std::vector<DisplayText>& row : layout.body) {
      append_row(out, layout, row);
    }
  }
  out += footer;
  return out;
}

// Tracks, per column, whether every non-empty cell seen is a number.
class Alignment {
 public:
  explicit Alignment(std::size_t columns) : numbers_(columns, 0), others_(columns, 0) {}
  void see(std::size_t column, std::string_view cell) {
    if (!cell.empty()) {
      ++(is_number(cell) ? numbers_ : others_)[column];
    }
  }
  std::vector<bool> right() const {
    std::vector<bool> out(numbers_.size());
    for (std::size_t j = 0; j < out.size(); ++j) {
      out[j] = numbers_[j] > 0 && others_[j] == 0;
    }
    return out;
  }

 private:
  std::vector<std::size_t> numbers_, others_;
};

std::string result_footer(const ResultSet& result, std::size_t shown) {
  std::int64_t total = std::max<std::int64_t>(result.row_count, result.rows.size());
  if (!result.complete) {
    return fmt::format("(showing {} of at least {})", shown, rows_words(total));
  }
  if (static_cast<std::int64_t>(shown) < total) {
    return fmt::format("(showing {} of {})", shown, rows_words(total));
  }
  return rows_footer(total);
}

}  // namespace

std::optional<PsqlTable> parse_psql_table(std::string_view text, TableParseError* error) {
  return TableParser(text, error).parse();
}

std::string rows_words(std::int64_t rows) {
  return rows == 1 ? "1 row" : fmt::format("{} rows", rows);
}

std::string rows_footer(std::int64_t rows) {
  return "(" + rows_words(rows) + ")";
}

std::string render_psql_table(const ResultSet& result, std::size_t max_rows) {
  Layout layout;
  std::size_t columns = result.columns.size();
  for (const std::string& name : result.columns) {
    layout.header.push_back(display_text(name));
  }
  Alignment alignment(columns);
  std::size_t shown = std::min(max_rows, result.rows.size());
  for (std::size_t i = 0; i < shown; ++i) {
    std::vector<DisplayText>& cells = layout.body.emplace_back();
    for (std::size_t j = 0; j < columns; ++j) {
      const Cell* cell = j < result.rows[i].size() ? &result.rows[i][j] : nullptr;
      std::string_view text = cell != nullptr && cell->has_value() ? **cell : std::string_view();
      cells.push_back(display_text(text));
      alignment.see(j, text);
    }
  }
  layout.right = alignment.right();
  return render(std::move(layout), result_footer(result, shown));
}

std::string render_psql_table(const PsqlTable& table) {
  Layout layout;
  for (const std::string& name : table.columns) {
    layout.header.push_back(display_text(name));
  }
  Alignment alignment(table.columns.size());
  for (const std::vector<std::string>& row : table.rows) {
    std::vector<DisplayText>& cells = layout.body.emplace_back();
    for (std::size_t j = 0; j < table.columns.size(); ++j) {
      std::string_view text = j < row.size() ? std::string_view(row[j]) : std::string_view();
      cells.push_back(display_text(text));
      alignment.see(j, text);
    }
  }
  layout.right = alignment.right();
  return render(std::move(layout), rows_footer(static_cast<std::int64_t>(table.rows.size())));
}

}  // namespace runbook::expect
