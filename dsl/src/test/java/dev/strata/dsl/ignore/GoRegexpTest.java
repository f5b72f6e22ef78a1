package dev.strata.dsl.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Go's RE2 syntax, as patternmatcher produces it, read the way Go reads it. */
class GoRegexpTest {

  private static boolean matches(String goRegex, String text) {
    return GoRegexp.compile(goRegex).matcher(text).find();
  }

  @Test
  void dollarIsEndOfTextNotBeforeAFinalNewline() {
    assertThat(matches("^a$", "a\n")).isFalse();
    assertThat(matches("^a$", "a")).isTrue();
  }

  @Test
  void dotMatchesCarriageReturnButNotNewline() {
    assertThat(matches("^a.b$", "a\rb")).isTrue();
    assertThat(matches("^a.b$", "a\nb")).isFalse();
  }

  @Test
  void nestedOpenBracketIsAMemberAsInRe2() {
    // Java would read "[[^/]" as a union; RE2 reads the set {'[', '^', '/'}.
    assertThat(matches("^[[^/]*]$", "[^/]")).isTrue();
    assertThat(matches("^[[^/]*]$", "a]")).isFalse();
  }

  @Test
  void posixAndPerlClassesUseAsciiDefinitions() {
    assertThat(matches("^[[:alpha:]]$", "é")).isFalse();
    assertThat(matches("^[[:^alpha:]]$", "é")).isTrue();
    assertThat(matches("^\\s$", "\u000b")).isFalse();
    assertThat(matches("^\\w+$", "a_1")).isTrue();
  }

  @Test
  void unknownPosixClassIsAnError() {
    assertThatThrownBy(() -> GoRegexp.compile("^[[:foo:]]$"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void octalHexAndQuotedEscapes() {
    assertThat(matches("^\\101\\x42\\x{43}$", "ABC")).isTrue();
    assertThat(matches("^\\Qa.b*\\E$", "a.b*")).isTrue();
    assertThat(matches("^\\Qa.b*\\E$", "axb")).isFalse();
  }

  @Test
  void backreferencesAndUnknownLetterEscapesAreErrors() {
    assertThatThrownBy(() -> GoRegexp.compile("^a\\1$"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoRegexp.compile("^a\\e$"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unicodeGroupsAreReportedAsUnsupported() {
    assertThatThrownBy(() -> GoRegexp.compile("^\\pL$")).hasMessageContaining("not supported");
  }

  @Test
  void starInsideABracketOfAnIgnorePatternFollowsBuildKitsTranslation() {
    // "[*]" is valid for filepath.Match, but patternmatcher turns it into ^[[^/]*]$.
    IgnoreRules rules = IgnoreRules.parse(".dockerignore", "[*]");

    assertThat(rules.excludes("*")).isFalse();
    assertThat(rules.excludes("]")).isTrue();
  }
}
