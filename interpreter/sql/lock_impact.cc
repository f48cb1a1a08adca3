#include "sql/lock_impact.h"

#include "sql/lock_rules.h"
#include "sql/parse_node.h"

#include <algorithm>
#include <iterator>

namespace runbook::sql {

namespace {

int strength(Answer a) {
  switch (a) {
    case Answer::yes:
      return 2;
    case Answer::depends:
      return 1;
    case Answer::no:
      break;
  }
  return 0;
}

void add_unique(std::vector<std::string>& list, std::string text) {
  if (std::find(list.begin(), list.end(), text) == list.end()) {
    list.push_back(std::move(text));
  }
}

std::string join_words(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += i + 1 == items.size() ? " and " : ", ";
    }
    out += items[i];
  }
  return out;
}

bool plain(const RelationLock& l) {
  return !l.created && l.condition.empty();
}

// "SHARE ROW EXCLUSIVE on t and p (blocks writes)", "creates index i", ...
// A conditional lock that blocks nothing is left to the details: in one
// line it would only make readers wonder.
std::vector<std::string> lock_phrases(const std::vector<RelationLock>& locks) {
  std::vector<std::string> phrases;
  for (std::size_t i = 0; i < locks.size(); ++i) {
    const RelationLock& l = locks[i];
    if (!l.condition.empty() && l.blocks() == Blocks::nothing) {
      continue;
    }
    if (l.created) {
      std::string what = l.relation.empty()
                             ? l.described
                             : std::string(relation_kind_words(l.kind)) + " " + l.relation.sql();
      phrases.push_back("creates " + what);
      continue;
    }
    std::vector<std::string> targets = {l.target()};
    while (plain(l) && i + 1 < locks.size() && plain(locks[i + 1]) && locks[i + 1].mode == l.mode) {
      targets.push_back(locks[++i].target());
    }
    std::string phrase = std::string(lock_mode_name(l.mode)) + " on " + join_words(targets);
    if (!l.condition.empty()) {
      phrase += " " + l.condition;
    }
    phrase += " (" + std::string(blocks_words(l.blocks())) + ")";
    phrases.push_back(std::move(phrase));
  }
  return phrases;
}

std::string with_reason(std::string words, const std::string& reason) {
  return reason.empty() ? words : words + " (" + reason + ")";
}

// "rewrites t (...)", "scans t (...)", "may rewrite t (depends ...)".
std::vector<std::string> effect_phrases(const std::vector<RelationLock>& locks) {
  std::vector<std::string> phrases;
  for (const RelationLock& l : locks) {
    std::string name = l.target();
    if (l.rewrite.answer == Answer::yes) {
      phrases.push_back(with_reason("rewrites " + name, l.rewrite.reason));
    } else if (l.rewrite.answer == Answer::depends) {
      phrases.push_back(with_reason("may rewrite " + name, l.rewrite.reason));
    } else if (l.scan.answer == Answer::yes) {
      phrases.push_back(with_reason("scans " + name, l.scan.reason));
    } else if (l.scan.answer == Answer::depends) {
      phrases.push_back(with_reason("may scan " + name, l.scan.reason));
    }
  }
  return phrases;
}

std::string make_summary(const LockImpact& impact) {
  if (!impact.known) {
    return "not analysed: " + (impact.notes.empty() ? std::string() : impact.notes.front());
  }
  if (impact.locks.empty()) {
    return "no table locks";
  }
  std::vector<std::string> effects = effect_phrases(impact.locks);
  std::string tail = effects.empty() ? "instant, no rewrite" : join_words(effects);
  std::string head;
  for (const std::string& p : lock_phrases(impact.locks)) {
    head += head.empty() ? p : ", " + p;
  }
  return head + " — " + tail;
}

using Handler = void (*)(const Node& s, LockSet& out);

struct Route {
  std::string_view node;
  Handler handler;
};

constexpr Route kRoutes[] = {
    {"AlterTableStmt", analyse_alter_table},
    {"ExplainStmt", analyse_explain},
    {"CopyStmt", analyse_copy},
    {"CreateStmt", analyse_create_table},
    {"CreateTableAsStmt", analyse_create_table_as},
    {"ViewStmt", analyse_create_view},
    {"IndexStmt", analyse_create_index},
    {"DropStmt", analyse_drop},
    {"ReindexStmt", analyse_reindex},
    {"RenameStmt", analyse_rename},
    {"TruncateStmt", analyse_truncate},
    {"LockStmt", analyse_lock},
};

void analyse(const Node& stmt, LockSet& out) {
  std::string_view node = stmt.type();
  const Node& s = stmt.body();
  for (const Route& r : kRoutes) {
    if (r.node == node) {
      r.handler(s, out);
      return;
    }
  }
  if (node == "SelectStmt" || node == "InsertStmt" || node == "UpdateStmt" ||
      node == "DeleteStmt" || node == "MergeStmt") {
    analyse_query(stmt, out);
  } else if (node == "DeclareCursorStmt" || node == "PrepareStmt") {
    analyse_query(s["query"], out);
  } else if (node == "CreateForeignTableStmt") {
    analyse_create_table(s["base"], out);
  } else if (node == "VacuumStmt" || node == "ClusterStmt") {
    analyse_maintenance(node, s, out);
  } else if (node == "DoStmt") {
    out.unknown("a DO block runs code the parser cannot see");
  } else if (node == "CallStmt") {
    out.unknown("a procedure runs code the parser cannot see");
  } else if (node == "ExecuteStmt") {
    out.unknown("EXECUTE runs a prepared statement the parser cannot see here");
  } else {
    analyse_object_ddl(node, s, out);
  }
}

}  // namespace

