package dev.strata.dsl.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * moby/patternmatcher's own unit-test tables (Apache-2.0, commit
 * 1d6a3f429bf0541b7f69372adecc787fabc0c701), transcribed into {@code src/test/resources}: the
 * behaviour BuildKit's context filtering is held to, held against Strata.
 */
class PatternMatcherConformanceTest {

  static Stream<Arguments> matchesTable() throws IOException {
    return table("patternmatcher-matches.tsv");
  }

  static Stream<Arguments> matchTable() throws IOException {
    return table("patternmatcher-match.tsv");
  }

  @ParameterizedTest(name = "TestMatches/MatchesOrParentMatches: {0} vs {1} is {2}")
  @MethodSource("matchesTable")
  void excludesWhenThePatternMatchesThePathOrAParent(String pattern, String path, String pass) {
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", pattern);

    assertThat(rules.excludes(path)).isEqualTo(!pass.equals("fail"));
  }

  @ParameterizedTest(name = "TestMatches/MatchesExact: {0} vs {1} is {2}")
  @MethodSource("matchesTable")
  void matchesThePathItselfOnlyWhenExact(String pattern, String path, String pass) {
    CompiledPattern compiled = IgnoreFileReader.read(".dockerignore", pattern).get(0);

    assertThat(compiled.matches(path)).isEqualTo(pass.equals("exact"));
  }

  @ParameterizedTest(name = "TestMatch: {0} vs {1} is {2}")
  @MethodSource("matchTable")
  void followsFilepathMatchSyntaxAndResults(String pattern, String path, String expected) {
    if (expected.equals("error")) {
      assertThatThrownBy(() -> IgnoreRules.parse(".dockerignore", pattern))
          .isInstanceOf(ContainerfileException.class)
          .hasMessageContaining("syntax error in pattern");
    } else {
      assertThat(IgnoreRules.parse(".dockerignore", pattern).excludes(path))
          .isEqualTo(Boolean.parseBoolean(expected));
    }
  }

  @ParameterizedTest(name = "TestMatches multi-pattern: {0} vs {1} is {2}")
  @MethodSource("multiPatternTable")
  void appliesPatternsInOrder(List<String> patterns, String path, boolean excluded) {
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", String.join("\n", patterns));

    assertThat(rules.excludes(path)).isEqualTo(excluded);
  }

  // TestMatches "multiPatternTests", same upstream commit.
  static Stream<Arguments> multiPatternTable() {
    String wheel = "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl";
    return Stream.of(
        Arguments.of(List.of("**", "!util/docker/web"), "util/docker/web/foo", false),
        Arguments.of(
            List.of("**", "!util/docker/web", "util/docker/web/foo"), "util/docker/web/foo", true),
        Arguments.of(List.of("**", "!" + wheel), wheel, false),
        Arguments.of(List.of("**", "!dist/*.whl"), wheel, false));
  }

  private static Stream<Arguments> table(String resource) throws IOException {
    try (InputStream in = PatternMatcherConformanceTest.class.getResourceAsStream(resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text
          .lines()
          .filter(line -> !line.startsWith("#") && !line.isBlank())
          .map(line -> line.split("\t", -1))
          .map(cols -> Arguments.of(cols[0], cols[1], cols[2]))
          .toList()
          .stream();
    }
  }
}
