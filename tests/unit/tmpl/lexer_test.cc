#include "tmpl/lexer.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;

namespace {

// "kind:begin-end" for each chunk, markers as + (trim) after the kind.
std::string chunks_of(const std::string& text, std::string* errors = nullptr) {
  SourceText src{text, TextOrigin::block("f.yaml", 1, 0)};
  Diagnostics diags;
  ErrorSink sink(src, diags);
  std::string out;
  for (const Chunk& c : split_template(text, sink)) {
    const char* kind = c.kind == ChunkKind::text        ? "T"
                       : c.kind == ChunkKind::output    ? "O"
                       : c.kind == ChunkKind::statement ? "S"
                                                        : "C";
    out += std::string(out.empty() ? "" : " ") + kind + (c.trim_before ? "<" : "") +
           (c.trim_after ? ">" : "") + "[" +
           text.substr(c.inner_begin, c.inner_end - c.inner_begin) + "]";
  }
  if (errors != nullptr) {
    for (const Diagnostic& d : diags.all()) {
      *errors += d.where.str() + " " + d.message + ";";
    }
  }
  return out;
}

std::string tokens_of(const std::string& text) {
  std::string out;
  for (const Token& t : lex_expression(text, 0, text.size())) {
    out += std::to_string(static_cast<int>(t.kind)) + ":" + std::string(t.text) + " ";
  }
  return out;
}

}  // namespace

TEST_SUITE("tmpl::lexer") {
  TEST_CASE("splits text and tags") {
    CHECK(chunks_of("a {{ x }} b {% if y %}c{# n #}") ==
          "T[a ] O[ x ] T[ b ] S[ if y ] T[c] C[ n ]");
    CHECK(chunks_of("") == "");
    CHECK(chunks_of("plain") == "T[plain]");
    CHECK(chunks_of("{ {x} }") == "T[{ {x} }]");
  }

  TEST_CASE("whitespace markers") {
    CHECK(chunks_of("{{- x -}}") == "O<>[ x ]");
    CHECK(chunks_of("{%- if x %}") == "S<[ if x ]");
  }

  TEST_CASE("quotes inside a tag are honoured") {
    CHECK(chunks_of("{{ '}}' }}") == "O[ '}}' ]");
    CHECK(chunks_of("{{ \"%}\" }}x") == "O[ \"%}\" ] T[x]");
  }

  TEST_CASE("an unclosed string still closes its tag") {
    CHECK(chunks_of("{{ 'abc }} d") == "O[ 'abc ] T[ d]");
  }

  TEST_CASE("an unclosed tag is reported where it opens") {
    std::string errors;
    CHECK(chunks_of("ab\n  {{ x", &errors) == "");
    CHECK(errors == "f.yaml:2:3 unclosed {{;");
    errors.clear();
    chunks_of("{# note", &errors);
    CHECK(errors == "f.yaml:1:1 unclosed {#;");
  }

  TEST_CASE("tokens of an expression") {
    CHECK(tokens_of("a.b[0]") == "1:a 12:. 1:b 9:[ 2:0 10:] 0: ");
    CHECK(tokens_of("1.5 'x' \"y\"") == "3:1.5 4:'x' 4:\"y\" 0: ");
    CHECK(tokens_of("== != <= >= < > = ~ |") ==
          "20:== 21:!= 23:<= 25:>= 22:< 24:> 26:= 14:~ 13:| 0: ");
    CHECK(tokens_of("'open") == "5:'open 0: ");
    CHECK(tokens_of("@") == "6:@ 0: ");
    CHECK(tokens_of("1.") == "2:1 12:. 0: ");
  }

  TEST_CASE("raw blocks keep their text") {
    CHECK(chunks_of("a{% raw %}'{{1,2}}' {% x %}{%- endraw -%}b") ==
          "T[a] C[ raw ] T['{{1,2}}' {% x %}] C<>[ endraw ] T[b]");
    CHECK(chunks_of("{%raw%}{%endraw%}{% raw %}{% endraw x %}{%+ endraw %}") ==
          "C[raw] C[endraw] C[ raw ] T[{% endraw x %}] C[ endraw ]");
    std::string errors;
    chunks_of("x{% raw %}{{ y }}", &errors);
    CHECK(errors == "f.yaml:1:2 unclosed {% raw %};");
  }

  TEST_CASE("has_tag") {
    CHECK(has_tag("x {{"));
    CHECK(has_tag("{%"));
    CHECK(has_tag("{#"));
    CHECK_FALSE(has_tag("{x{ %} #}"));
  }
}
