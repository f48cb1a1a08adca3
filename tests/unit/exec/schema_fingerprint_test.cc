#include "exec/schema_fingerprint.h"

#include <doctest/doctest.h>

using runbook::exec::compare_catalogs;
using runbook::exec::describe_difference;
using runbook::exec::SchemaCatalog;

TEST_SUITE("exec::schema_fingerprint") {
  TEST_CASE("equal catalogs have equal fingerprints and no difference") {
    SchemaCatalog a{{"index x", "relation t"}};
    SchemaCatalog b{{"index x", "relation t"}};
    CHECK(a.fingerprint() == b.fingerprint());
    CHECK(a.fingerprint().size() == 64);
    CHECK(compare_catalogs(a, b).empty());
    CHECK(describe_difference(compare_catalogs(a, b)).empty());
  }

  TEST_CASE("one more object changes the fingerprint and shows as added") {
    SchemaCatalog before{{"relation public.t kind r"}};
    SchemaCatalog after{{"index CREATE INDEX i ON public.t USING btree (a) valid t ready t",
                         "relation public.t kind r"}};
    CHECK(before.fingerprint() != after.fingerprint());
    auto diff = compare_catalogs(before, after);
    CHECK(diff.gone.empty());
    REQUIRE(diff.added.size() == 1);
    CHECK(describe_difference(diff) ==
          std::vector<std::string>{
              "+ index CREATE INDEX i ON public.t USING btree (a) valid t ready t"});
  }

  TEST_CASE("a changed line shows as gone and added") {
    SchemaCatalog before{{"constraint public.t.c CHECK ((a > 0)) validated true"}};
    SchemaCatalog after{{"constraint public.t.c CHECK ((a > 0)) validated false"}};
    CHECK(describe_difference(compare_catalogs(before, after)) ==
          std::vector<std::string>{"- constraint public.t.c CHECK ((a > 0)) validated true",
                                   "+ constraint public.t.c CHECK ((a > 0)) validated false"});
  }

  TEST_CASE("a long difference is cut, saying how much is left out") {
    SchemaCatalog before;
    SchemaCatalog after{{"a", "b", "c", "d", "e"}};
    auto lines = describe_difference(compare_catalogs(before, after), 2);
    CHECK(lines == std::vector<std::string>{"+ a", "+ b", "... and 3 more"});
  }

  TEST_CASE("lines joined differently are different catalogs") {
    // ["ab"] and ["a", "b"] must not collide.
    CHECK(SchemaCatalog{{"ab"}}.fingerprint() != SchemaCatalog{{"a", "b"}}.fingerprint());
  }
}
