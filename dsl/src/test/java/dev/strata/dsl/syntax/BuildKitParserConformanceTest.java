package dev.strata.dsl.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.dsl.ConformanceCorpus;
import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.Warning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * BuildKit's own parser tests, run against Strata's syntax layer: the {@code testfiles} dumps byte
 * for byte, the negative cases, the line-number fixture, and the parser-level expectations
 * transcribed in {@code extracted/}.
 */
class BuildKitParserConformanceTest {

  @TestFactory
  Stream<DynamicTest> everyPositiveCaseDumpsExactlyAsBuildKit() throws IOException {
    return eachCase(
        "parser/testfiles",
        33,
        dir -> {
          byte[] dockerfile = Files.readAllBytes(dir.resolve("Dockerfile"));
          String expected = Files.readString(dir.resolve("result"), StandardCharsets.UTF_8);
          assertThat(SyntaxParser.parse(dockerfile, "Dockerfile").dump()).isEqualTo(expected);
        });
  }

  @TestFactory
  Stream<DynamicTest> everyNegativeCaseFails() throws IOException {
    return eachCase(
        "parser/testfiles-negative",
        4,
        dir -> {
          byte[] dockerfile = Files.readAllBytes(dir.resolve("Dockerfile"));
          assertThatThrownBy(() -> SyntaxParser.parse(dockerfile, "Dockerfile"))
              .isInstanceOf(ContainerfileException.class);
        });
  }

  /** One named test per case folder of {@code set}, after checking the corpus has them all. */
  private static Stream<DynamicTest> eachCase(String set, int count, CaseCheck check)
      throws IOException {
    List<Path> dirs = sorted(ConformanceCorpus.root().resolve(set));
    assertThat(dirs).hasSize(count);
    return dirs.stream()
        .map(dir -> dynamicTest(dir.getFileName().toString(), () -> check.run(dir)));
  }

  private interface CaseCheck {
    void run(Path dir) throws Exception;
  }

  @Test
  void lineNumberFixtureGivesBuildKitsSpans() throws IOException {
    byte[] dockerfile =
        Files.readAllBytes(ConformanceCorpus.root().resolve("parser/testfile-line/Dockerfile"));
    Node root = SyntaxParser.parse(dockerfile, "Dockerfile").root();
    assertThat(List.of(root.startLine(), root.endLine())).containsExactly(5, 31);
    assertThat(root.children())
        .extracting(c -> List.of(c.startLine(), c.endLine()))
        .containsExactly(List.of(5, 5), List.of(11, 12), List.of(17, 31));
  }

  @Test
  void extractedLineNumbersMatch() {
    JsonNode c = ConformanceCorpus.extracted("parser-unit-cases.json").get("line_numbers");
    Node root = SyntaxParser.parse(c.get("dockerfile").asText(), null).root();
    assertThat(List.of(root.startLine(), root.endLine()))
        .containsExactly(c.get("root").get(0).asInt(), c.get("root").get(1).asInt());
    List<List<Integer>> expected = new ArrayList<>();
    c.get("children")
        .forEach(span -> expected.add(List.of(span.get(0).asInt(), span.get(1).asInt())));
    assertThat(root.children())
        .extracting(n -> List.of(n.startLine(), n.endLine()))
        .containsExactlyElementsOf(expected);
  }

  @TestFactory
  Stream<DynamicTest> parseWordsKeepsQuotesAndEscapes() {
    JsonNode cases = ConformanceCorpus.extracted("parser-unit-cases.json").get("parse_words");
    return stream(cases)
        .map(
            c ->
                dynamicTest(
                    c.get("input").asText(),
                    () ->
                        assertThat(ArgumentForms.parseWords(c.get("input").asText(), '\\'))
                            .containsExactlyElementsOf(strings(c.get("expect")))));
  }

  @TestFactory
  Stream<DynamicTest> validJsonArraysAreExecForm() {
    JsonNode cases = ConformanceCorpus.extracted("parser-unit-cases.json").get("json_arrays_valid");
    return stream(cases)
        .map(
            c ->
                dynamicTest(
                    c.get("input").asText(),
                    () ->
                        assertThat(ExecForm.parse(c.get("input").asText()))
                            .hasValue(strings(c.get("expect")))));
  }

  @TestFactory
  Stream<DynamicTest> jsonArraysWithNonStringsAreHardErrors() {
    JsonNode cases =
        ConformanceCorpus.extracted("parser-unit-cases.json").get("json_arrays_not_string");
    return stream(cases)
        .map(
            c ->
                dynamicTest(
                    c.asText(),
                    () ->
                        assertThatThrownBy(() -> ExecForm.parse(c.asText()))
                            .isInstanceOf(ContainerfileException.class)
                            .hasMessage(ExecForm.NOT_STRING_ARRAY)));
  }

  @TestFactory
  Stream<DynamicTest> nameValueFormsGiveBuildKitsTriples() {
    JsonNode cases = ConformanceCorpus.extracted("parser-unit-cases.json").get("name_val");
    return stream(cases)
        .map(
            c ->
                dynamicTest(
                    c.get("input").asText(),
                    () -> {
                      String input = c.get("input").asText();
                      String key = c.get("key").asText();
                      if (c.has("error")) {
                        assertThatThrownBy(() -> ArgumentForms.nameValue(input, key, '\\'))
                            .hasMessage(c.get("error").asText());
                      } else {
                        assertThat(ArgumentForms.nameValue(input, key, '\\').args())
                            .extracting(Node::value)
                            .containsExactlyElementsOf(strings(c.get("nodes")));
                      }
                    }));
  }

