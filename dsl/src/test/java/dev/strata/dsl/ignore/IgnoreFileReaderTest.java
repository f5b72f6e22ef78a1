package dev.strata.dsl.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.SourcePosition;
import org.junit.jupiter.api.Test;

/** How the text of an ignore file becomes patterns (ignorefile.ReadAll, patternmatcher.New). */
class IgnoreFileReaderTest {

  @Test
  void readsPatternsAsUpstreamReadAllTestExpects() {
    // ignorefile_test.go TestReadAll (moby/patternmatcher), without its two "!" lines, which
    // patternmatcher.New rejects.
    String content =
        "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n";

    IgnoreRules rules = IgnoreRules.parse(".dockerignore", content);

    assertThat(rules.patterns())
        .containsExactly(
            new IgnorePattern("test1", false, 1),
            new IgnorePattern("test2", false, 2),
            new IgnorePattern("a/file/here", false, 3),
            new IgnorePattern("lastfile", false, 5),
            new IgnorePattern("inverted/abs/path", true, 7));
  }

  @Test
  void commentOnlyWhenHashIsTheFirstCharacter() {
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", "# comment\n  #not-a-comment\n");

    assertThat(rules.patterns()).containsExactly(new IgnorePattern("#not-a-comment", false, 2));
  }

  @Test
  void blankAndWhitespaceOnlyLinesAreSkippedButCounted() {
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", "\n \t\n\u00a0\nfoo  \n");

    assertThat(rules.patterns()).containsExactly(new IgnorePattern("foo", false, 4));
  }

  @Test
  void utf8ByteOrderMarkIsDroppedFromTheFirstLine() {
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", "\uFEFF# comment\n\uFEFFx\n");

    // Only the first line loses its mark; the second keeps it as part of the pattern.
    assertThat(rules.patterns()).containsExactly(new IgnorePattern("\uFEFFx", false, 2));
  }

  @Test
  void carriageReturnLineEndingsAreAccepted() {
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", "a\r\n!b\r\n");

    assertThat(rules.patterns())
        .containsExactly(new IgnorePattern("a", false, 1), new IgnorePattern("b", true, 2));
  }

  @Test
  void invalidPatternIsReportedWithFileAndLine() {
    assertThatThrownBy(() -> IgnoreRules.parse(".containerignore", "ok\n# c\nbad[\n"))
        .isInstanceOfSatisfying(
            ContainerfileException.class,
            e -> {
              assertThat(e.position()).contains(SourcePosition.ofLine(".containerignore", 3));
              assertThat(e.sourceLine()).contains("bad[");
              assertThat(e.reason()).contains("syntax error in pattern");
              assertThat(e.getMessage()).startsWith(".containerignore:3:1: ");
            });
  }

  @Test
  void loneExclamationMarkIsAnError() {
    assertThatThrownBy(() -> IgnoreRules.parse(".dockerignore", "a\n!  \n"))
        .isInstanceOf(ContainerfileException.class)
        .hasMessage(".dockerignore:2:1: illegal exclusion pattern: \"!\"");
  }

  @Test
  void exceptionOfTheRootCleansToALoneExclamationMark() {
    // "!/" is kept by ReadAll, then patternmatcher.New cleans it to "!".
    assertThatThrownBy(() -> IgnoreRules.parse(".dockerignore", "!/"))
        .isInstanceOf(ContainerfileException.class)
        .hasMessageContaining("illegal exclusion pattern");
  }

  @Test
  void escapeThatGoRegexpRejectsIsAnError() {
    // filepath.Match accepts "\e", but the regexp patternmatcher builds from it does not compile.
    assertThatThrownBy(() -> IgnoreRules.parse(".dockerignore", "a*\\e"))
        .isInstanceOf(ContainerfileException.class)
        .hasMessageContaining(".dockerignore:1:1");
  }
}
