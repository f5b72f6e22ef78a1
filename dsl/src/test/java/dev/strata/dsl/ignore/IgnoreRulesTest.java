package dev.strata.dsl.ignore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which paths a set of ignore rules leaves out of the build context. */
class IgnoreRulesTest {

  private static IgnoreRules rules(String... lines) {
    return IgnoreRules.parse(".containerignore", String.join("\n", lines));
  }

  @Test
  void noRulesExcludeNothing() {
    assertThat(IgnoreRules.none().excludes("anything/at/all")).isFalse();
    assertThat(IgnoreRules.none().patterns()).isEmpty();
    assertThat(IgnoreRules.none().source()).isEmpty();
  }

  @Test
  void leadingDoubleStarMatchesAtAnyDepthIncludingTheRoot() {
    IgnoreRules rules = rules("**/*.log");

    assertThat(rules.excludes("app.log")).isTrue();
    assertThat(rules.excludes("var/log/app.log")).isTrue();
    assertThat(rules.excludes("app.log.gz")).isFalse();
  }

  @Test
  void middleDoubleStarSpansZeroOrMoreDirectories() {
    IgnoreRules rules = rules("src/**/test");

    assertThat(rules.excludes("src/test")).isTrue();
    assertThat(rules.excludes("src/a/b/test")).isTrue();
    assertThat(rules.excludes("src/a/b/test/Foo.java")).isTrue();
    assertThat(rules.excludes("lib/src/test")).isFalse();
  }

  @Test
  void trailingDoubleStarMatchesEverythingBelowButNotTheDirectoryItself() {
    IgnoreRules rules = rules("build/**");

    assertThat(rules.excludes("build/out/app.jar")).isTrue();
    assertThat(rules.excludes("build")).isFalse();
  }

  @Test
  void singleStarAndQuestionMarkStopAtSlash() {
    IgnoreRules rules = rules("*.tmp", "file?");

    assertThat(rules.excludes("a.tmp")).isTrue();
    assertThat(rules.excludes("dir/a.tmp")).isFalse();
    assertThat(rules.excludes("file1")).isTrue();
    assertThat(rules.excludes("file/")).isFalse();
  }

  @Test
  void exceptionReincludesWhatAnEarlierPatternExcluded() {
    IgnoreRules rules = rules("*.md", "!README.md");

    assertThat(rules.excludes("CHANGES.md")).isTrue();
    assertThat(rules.excludes("README.md")).isFalse();
  }

  @Test
  void lastMatchingPatternWins() {
    assertThat(rules("!README.md", "*.md").excludes("README.md")).isTrue();
    assertThat(rules("*.md", "!README.md").excludes("README.md")).isFalse();
    assertThat(rules("*.md", "!README.md", "README*").excludes("README.md")).isTrue();
  }

  @Test
  void excludingADirectoryExcludesEverythingBelowIt() {
    IgnoreRules rules = rules("node_modules");

    assertThat(rules.excludes("node_modules")).isTrue();
    assertThat(rules.excludes("node_modules/left-pad/index.js")).isTrue();
    assertThat(rules.excludes("web/node_modules/x.js")).isFalse();
  }

  @Test
  void exceptionForAFileInsideAnExcludedDirectoryReincludesIt() {
    IgnoreRules rules = rules("docs", "!docs/README.md");

    assertThat(rules.excludes("docs/README.md")).isFalse();
    assertThat(rules.excludes("docs/other.md")).isTrue();
  }

  @Test
  void exceptionForADirectoryReincludesEverythingBelowIt() {
    IgnoreRules rules = rules("**", "!src");

    assertThat(rules.excludes("src/main/App.java")).isFalse();
    assertThat(rules.excludes("target/App.class")).isTrue();
  }

  @Test
  void leadingSlashIsRelativeToTheContextRoot() {
    IgnoreRules rules = rules("/secret.txt", "!/secret.txt/keep");

    assertThat(rules.patterns())
        .extracting(IgnorePattern::text)
        .containsExactly("secret.txt", "secret.txt/keep");
    assertThat(rules.excludes("secret.txt")).isTrue();
    assertThat(rules.excludes("sub/secret.txt")).isFalse();
  }

  @Test
  void trailingSlashIsCleanedAwaySoItAlsoMatchesFiles() {
    IgnoreRules rules = rules("cache/");

    assertThat(rules.patterns().get(0).text()).isEqualTo("cache");
    assertThat(rules.excludes("cache")).isTrue();
    assertThat(rules.excludes("cache/entry")).isTrue();
  }

  @Test
  void dotAndDotDotAreCleanedLexically() {
    IgnoreRules rules = rules("./a/../b/./c//d", "../outside");

    assertThat(rules.patterns())
        .extracting(IgnorePattern::text)
        .containsExactly("b/c/d", "../outside");
    assertThat(rules.excludes("b/c/d/e")).isTrue();
  }

  @Test
  void characterClassesMatchRangesAndNegations() {
    IgnoreRules rules = rules("log[0-9].txt", "tmp[^a-c]");

    assertThat(rules.excludes("log7.txt")).isTrue();
    assertThat(rules.excludes("logx.txt")).isFalse();
    assertThat(rules.excludes("tmpz")).isTrue();
    assertThat(rules.excludes("tmpb")).isFalse();
  }

  @Test
  void characterClassesAreReadAsGoRegexpClasses() {
    // patternmatcher hands [...] to Go's regexp unchanged, so POSIX names and \d work there.
    IgnoreRules rules = rules("v[[:digit:]]", "x[\\d]y");

    assertThat(rules.excludes("v3")).isTrue();
    assertThat(rules.excludes("vd")).isFalse();
    assertThat(rules.excludes("x5y")).isTrue();
    assertThat(rules.excludes("xdy")).isFalse();
  }

  @Test
  void negatedCharacterClassAlsoMatchesSlashAsInBuildKit() {
    // Unlike filepath.Match, the regexp BuildKit builds lets [^a] match a separator.
    assertThat(rules("a[^x]b").excludes("a/b")).isTrue();
  }

  @Test
  void backslashEscapesTheNextCharacter() {
    IgnoreRules rules = rules("star\\*", "q\\?", "br\\[x]");

    assertThat(rules.excludes("star*")).isTrue();
    assertThat(rules.excludes("starry")).isFalse();
    assertThat(rules.excludes("q?")).isTrue();
    assertThat(rules.excludes("qa")).isFalse();
    assertThat(rules.excludes("br[x]")).isTrue();
  }

  @Test
  void regexpMetacharactersInPatternsAreLiteral() {
    IgnoreRules rules = rules("a+b(c).{d}|$");

    assertThat(rules.excludes("a+b(c).{d}|$")).isTrue();
    assertThat(rules.excludes("aab(c)x{d}|$")).isFalse();
  }

  @Test
  void pathsAreMatchedAsGivenWithoutCleaning() {
    IgnoreRules rules = rules("**/dir2/*");

    assertThat(rules.excludes("dir/dir2/file")).isTrue();
    // A trailing slash makes the whole path a "parent" that matches.
    assertThat(rules.excludes("dir/dir2/file/")).isTrue();
  }

  @Test
  void rulesAreFastEnoughForALargeContext() {
    IgnoreRules rules = rules("**/*.o", "build", "!build/keep/**", "docs/**/*.tmp", "*.log");
    long start = System.nanoTime();
    int excluded = 0;
    for (int i = 0; i < 100_000; i++) {
      if (rules.excludes("src/module" + (i % 100) + "/pkg" + (i % 7) + "/file" + i + ".o")) {
        excluded++;
      }
    }
    assertThat(excluded).isEqualTo(100_000);
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }
}
