#pragma once
// The schema of a database as one sorted line per object (schema, extension,
// relation, column, constraint, index, trigger, function, enum type), read
// from the catalog; its fingerprint is the SHA-256 of those lines. Two
// databases with the same fingerprint have the same schema as far as a
// runbook can change it: `runbook rehearse` compares the one before a run
// with the one after its rollback. Data is not part of it.

#include "exec/ports.h"

#include <optional>
#include <string>
#include <vector>

namespace runbook::exec {

struct SchemaCatalog {
  std::vector<std::string> lines;  // sorted, one per object

  std::string fingerprint() const;  // lower-case hex SHA-256
};

// What changed from `before` to `after`: lines only in `before` (gone) and
// only in `after` (new), each list sorted.
struct CatalogDifference {
  std::vector<std::string> gone;
  std::vector<std::string> added;

  bool empty() const { return gone.empty() && added.empty(); }
};

// Reads the catalog of the session's database: every schema but the
// system's and those in `excluded_schemas` (the journal's, which a run
// creates and keeps). nullopt with `error` set when the query failed.
std::optional<SchemaCatalog> read_schema_catalog(Session& session,
                                                 const std::vector<std::string>& excluded_schemas,
                                                 SqlError* error);

CatalogDifference compare_catalogs(const SchemaCatalog& before, const SchemaCatalog& after);

// The difference for people: "- line" for what is gone, "+ line" for what
// is new, at most `limit` lines and then how many more.
std::vector<std::string> describe_difference(const CatalogDifference& difference,
                                             std::size_t limit = 40);

}  // namespace runbook::exec
