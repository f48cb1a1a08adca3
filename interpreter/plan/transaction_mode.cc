#include "plan/transaction_mode.h"

#include "base/strings.h"
#include "tmpl/template.h"

#include <algorithm>

namespace runbook::plan {

Location locate_in_source(const RenderedSql& sql, std::size_t offset) {
  return sql.source.locate(sql.map.source_offset(offset));
}

Location locate_server_position(const RenderedSql& sql, const sql::Statement& statement,
                                std::size_t position) {
  const std::string& text = statement.text;
  std::size_t byte = 0;
  for (std::size_t skipped = 0; skipped + 1 < position && byte < text.size(); ++skipped) {
    ++byte;  // past the character's first byte, then its UTF-8 continuation bytes
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) {
      ++byte;
    }
  }
  return locate_in_source(sql, statement.offset + byte);
}

static std::string first_words(const std::string& text) {
  std::string flat;
  for (char c : text.substr(0, 60)) {
    flat += c == '\n' ? ' ' : c;
  }
  return text.size() > 60 ? flat + "..." : flat;
}

// Statements no step can run, whatever its transaction mode: transaction
// control (runbook owns transactions) and COPY through the client.
static bool reject_unrunnable(const RenderedSql& sql, Diagnostics& diags) {
  bool ok = true;
  for (const sql::Statement& s : sql.statements) {
    if (s.info.transaction_control) {
      diags.error(locate_in_source(sql, s.offset), "`" + first_words(s.text) + "` inside a step",
                  "runbook owns transactions: remove BEGIN/COMMIT/ROLLBACK and choose "
                  "`transaction: auto|true|false` on the step");
      ok = false;
    } else if (s.info.client_copy) {
      diags.error(locate_in_source(sql, s.offset),
                  "`" + first_words(s.text) + "` copies through the client, which a step cannot",
                  "use a command step running psql's \\copy, or COPY from or to a file on "
                  "the server");
      ok = false;
    }
  }
  return ok;
}

TxMode decide_write_tx(const RenderedSql& sql, TransactionMode requested, bool batched,
                       Diagnostics& diags) {
  if (sql.deferred) {
    return requested == TransactionMode::never ? TxMode::autocommit : TxMode::transaction;
  }
  reject_unrunnable(sql, diags);
  bool all_in_tx = sql::all_can_run_in_transaction(sql.statements);
  if (requested == TransactionMode::never) {
    return TxMode::autocommit;
  }
  if (all_in_tx) {
    return TxMode::transaction;
  }
  for (const sql::Statement& s : sql.statements) {
    if (s.info.can_run_in_transaction) {
      continue;
    }
    if (requested == TransactionMode::always || batched) {
      diags.error(locate_in_source(sql, s.offset),
                  "`" + s.info.tag + "` cannot run inside a transaction block",
                  batched ? "a batch runs in transactions; move this statement to its own step"
                          : "remove `transaction: true` (auto runs it in autocommit)");
    }
  }
  return TxMode::autocommit;
}

TxMode decide_read_tx(const RenderedSql& sql, const char* what, Diagnostics& diags) {
  if (sql.deferred) {
    return TxMode::read_only;
  }
  if (!reject_unrunnable(sql, diags)) {
    return TxMode::read_only;
  }
  for (const sql::Statement& s : sql.statements) {
    if (!s.info.read_only) {
      diags.error(locate_in_source(sql, s.offset),
                  std::string("a ") + what + " must be a plain read, not `" + s.info.tag + "`",
                  "checks run in READ ONLY transactions; put writes in a `sql:` step");
    }
  }
  if (sql.statements.empty()) {
    diags.error(sql.source.start(), std::string("the ") + what + " is empty");
  }
  return TxMode::read_only;
}

}  // namespace runbook::plan
