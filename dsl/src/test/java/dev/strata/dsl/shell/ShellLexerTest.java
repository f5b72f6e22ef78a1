package dev.strata.dsl.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import dev.strata.dsl.SourcePosition;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link ShellLexer} beyond BuildKit's corpus: modes, escapes, errors, patterns. */
class ShellLexerTest {
  private static final ShellLexer BACKSLASH = new ShellLexer('\\');
  private static final ShellLexer BACKTICK = new ShellLexer('`');
  private static final ShellEnv ENV = ShellEnv.of(Map.of("PWD", "/home", "EMPTY", "", "V", "abcb"));

  private static String expand(String word) {
    return BACKSLASH.processWord(word, ENV);
  }

  private static String expand(String word, Map<String, String> vars) {
    return BACKSLASH.processWord(word, ShellEnv.of(vars));
  }

  @Nested
  class BacktickEscape {

    @Test
    void backtickEscapesDollar() {
      assertThat(BACKTICK.processWord("he`$PWD", ENV)).isEqualTo("he$PWD");
    }

    @Test
    void backslashIsAnOrdinaryCharacter() {
      assertThat(BACKTICK.processWord("C:\\dir\\$PWD", ENV)).isEqualTo("C:\\dir\\/home");
    }

    @Test
    void backtickEscapesDoubleQuoteInsideDoubleQuotes() {
      assertThat(BACKTICK.processWord("\"a`\"b\\c\"", ENV)).isEqualTo("a\"b\\c");
    }

    @Test
    void trailingBacktickIsDropped() {
      assertThat(BACKTICK.processWord("abc`", ENV)).isEqualTo("abc");
    }

    @Test
    void patternsStillUseBackslashAsTheirEscape() {
      // The pattern keeps its raw text and lex.go's glob conversion always reads `\` as escape.
      assertThat(BACKTICK.processWord("${X#\\*}", ShellEnv.of(Map.of("X", "*a")))).isEqualTo("a");
    }
  }

  @Nested
  class Modes {

    @Test
    void rawQuotesKeepsQuoteCharacters() {
      assertThat(BACKSLASH.withRawQuotes(true).processWord("'a $PWD' \"b $PWD\"", ENV))
          .isEqualTo("'a $PWD' \"b /home\"");
    }

    @Test
    void rawEscapesKeepsEscapeCharacters() {
      assertThat(BACKSLASH.withRawEscapes(true).processWord("a\\ b\\$PWD", ENV))
          .isEqualTo("a\\ b\\$PWD");
    }

    @Test
    void rawEscapesInDoubleQuotesWritesEscapeBeforeOrdinaryCharacterTwice() {
      // BuildKit writes the raw escape, then again the unconsumed escape: "a\xb" -> a\\xb.
      assertThat(BACKSLASH.withRawEscapes(true).processWord("\"a\\xb\\\"\"", ENV))
          .isEqualTo("a\\\\xb\\\"");
    }

    @Test
    void skipUnsetEnvLeavesUnsetReferencesAsWritten() {
      assertThat(
              BACKSLASH
                  .withSkipUnsetEnv(true)
                  .processWord("$FOO ${FOO} ${FOO:-x} ${FOO?} $PWD ${EMPTY:-e}", ENV))
          .isEqualTo("$FOO ${FOO} ${FOO:-x} ${FOO?} /home e");
    }

    @Test
    void skipUnsetEnvRebuildsReplaceAllWithOneSlash() {
      assertThat(BACKSLASH.withSkipUnsetEnv(true).processWord("${FOO//a/b}", ENV))
          .isEqualTo("${FOO/a/b}");
    }

    @Test
    void skipProcessQuotesTreatsQuotesAsText() {
      assertThat(BACKSLASH.withSkipProcessQuotes(true).processWord("'$PWD' \"$PWD\"", ENV))
          .isEqualTo("'/home' \"/home\"");
    }

    @Test
    void skipProcessQuotesLeavesUnmatchedQuotesAlone() {
      assertThat(BACKSLASH.withSkipProcessQuotes(true).processWord("it's", ENV)).isEqualTo("it's");
    }

    @Test
    void withMethodsReturnCopiesAndLeaveTheOriginal() {
      ShellLexer raw = BACKSLASH.withRawQuotes(true);
      assertThat(raw).isNotSameAs(BACKSLASH);
      assertThat(BACKSLASH.processWord("'a'", ENV)).isEqualTo("a");
      assertThat(raw.processWord("'a'", ENV)).isEqualTo("'a'");
    }

