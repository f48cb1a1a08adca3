// Steps as a whole: a writing step needs a way back, and where its rollback
// can be read, it should undo what the step does.
#include "lint/rule_kit.h"

namespace runbook::lint {

namespace {

bool writes(const SqlUnit& unit) {
  for (const Analysed& a : unit.statements) {
    if (a.statement->info.writes) {
      return true;
    }
  }
  return false;
}

void missing_rollback(const StepContext& ctx, Reports& out) {
  if (ctx.step.kind != StepKind::sql || ctx.step.step().rollback.declared()) {
    return;
  }
  if (ctx.body != nullptr && !writes(*ctx.body)) {
    return;
  }
  out.push_back({"step \"" + ctx.step.id + "\" writes and declares no rollback"});
}

// What the rollback SQL undoes, gathered once.
struct Undo {
  std::vector<sql::RelationName> dropped;  // DROP TABLE/INDEX/VIEW/SEQUENCE ...
  struct Named {
    sql::RelationName table;
    std::string name;
  };
  std::vector<Named> constraints;  // ALTER TABLE ... DROP CONSTRAINT
  std::vector<Named> columns;      // ALTER TABLE ... DROP COLUMN
  std::vector<sql::RenameFacts> renames;
  bool writes = false;
};

Undo undo_of(const SqlUnit& rollback) {
  Undo u;
  for (const Analysed& a : rollback.statements) {
    const sql::StatementFacts& f = a.facts;
    u.writes |= a.statement->info.writes;
    if (f.drop) {
      u.dropped.insert(u.dropped.end(), f.drop->objects.begin(), f.drop->objects.end());
    }
    for (const sql::AlterCommand& c : f.commands) {
      if (c.subtype == "AT_DropConstraint") {
        u.constraints.push_back({f.relation, c.name});
      } else if (c.subtype == "AT_DropColumn") {
        u.columns.push_back({f.relation, c.name});
      }
    }
    if (f.rename) {
      u.renames.push_back(*f.rename);
    }
  }
  return u;
}

bool drops(const Undo& u, const sql::RelationName& relation) {
  for (const sql::RelationName& d : u.dropped) {
    if (sql::may_be_same(d, relation)) {
      return true;
    }
  }
  return false;
}

// "(it drops x, y)" naming what the rollback does drop instead, or "".
std::string instead(const std::vector<Undo::Named>& items) {
  std::string names;
  for (const Undo::Named& n : items) {
    names += (names.empty() ? "" : ", ") + sql::identifier_sql(n.name) + " of " + name_of(n.table);
  }
  return names.empty() ? "" : " (it drops " + names + ")";
}

void undone_by_name(const std::vector<Undo::Named>& undone, const sql::RelationName& table,
                    const std::string& name, const std::string& what, const Undo& u, Reports& out) {
  if (name.empty() || drops(u, table)) {
    return;
  }
  for (const Undo::Named& n : undone) {
    if (n.name == name && sql::may_be_same(n.table, table)) {
      return;
    }
  }
  out.push_back({"the step adds " + what + " " + sql::identifier_sql(name) + " to " +
                 name_of(table) + " but its rollback does not drop it" + instead(undone)});
}

struct Created {
  sql::RelationName name;
  std::string_view kind;  // "table", "index", ...
};

// Relations the step creates by name: tables, views, sequences, indexes.
std::vector<Created> created(const Analysed& a) {
  const sql::StatementFacts& f = a.facts;
  if (f.index) {
    if (f.index->name.empty()) {
      return {};
    }
    return {{sql::RelationName{f.index->table.schema, f.index->name}, "index"}};
  }
  const std::string& node = a.statement->info.node;
  std::vector<Created> out;
  if (node == "CreateStmt" || node == "CreateTableAsStmt" || node == "ViewStmt" ||
      node == "CreateSeqStmt") {
    for (const sql::RelationLock& l : a.locks.locks) {
      if (l.created && !l.relation.empty()) {
        out.push_back({l.relation, sql::relation_kind_words(l.kind)});
      }
    }
  }
  return out;
}

void check_created(const Analysed& a, const Undo& u, Reports& out) {
  for (const Created& c : created(a)) {
    bool table_dropped = a.facts.index && drops(u, a.facts.index->table);
    if (!drops(u, c.name) && !table_dropped) {
      out.push_back({"the step creates " + std::string(c.kind) + " " + name_of(c.name) +
                     " but its rollback does not drop it"});
    }
  }
}

void check_renamed(const sql::RenameFacts& r, const Undo& u, Reports& out) {
  for (const sql::RenameFacts& back : u.renames) {
    bool relation_back = r.from.empty() && back.from.empty() && back.to == r.relation.name;
    bool part_back = !r.from.empty() && back.from == r.to && back.to == r.from;
    if (relation_back || part_back) {
      return;
    }
  }
  std::string what = r.from.empty() ? name_of(r.relation) : sql::identifier_sql(r.from);
  out.push_back({"the step renames " + what + " to " + sql::identifier_sql(r.to) +
                 " but its rollback does not rename it back"});
}

void check_altered(const sql::StatementFacts& f, const Undo& u, Reports& out) {
  for (const sql::AlterCommand& c : f.commands) {
    if (c.constraint && c.subtype == "AT_AddConstraint") {
      undone_by_name(u.constraints, f.relation, c.constraint->name, "constraint", u, out);
    } else if (c.column && c.subtype == "AT_AddColumn") {
      undone_by_name(u.columns, f.relation, c.column->name, "column", u, out);
    }
  }
}

void rollback_mismatch(const StepContext& ctx, Reports& out) {
  // An empty rollback (a template's optional undo left out) has nothing to compare.
  if (ctx.body == nullptr || ctx.rollback == nullptr || ctx.rollback->statements.empty() ||
      !writes(*ctx.body)) {
    return;
  }
  Undo u = undo_of(*ctx.rollback);
  Reports found;
  if (!u.writes) {
    found.push_back({"the step writes but its rollback only reads: it undoes nothing"});
  }
  for (const Analysed& a : ctx.body->statements) {
    if (!u.writes) {
      break;
    }
    check_created(a, u, found);
    check_altered(a.facts, u, found);
    if (a.facts.rename) {
      check_renamed(*a.facts.rename, u, found);
    }
  }
  const Location& where = ctx.step.step().rollback.where;
  for (Report& r : found) {
    if (where.known()) {
      r.where = where;
    }
    out.push_back(std::move(r));
  }
}

void deferred(const StepContext& ctx, Reports& out) {
  bool body = ctx.step.kind == StepKind::sql && ctx.step.sql.deferred;
  bool rollback = ctx.step.rollback && ctx.step.rollback->deferred;
  if (body || rollback) {
    out.push_back({std::string("the ") + (body ? "step's SQL" : "rollback") +
                   " uses captures, so it is rendered only at run time: lint cannot check it"});
  }
}

}  // namespace

void add_step_rules(std::vector<Rule>& rules) {
  rules.push_back({"missing-rollback", Severity::warning, "a writing step without a rollback",
                   "give the step `rollback:` SQL that undoes it, or `rollback: { irreversible: "
                   "\"why\" }` so the reviewer knows there is no way back",
                   missing_rollback});
  rules.push_back({"rollback-mismatch", Severity::error,
                   "the rollback does not undo what the step does",
                   "make the rollback drop (or rename back) exactly what the step creates, adds "
                   "or renames; say `irreversible: why` when there is nothing to undo",
                   rollback_mismatch});
  rules.push_back({"deferred-sql", Severity::info, "SQL rendered only at run time is not checked",
                   "render from params where you can; captures make SQL depend on the database",
                   deferred});
}

}  // namespace runbook::lint
