package dev.strata.dsl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.dsl.ConformanceCorpus;
import dev.strata.dsl.GoText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * BuildKit's own expectations for {@code shell/lex.go}, read from the conformance corpus as the Go
 * tests read them (see FORMAT.md §5-7). One dynamic test per row.
 */
class ShellConformanceTest {
  private static final ShellLexer LEXER = new ShellLexer('\\');
  private static final ShellEnv ENV_VAR_TEST_ENV =
      ShellEnv.of(Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", ""));

  /** {@code TestShellParser4EnvVars}: every row for all platforms (A) and Unix (U). */
  @TestFactory
  Stream<DynamicTest> envVarTest() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    List<String> lines = goLines(ConformanceCorpus.root().resolve("shell/envVarTest"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      line = GoText.trimSpace(line);
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\|", -1);
      assertThat(fields).as("envVarTest line %d", i + 1).hasSize(3);
      String platform = GoText.trimSpace(fields[0]);
      String source = GoText.trimSpace(fields[1]);
      String expected = GoText.trimSpace(fields[2]);
      if (!platform.equals("A") && !platform.equals("U")) {
        continue;
      }
      tests.add(
          dynamicTest(
              "line " + (i + 1) + ": " + source + " -> " + expected,
              () -> {
                if (expected.equals("error")) {
                  assertThatThrownBy(() -> LEXER.processWord(source, ENV_VAR_TEST_ENV))
                      .isInstanceOf(ExpansionException.class)
                      .hasMessageStartingWith("failed to process " + GoText.quote(source) + ": ");
                } else {
                  assertThat(LEXER.processWord(source, ENV_VAR_TEST_ENV)).isEqualTo(expected);
                }
              }));
    }
    assertThat(tests).as("Unix rows of envVarTest").hasSize(228);
    return tests.stream();
  }

  /**
   * {@code TestShellParser4Words}, normal mode only (upstream's second mode never runs; FORMAT.md
   * §6). ENV lines accumulate; each row sees the variables defined above it.
   */
  @TestFactory
  Stream<DynamicTest> wordsTest() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    Map<String, String> envs = new LinkedHashMap<>();
    List<String> lines = goLines(ConformanceCorpus.root().resolve("shell/wordsTest"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("ENV ")) {
        String entry = line.substring(3).replaceFirst("^ +", "");
        int eq = entry.indexOf('=');
        envs.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
        continue;
      }
      String[] fields = line.split("\\|", -1);
      assertThat(fields).as("wordsTest line %d", i + 1).hasSize(2);
      String input = GoText.trimSpace(fields[0]);
      List<String> expected = Arrays.asList(fields[1].replaceFirst("^ +", "").split(",", -1));
      ShellEnv env = ShellEnv.of(envs);
      tests.add(
          dynamicTest(
              "line " + (i + 1) + ": " + input + " -> " + expected,
              () -> {
                if (expected.equals(List.of("error"))) {
                  assertThatThrownBy(() -> LEXER.processWords(input, env))
                      .isInstanceOf(ExpansionException.class);
                } else {
                  assertThat(LEXER.processWords(input, env)).isEqualTo(expected);
                }
              }));
    }
    assertThat(tests).as("rows of wordsTest").hasSize(24);
    return tests.stream();
  }

  /**
   * {@code TestProcessWithMatches} and friends: result, and the matched/unmatched name sets where
   * upstream asserts them. For error cases upstream also checks the names looked up before the
   * error; our API throws instead of returning them, so those are not checked.
   */
  @TestFactory
  Stream<DynamicTest> processWordWithMatches() throws IOException {
    JsonNode cases = lexCases().get("cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      String input = c.get("input").asText();
      Map<String, String> vars = new LinkedHashMap<>();
      c.get("env").properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
      ShellEnv env = ShellEnv.of(vars);
      tests.add(
          dynamicTest(
              "case " + i + ": " + input + " " + vars,
              () -> {
                if (c.path("error").asBoolean(false)) {
                  var thrown =
                      assertThatThrownBy(() -> LEXER.processWordWithMatches(input, env))
                          .isInstanceOf(ExpansionException.class);
                  String note = c.path("note").asText("");
                  String prefix = "error message contains \"";
                  if (note.startsWith(prefix)) {
                    thrown.hasMessageContaining(note.substring(prefix.length(), note.length() - 1));
                  }
                  return;
                }
                Expansion expansion = LEXER.processWordWithMatches(input, env);
                assertThat(expansion.result()).isEqualTo(c.get("result").asText());
                if (c.has("matched")) {
                  assertThat(expansion.matched())
                      .containsExactlyInAnyOrderElementsOf(strings(c.get("matched")));
                }
                if (c.has("unmatched")) {
                  assertThat(expansion.unmatched())
                      .containsExactlyInAnyOrderElementsOf(strings(c.get("unmatched")));
                }
              }));
    }
    assertThat(tests).as("cases of lex-process-word-cases.json").hasSize(56);
    return tests.stream();
  }

  /**
   * {@code TestConvertShellPatternToRegex}: our conversion builds Go's regular expression source
   * text, so the table applies as is.
   */
  @TestFactory
  Stream<DynamicTest> patternToRegex() throws IOException {
    JsonNode table = lexCases().get("pattern_to_regex");
    List<DynamicTest> tests = new ArrayList<>();
    table
        .get("valid")
        .properties()
        .forEach(
            e ->
                tests.add(
                    dynamicTest(
                        "valid " + e.getKey(),
                        () ->
                            assertThat(ShellPattern.toRegexSource(e.getKey(), true, true))
                                .isEqualTo(e.getValue().asText()))));
    for (JsonNode invalid : table.get("invalid")) {
      tests.add(
          dynamicTest(
              "invalid " + invalid.asText(),
              () ->
                  assertThatThrownBy(() -> ShellPattern.toRegexSource(invalid.asText(), true, true))
                      .isInstanceOf(ExpansionException.class)
                      .hasMessageStartingWith("invalid escape '\\")));
    }
    return tests.stream();
  }

  /** {@code TestReversePattern}. */
  @TestFactory
  Stream<DynamicTest> reversePattern() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    lexCases()
        .get("reverse_pattern")
        .properties()
        .forEach(
            e ->
                tests.add(
                    dynamicTest(
                        e.getKey() + " -> " + e.getValue().asText(),
                        () ->
                            assertThat(ShellPattern.reversePattern(e.getKey()))
                                .isEqualTo(e.getValue().asText()))));
    return tests.stream();
  }

  private static JsonNode lexCases() throws IOException {
    Path file = ConformanceCorpus.root().resolve("extracted/lex-process-word-cases.json");
    return new ObjectMapper().readTree(file.toFile());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Lines as Go's {@code bufio.Scanner} yields them: split on LF, one trailing CR dropped. */
  private static List<String> goLines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    lines.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
    return lines;
  }
}
