#include "exec/schema_fingerprint.h"

#include "base/sha256.h"

#include <algorithm>
#include <iterator>

namespace runbook::exec {

namespace {

// One line per object, built from the catalog with PostgreSQL's own
// deparsers (pg_get_constraintdef, pg_get_indexdef, ...), so that two
// equal schemas print equal lines whatever their OIDs or creation order.
// Function bodies and view definitions enter as md5 sums: a changed body
// must show, but a whole body in one line would not read. $1 lists the
// schemas left out, one per line.
constexpr const char* kCatalogQuery = R"SQL(
WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema')
    AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
    AND nspname <> ALL (string_to_array($1, E'\n'))
)
SELECT line FROM (
  SELECT format('schema %I', ns.nspname) AS line FROM ns
  UNION ALL
  SELECT format('extension %I %s in %I', e.extname, e.extversion, ns.nspname)
    FROM pg_extension e JOIN ns ON ns.oid = e.extnamespace
  UNION ALL
  SELECT format('relation %I.%I kind %s persistence %s options %s%s', ns.nspname, c.relname,
                c.relkind, c.relpersistence, coalesce(array_to_string(c.reloptions, ','), '-'),
                CASE WHEN c.relkind IN ('v', 'm') THEN ' view ' || md5(pg_get_viewdef(c.oid)) ELSE '' END)
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT format('column %I.%I.%I %s not null %s default %s identity %s generated %s', ns.nspname,
                c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                coalesce(pg_get_expr(d.adbin, d.adrelid), '-'), nullif(a.attidentity, ''),
                nullif(a.attgenerated, ''))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT format('constraint %I.%I.%I %s validated %s', ns.nspname, c.relname, k.conname,
                pg_get_constraintdef(k.oid), k.convalidated)
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT format('index %s valid %s ready %s', pg_get_indexdef(i.indexrelid), i.indisvalid,
                i.indisready)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT format('trigger %s enabled %s', pg_get_triggerdef(t.oid), t.tgenabled)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace
   WHERE NOT t.tgisinternal
  UNION ALL
  SELECT format('function %I.%I(%s) returns %s body %s', ns.nspname, p.proname,
                pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid),
                md5(coalesce(p.prosrc, '')))
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
  UNION ALL
  SELECT format('type %I.%I enum (%s)', ns.nspname, t.typname,
                (SELECT string_agg(quote_literal(l.enumlabel), ', ' ORDER BY l.enumsortorder)
                   FROM pg_enum l WHERE l.enumtypid = t.oid))
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
   WHERE t.typtype = 'e'
) AS catalog
ORDER BY line COLLATE "C"
)SQL";

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    out += out.empty() ? n : "\n" + n;
  }
  return out;
}

class LineCollector final : public RowSink {
 public:
  explicit LineCollector(std::vector<std::string>& lines) : lines_(lines) {}
  void columns(const std::vector<std::string>&) override {}
  bool row(const Row& cells) override {
    lines_.push_back(cells.empty() ? std::string() : cells[0].value_or(""));
    return true;
  }

 private:
  std::vector<std::string>& lines_;
};

// Lines of `a` not in `b`; both sorted.
std::vector<std::string> only_in(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

std::string SchemaCatalog::fingerprint() const {
  return sha256_hex(joined(lines));
}

std::optional<SchemaCatalog> read_schema_catalog(Session& session,
                                                 const std::vector<std::string>& excluded_schemas,
                                                 SqlError* error) {
  SchemaCatalog catalog;
  LineCollector collector(catalog.lines);
  ExecResult r = session.execute_params(kCatalogQuery, {joined(excluded_schemas)}, &collector);
  if (r.error) {
    *error = *r.error;
    return std::nullopt;
  }
  // The server sorted with COLLATE "C"; sort again so that the set
  // operations below never depend on it.
  std::sort(catalog.lines.begin(), catalog.lines.end());
  return catalog;
}

CatalogDifference compare_catalogs(const SchemaCatalog& before, const SchemaCatalog& after) {
  return {only_in(before.lines, after.lines), only_in(after.lines, before.lines)};
}

std::vector<std::string> describe_difference(const CatalogDifference& difference,
                                             std::size_t limit) {
  std::vector<std::string> out;
  std::size_t total = difference.gone.size() + difference.added.size();
  for (const std::string& line : difference.gone) {
    if (out.size() < limit) {
      out.push_back("- " + line);
    }
  }
  for (const std::string& line : difference.added) {
    if (out.size() < limit) {
      out.push_back("+ " + line);
    }
  }
  if (total > out.size()) {
    out.push_back("... and " + std::to_string(total - out.size()) + " more");
  }
  return out;
}

}  // namespace runbook::exec