  @Test
  void emptyContinuationLinesWarnAsBuildKit() {
    JsonNode c = ConformanceCorpus.extracted("parser-unit-cases.json").get("warnings");
    List<Warning> warnings = SyntaxParser.parse(c.get("dockerfile").asText(), null).warnings();
    assertThat(warnings).hasSize(c.get("count").asInt());
    for (int i = 0; i < warnings.size(); i++) {
      for (JsonNode fragment : c.get("contains").get(i)) {
        assertThat(warnings.get(i).message()).contains(fragment.asText());
      }
    }
    assertThat(warnings).allMatch(w -> w.rule().equals("NoEmptyContinuation"));
  }

  @Test
  void lineLongerThanTheScannerLimitFails() {
    JsonNode c = ConformanceCorpus.extracted("parser-unit-cases.json").get("scanner_error");
    assertThatThrownBy(() -> SyntaxParser.parse(c.get("dockerfile").asText(), null))
        .isInstanceOf(ContainerfileException.class)
        .extracting(e -> ((ContainerfileException) e).reason())
        .isEqualTo(c.get("error").asText());
  }

  @TestFactory
  Stream<DynamicTest> directivesAreDetectedAsBuildKit() {
    JsonNode cases = ConformanceCorpus.extracted("parser-unit-cases.json").get("directives");
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (JsonNode c : cases) {
      String fn = c.get("fn").asText();
      String input = c.get("input").asText();
      tests.add(
          dynamicTest(
              (i++) + " " + fn + " " + input.replace("\n", "⏎"),
              () -> {
                switch (fn) {
                  case "DirectiveParser.ParseAll" -> {
                    List<List<String>> expected = new ArrayList<>();
                    c.get("directives").forEach(d -> expected.add(strings(d)));
                    assertThat(SyntaxParser.parse(input + "FROM scratch\n", null).directives())
                        .extracting(d -> List.of(d.name(), d.value()))
                        .containsExactlyElementsOf(expected);
                  }
                  case "DetectSyntax", "ParseDirective(check)" -> {
                    var found =
                        fn.equals("DetectSyntax")
                            ? DirectiveParser.detectSyntax(input)
                            : DirectiveParser.detect("check", input, false);
                    assertThat(found.isPresent()).isEqualTo(c.get("ok").asBoolean());
                    if (c.get("ok").asBoolean()) {
                      assertThat(found.get().reference()).isEqualTo(c.get("ref").asText());
                      if (c.has("cmdline")) {
                        assertThat(found.get().commandLine()).isEqualTo(c.get("cmdline").asText());
                      }
                      if (c.has("line")) {
                        assertThat(found.get().line()).isEqualTo(c.get("line").asInt());
                      }
                    }
                  }
                  default -> throw new AssertionError("unknown case kind " + fn);
                }
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> heredocsAreReadAsBuildKit() {
    JsonNode file = ConformanceCorpus.extracted("heredoc-parser-cases.json");
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (JsonNode c : file.get("cases")) {
      String dockerfile = c.get("dockerfile").asText();
      JsonNode expected = c.get("children_heredocs");
      List<Node> children = SyntaxParser.parse(dockerfile, null).root().children();
      for (int i = 0; i < expected.size(); i++) {
        int child = i;
        tests.add(
            dynamicTest(
                "case " + n + " child " + i,
                () -> {
                  assertThat(children).hasSize(expected.size());
                  JsonNode want = expected.get(child);
                  List<Heredoc> got = children.get(child).heredocs();
                  if (want.isNull()) {
                    assertThat(got).isEmpty();
                    return;
                  }
                  List<Heredoc> wanted = new ArrayList<>();
                  want.forEach(
                      h ->
                          wanted.add(
                              new Heredoc(
                                  h.get("Name").asText(),
                                  h.get("FileDescriptor").asInt(),
                                  h.get("Expand").asBoolean(),
                                  h.get("Chomp").asBoolean(),
                                  h.get("Content").asText())));
                  assertThat(got).containsExactlyElementsOf(wanted);
                }));
      }
      n++;
    }
    for (JsonNode c : file.get("parse_heredoc_word")) {
      String word = c.get("input").asText();
      String want = c.get("expect").asText();
      tests.add(
          dynamicTest(
              "word " + word + " -> " + want,
              () -> {
                switch (want) {
                  case "error" ->
                      assertThatThrownBy(() -> HeredocMarkers.parse(word))
                          .isInstanceOf(ContainerfileException.class);
                  case "nil" -> assertThat(HeredocMarkers.parse(word)).isEmpty();
                  default ->
                      assertThat(HeredocMarkers.parse(word))
                          .get()
                          .extracting(Heredoc::name)
                          .isEqualTo(want);
                }
              }));
    }
    for (JsonNode c : file.get("heredocs_from_line")) {
      String line = c.get("line").asText();
      List<String> names = strings(c.get("names"));
      tests.add(
          dynamicTest(
              "line " + line,
              () -> {
                // Upstream checks that the names found are a prefix of the listed ones.
                List<String> found =
                    HeredocMarkers.fromLine(line).stream().map(Heredoc::name).toList();
                assertThat(names.subList(0, Math.min(found.size(), names.size()))).isEqualTo(found);
                if (!c.has("note")) {
                  assertThat(found).isEqualTo(names);
                }
              }));
    }
    return tests.stream();
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).sorted().toList();
    }
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> all = new ArrayList<>();
    array.forEach(all::add);
    return all.stream();
  }

  private static List<String> strings(JsonNode array) {
    List<String> all = new ArrayList<>();
    array.forEach(v -> all.add(v.asText()));
    return all;
  }
}
