package dev.strata.dsl.ignore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a walker may skip an excluded directory without reading it (fsutil's rule). */
class MayReincludeUnderTest {

  private static IgnoreRules rules(String... lines) {
    return IgnoreRules.parse(".dockerignore", String.join("\n", lines));
  }

  @Test
  void withoutExceptionsNoExcludedDirectoryNeedsReading() {
    IgnoreRules rules = rules("data", "**/*.tmp");

    assertThat(rules.excludes("data")).isTrue();
    assertThat(rules.mayReincludeUnder("data")).isFalse();
  }

  @Test
  void exceptionBelowTheDirectoryRequiresDescending() {
    IgnoreRules rules = rules("data", "!data/keep/file.txt");

    assertThat(rules.mayReincludeUnder("data")).isTrue();
    assertThat(rules.mayReincludeUnder("data/keep")).isTrue();
    assertThat(rules.mayReincludeUnder("data/other")).isFalse();
  }

  @Test
  void exceptionOfTheDirectoryItselfRequiresDescending() {
    assertThat(rules("**", "!src").mayReincludeUnder("src")).isTrue();
  }

  @Test
  void exceptionElsewhereLetsTheDirectoryBeSkipped() {
    IgnoreRules rules = rules("data", "logs", "!logs/keep");

    assertThat(rules.mayReincludeUnder("data")).isFalse();
  }

  @Test
  void exceptionSharingOnlyANamePrefixDoesNotCount() {
    assertThat(rules("data*", "!database/x").mayReincludeUnder("data")).isFalse();
  }

  @Test
  void trailingGlobOfAnExceptionIsIgnoredForTheDecision() {
    IgnoreRules rules = rules("vendor", "!vendor/keep/**", "other", "!other/keep/*");

    assertThat(rules.mayReincludeUnder("vendor/keep")).isTrue();
    assertThat(rules.mayReincludeUnder("other/keep")).isTrue();
    assertThat(rules.mayReincludeUnder("other/drop")).isFalse();
  }

  @Test
  void anyWildcardExceptionForcesDescendingEverywhere() {
    IgnoreRules rules = rules("data", "secrets", "!**/*.keep");

    assertThat(rules.mayReincludeUnder("data")).isTrue();
    assertThat(rules.mayReincludeUnder("secrets")).isTrue();
  }

  @Test
  void escapedCharacterCountsAsAWildcard() {
    // fsutil's patternChars include the backslash on Unix.
    assertThat(rules("data", "!el\\se").mayReincludeUnder("data")).isTrue();
  }
}
