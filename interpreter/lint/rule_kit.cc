#include "lint/rule_kit.h"

#include "base/duration.h"
#include "base/strings.h"

namespace runbook::lint {

const sql::RelationLock* blocking_lock(const Analysed& a, const History& history) {
  const sql::RelationLock* strongest = nullptr;
  for (const sql::RelationLock& l : a.locks.locks) {
    bool other_sessions =
        !l.created && l.condition.empty() && (l.relation.empty() || !history.created(l.relation));
    if (!other_sessions || l.blocks() == sql::Blocks::nothing) {
      continue;
    }
    if (strongest == nullptr || l.mode > strongest->mode) {
      strongest = &l;
    }
  }
  return strongest;
}

std::string lock_words(const sql::RelationLock& lock) {
  return std::string(sql::lock_mode_name(lock.mode)) + " on " + lock.target() + " (" +
         std::string(sql::blocks_words(lock.blocks())) + ")";
}

bool sets_timeout(const Analysed& a, std::string_view name, bool in_transaction) {
  const std::optional<sql::SettingChange>& s = a.statement->info.setting;
  if (!s || s->name != name || (s->local && !in_transaction)) {
    return false;
  }
  std::string value = to_lower(s->value);
  if (value.empty() || value == "default") {
    return false;  // RESET, or back to the server's default
  }
  std::optional<Millis> d = parse_duration(value);
  return !d || d->count() > 0;
}

std::vector<const sql::AlterCommand*> commands_of(const sql::StatementFacts& f,
                                                  std::string_view subtype) {
  std::vector<const sql::AlterCommand*> out;
  for (const sql::AlterCommand& c : f.commands) {
    if (c.subtype == subtype) {
      out.push_back(&c);
    }
  }
  return out;
}

std::string first_words(std::string_view text, std::size_t max) {
  std::string flat;
  bool space = false;
  for (char c : text) {
    bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (blank) {
      space = !flat.empty();
      continue;
    }
    if (space) {
      flat += ' ';
      space = false;
    }
    if (flat.size() >= max) {
      return flat + "...";
    }
    flat += c;
  }
  return flat;
}

}  // namespace runbook::lint