RelationLock& LockSet::lock(const RelationName& relation, LockMode mode, RelationKind kind) {
  for (RelationLock& l : locks_) {
    if (!l.relation.empty() && l.relation == relation) {
      l.mode = std::max(l.mode, mode);
      return l;
    }
  }
  RelationLock l;
  l.relation = relation;
  l.kind = kind;
  l.mode = mode;
  locks_.push_back(std::move(l));
  return locks_.back();
}

RelationLock& LockSet::create(const RelationName& relation, RelationKind kind) {
  RelationLock& l = lock(relation, LockMode::access_exclusive, kind);
  l.created = true;
  return l;
}

RelationLock& LockSet::implied(std::string described, LockMode mode, RelationKind kind) {
  for (RelationLock& l : locks_) {
    if (l.relation.empty() && l.described == described) {
      l.mode = std::max(l.mode, mode);
      return l;
    }
  }
  RelationLock l;
  l.described = std::move(described);
  l.kind = kind;
  l.mode = mode;
  locks_.push_back(std::move(l));
  return locks_.back();
}

void LockSet::note(std::string text) {
  add_unique(notes_, std::move(text));
}

void LockSet::unknown(std::string why) {
  known_ = false;
  note(std::move(why));
}

void LockSet::planning_only() {
  // Conditional locks (foreign key checks) come from running the statement.
  std::erase_if(locks_, [](const RelationLock& l) { return !l.condition.empty(); });
  for (RelationLock& l : locks_) {
    l.rewrite = Effect{};
    l.scan = Effect{};
    l.notes.clear();
  }
  notes_.clear();
}

LockImpact LockSet::finish() {
  for (RelationLock& l : locks_) {
    // A rewrite reads every row of a table; a rewrite that depends may read
    // them too. (An index is rebuilt from its table: the table is scanned.)
    if (l.kind != RelationKind::index && l.rewrite.answer != Answer::no &&
        l.scan.answer == Answer::no) {
      l.scan = l.rewrite.answer == Answer::yes ? yes("reads every row to rewrite them") : l.rewrite;
    }
    std::vector<std::string> notes;
    for (std::string& n : l.notes) {
      add_unique(notes, std::move(n));
    }
    l.notes = std::move(notes);
  }
  LockImpact impact;
  impact.known = known_;
  if (known_) {
    impact.locks.assign(std::make_move_iterator(locks_.begin()),
                        std::make_move_iterator(locks_.end()));
  }
  impact.notes = std::move(notes_);
  impact.summary = make_summary(impact);
  return impact;
}

Effect yes(std::string why) {
  return Effect{Answer::yes, std::move(why)};
}
Effect depends(std::string on) {
  return Effect{Answer::depends, std::move(on)};
}

Effect stronger(const Effect& a, const Effect& b) {
  return strength(b.answer) > strength(a.answer) ? b : a;
}

RelationKind kind_of_object(std::string_view objtype) {
  if (objtype == "OBJECT_INDEX") {
    return RelationKind::index;
  }
  if (objtype == "OBJECT_SEQUENCE") {
    return RelationKind::sequence;
  }
  if (objtype == "OBJECT_VIEW") {
    return RelationKind::view;
  }
  if (objtype == "OBJECT_MATVIEW") {
    return RelationKind::materialized_view;
  }
  if (objtype == "OBJECT_TABLE" || objtype == "OBJECT_FOREIGN_TABLE") {
    return RelationKind::table;
  }
  return RelationKind::relation;
}

std::string RelationLock::target() const {
  return relation.empty() ? described : relation.sql();
}

std::optional<LockMode> LockImpact::strongest() const {
  std::optional<LockMode> best;
  for (const RelationLock& l : locks) {
    if (plain(l) && (!best || l.mode > *best)) {
      best = l.mode;
    }
  }
  return best;
}

const RelationLock* LockImpact::find(const RelationName& relation) const {
  for (const RelationLock& l : locks) {
    if (!l.relation.empty() && l.relation == relation) {
      return &l;
    }
  }
  return nullptr;
}

bool LockImpact::rewrites() const {
  return std::any_of(locks.begin(), locks.end(),
                     [](const RelationLock& l) { return l.rewrite.answer == Answer::yes; });
}

bool LockImpact::scans() const {
  return std::any_of(locks.begin(), locks.end(), [](const RelationLock& l) {
    return l.scan.answer == Answer::yes || l.rewrite.answer == Answer::yes;
  });
}

LockImpact analyze_locks(const Statement& statement) {
  LockSet out;
  if (statement.tree != nullptr) {
    analyse(*statement.tree, out);
  }
  return out.finish();
}

std::string_view answer_words(Answer a) {
  switch (a) {
    case Answer::yes:
      return "yes";
    case Answer::depends:
      return "depends";
    case Answer::no:
      break;
  }
  return "no";
}

std::string_view relation_kind_words(RelationKind k) {
  switch (k) {
    case RelationKind::table:
      return "table";
    case RelationKind::index:
      return "index";
    case RelationKind::sequence:
      return "sequence";
    case RelationKind::view:
      return "view";
    case RelationKind::materialized_view:
      return "materialized view";
    case RelationKind::relation:
      break;
  }
  return "relation";
}

}  // namespace runbook::sql