    @Test
    void heredocDetectionModeKeepsQuotesAndUnsetVariables() {
      ShellLexer heredoc =
          BACKSLASH.withRawQuotes(true).withRawEscapes(true).withSkipUnsetEnv(true);
      assertThat(heredoc.processWords("<<\"EOF\" cat $OUT", ENV))
          .containsExactly("<<\"EOF\"", "cat", "$OUT");
    }

    @Test
    void rejectsOtherEscapeTokens() {
      assertThatThrownBy(() -> new ShellLexer('^')).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Errors {

    private void assertFails(String word, String reason) {
      assertThatThrownBy(() -> expand(word))
          .isInstanceOf(ExpansionException.class)
          .hasMessage("failed to process " + GoText.quote(word) + ": " + reason);
    }

    @Test
    void emptyMandatoryVariable() {
      assertThatThrownBy(() -> expand("${EMPTY:?}"))
          .isInstanceOf(ExpansionException.class)
          .hasMessage("failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty");
    }

    @Test
    void unsetMandatoryVariable() {
      assertFails("${A?}", "A: is not allowed to be unset");
    }

    @Test
    void mandatoryVariableWithExpandedMessage() {
      assertFails("${A:?not in $PWD}", "A: not in /home");
    }

    @Test
    void wordIsQuotedAsGoQuotesIt() {
      assertThatThrownBy(() -> expand("${A?}\n\"x\""))
          .hasMessage("failed to process \"${A?}\\n\\\"x\\\"\": A: is not allowed to be unset");
    }

    @Test
    void missingBrace() {
      assertFails("${", "syntax error: missing '}'");
      assertFails("${A:-b", "syntax error: missing '}'");
      assertFails("${A:-'b}", "syntax error: missing '}'");
      assertFails("${A/b/c", "syntax error: missing '}'");
    }

    @Test
    void missingSlash() {
      assertFails("${A/b", "syntax error: missing '/' in ${}");
    }

    @Test
    void badSubstitution() {
      assertFails("${}", "syntax error: bad substitution");
      assertFails("${:a}", "syntax error: bad substitution");
      assertFails("${{a}", "syntax error: bad substitution");
    }

    @Test
    void unsupportedModifiers() {
      assertFails("${A=b}", "unsupported modifier (=) in substitution");
      assertFails("${A:=b}", "unsupported modifier (:=) in substitution");
      assertFails("${A:#b}", "unsupported modifier (:#) in substitution");
      assertFails("${A:%%b}", "unsupported modifier (:%) in substitution");
    }

    @Test
    void endOfInputAfterNameIsAnUnsupportedModifier() {
      // Go formats the EOF rune as U+FFFD.
      assertFails("${A", "unsupported modifier (\uFFFD) in substitution");
    }

    @Test
    void unterminatedQuotes() {
      assertFails("'abc", "unexpected end of statement while looking for matching single-quote");
      assertFails("\"abc", "unexpected end of statement while looking for matching double-quote");
    }

    @Test
    void invalidPatternEscape() {
      assertFails("${V#\\x}", "invalid pattern (\\x) in substitution: invalid escape '\\x'");
    }

    @Test
    void suffixPatternErrorShowsTheReversedPattern() {
      assertFails("${V%x\\y}", "invalid pattern (\\yx) in substitution: invalid escape '\\y'");
    }

    @Test
    void placingAnErrorKeepsItsType() {
      ExpansionException error = new ExpansionException("boom");
      ContainerfileException placed = error.at(new SourcePosition("Containerfile", 3, 5), "ENV a");
      assertThat(placed).isInstanceOf(ExpansionException.class);
      assertThat(placed.getMessage()).isEqualTo("Containerfile:3:5: boom");
      assertThat(placed.sourceLine()).contains("ENV a");
    }
  }

  @Nested
  class Patterns {

    @Test
    void replaceFirstSplicesReplacementLiterally() {
      assertThat(expand("${V/b/<'$0'>}")).isEqualTo("a<$0>cb");
    }

    @Test
    void replaceAllExpandsDollarZeroAsGoTemplates() {
      assertThat(expand("${V//b/<'$0'>}")).isEqualTo("a<b>c<b>");
      assertThat(expand("${V//b/'${0}'}")).isEqualTo("abcb");
    }

    @Test
    void replaceAllTemplateDollarDollarIsDollar() {
      assertThat(expand("${V//b/'$$'}")).isEqualTo("a$c$");
    }

    @Test
    void replaceAllTemplateMissingGroupsAreEmpty() {
      assertThat(expand("${V//b/'$1'}")).isEqualTo("ac");
      assertThat(expand("${V//b/'$1x'}")).isEqualTo("ac");
      assertThat(expand("${V//b/'$name'}")).isEqualTo("ac");
    }

    @Test
    void replaceAllTemplateMalformedReferenceStaysText() {
      assertThat(expand("${V//b/'${x'}")).isEqualTo("a${xc${x");
      assertThat(expand("${V//b/'$-'}")).isEqualTo("a$-c$-");
    }

    @Test
    void replaceAllSkipsEmptyMatchRightAfterAMatch() {
      // Java's String.replaceAll(".*", "-") gives "--" here; Go gives "-".
      assertThat(expand("${V//*/-}")).isEqualTo("-");
    }

    @Test
    void questionMarkMatchesCarriageReturnButNotNewline() {
      assertThat(expand("${X#?}", Map.of("X", "\rx"))).isEqualTo("x");
      assertThat(expand("${X#?}", Map.of("X", "\u0085x"))).isEqualTo("x");
      assertThat(expand("${X#?}", Map.of("X", "\nx"))).isEqualTo("\nx");
    }

    @Test
    void shortestAndLongestSuffix() {
      Map<String, String> vars = Map.of("F", "a.tar.gz");
      assertThat(expand("${F%.*}", vars)).isEqualTo("a.tar");
      assertThat(expand("${F%%.*}", vars)).isEqualTo("a");
    }

    @Test
    void bracketsAreLiteral() {
      assertThat(expand("${X#[ab]}", Map.of("X", "[ab]c"))).isEqualTo("c");
    }

    @Test
    void suffixRemovalCountsCodePoints() {
      assertThat(expand("${X%?}", Map.of("X", "a🚀"))).isEqualTo("a");
    }
  }

  @Nested
  class Names {

    @Test
    void positionalParametersAreUnset() {
      assertThat(expand("$1abc ${10}x")).isEqualTo("abc x");
    }

    @Test
    void specialParametersAreUnset() {
      assertThat(expand("$@x $$y $0z")).isEqualTo("x y z");
    }

    @Test
    void dollarWithoutNameIsLiteral() {
      assertThat(expand("$ $. a$")).isEqualTo("$ $. a$");
    }

    @Test
    void unicodeLettersAndDigitsFormNames() {
      assertThat(expand("$한국어x ${V١}", Map.of("한국어x", "k", "V١", "d"))).isEqualTo("k d");
    }

    @Test
    void leadingByteOrderMarkIsSkippedAsGoScannerDoes() {
      assertThat(expand("\uFEFF$PWD")).isEqualTo("/home");
    }

    @Test
    void loneSurrogateReadsAsReplacementCharacter() {
      assertThat(expand("a\uD800b")).isEqualTo("a\uFFFDb");
    }
  }

  @Nested
  class Matches {

    @Test
    void reportsNamesLookedUpInsideModifierWords() {
      Expansion expansion =
          BACKSLASH.processWordWithMatches("${A:-$PWD}", ShellEnv.of(Map.of("PWD", "/home")));
      assertThat(expansion.result()).isEqualTo("/home");
      assertThat(expansion.matched()).containsExactly("PWD");
      assertThat(expansion.unmatched()).containsExactly("A");
    }

    @Test
    void emptyEnvLeavesEverythingUnmatched() {
      Expansion expansion = BACKSLASH.processWordWithMatches("$A$B", ShellEnv.empty());
      assertThat(expansion.result()).isEmpty();
      assertThat(expansion.matched()).isEmpty();
      assertThat(expansion.unmatched()).containsExactly("A", "B");
    }
  }

  @Nested
  class Words {

    @Test
    void modifierInsideAWordKeepsTheTextBeforeIt() {
      // BuildKit since 2024 returns [81] (shared buffer regression); we keep pre-2024 behaviour.
      assertThat(BACKSLASH.processWords("80${P:-81}", ShellEnv.empty())).containsExactly("8081");
    }

    @Test
    void unquotedModifierResultSplits() {
      assertThat(BACKSLASH.processWords("a ${P:-b c}d", ShellEnv.empty()))
          .containsExactly("a", "b", "cd");
    }

    @Test
    void emptyQuotesMakeNoWord() {
      assertThat(BACKSLASH.processWords("\"\"", ENV)).isEmpty();
      assertThat(BACKSLASH.processWords("a \"\" b", ENV)).containsExactly("a", "b");
    }

    @Test
    void nonBreakingSpaceSplitsAsGoUnicodeIsSpace() {
      assertThat(BACKSLASH.processWords("a\u00a0b", ENV)).containsExactly("a", "b");
    }
  }
}
