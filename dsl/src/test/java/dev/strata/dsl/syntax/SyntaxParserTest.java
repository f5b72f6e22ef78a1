package dev.strata.dsl.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the syntax layer does beyond BuildKit's corpus, one behaviour a test. */
class SyntaxParserTest {

  private static SyntaxTree parse(String text) {
    return SyntaxParser.parse(text, "Containerfile");
  }

  private static List<Node> children(String text) {
    return parse(text).root().children();
  }

  private static ContainerfileException failure(String text) {
    try {
      parse(text);
    } catch (ContainerfileException e) {
      return e;
    }
    throw new AssertionError("expected a parse error for: " + text);
  }

  @Nested
  class Heredocs {
    @Test
    void bodyKeepsEveryLineWithItsNewline() {
      Node run = children("FROM a\nRUN <<EOF\necho one\necho two\nEOF\n").get(1);
      assertThat(run.heredocs())
          .containsExactly(new Heredoc("EOF", 0, true, false, "echo one\necho two\n"));
    }

    @Test
    void chompStripsLeadingTabsOnlyFromTheTerminatorInTheParser() {
      Node run = children("FROM a\nRUN <<-EOF\n\tindented\n\tEOF\n").get(1);
      assertThat(run.heredocs())
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.chomp()).isTrue();
                assertThat(h.content()).isEqualTo("\tindented\n");
                assertThat(HeredocMarkers.chomp(h.content())).isEqualTo("indented\n");
              });
    }

    @Test
    void quotedDelimiterTurnsExpansionOff() {
      Node copy = children("FROM a\nCOPY <<'EOF' /x\n$HOME\nEOF\n").get(1);
      assertThat(copy.heredocs()).singleElement().extracting(Heredoc::expand).isEqualTo(false);
    }

    @Test
    void severalOnOneLineAreReadInOrder() {
      Node copy = children("FROM a\nCOPY <<A <<B /dst/\na\nA\nb\nB\nRUN true\n").get(1);
      assertThat(copy.heredocs()).extracting(Heredoc::name).containsExactly("A", "B");
      assertThat(copy.heredocs()).extracting(Heredoc::content).containsExactly("a\n", "b\n");
      assertThat(copy.endLine()).isEqualTo(6);
    }

    @Test
    void unterminatedIsAnErrorAtTheInstruction() {
      ContainerfileException e = failure("FROM a\nRUN <<EOF\necho\n");
      assertThat(e.reason()).isEqualTo("unterminated heredoc");
      assertThat(e.position()).contains(new SourcePosition("Containerfile", 2, 1));
    }

    @Test
    void bodyLinesAreNotCommentsOrContinuations() {
      Node run = children("FROM a\nRUN <<EOF\n# not a comment \\\nEOF\n").get(1);
      assertThat(run.heredocs().get(0).content()).isEqualTo("# not a comment \\\n");
    }

    @Test
    void execFormRunHasNoHeredoc() {
      List<Node> nodes = children("FROM a\nRUN [\"cat\", \"<<EOF\"]\nEOF\n");
      assertThat(nodes).hasSize(3);
      assertThat(nodes.get(1).heredocs()).isEmpty();
    }

    @Test
    void onbuildRunCarriesItsHeredoc() {
      Node onbuild = children("FROM a\nONBUILD RUN <<EOF\necho\nEOF\n").get(1);
      assertThat(onbuild.heredocs()).extracting(Heredoc::name).containsExactly("EOF");
    }

    @Test
    void crlfBodyKeepsCarriageReturnsButTerminatorMatches() {
      Node run = children("FROM a\r\nRUN <<EOF\r\necho\r\nEOF\r\n").get(1);
      assertThat(run.heredocs().get(0).content()).isEqualTo("echo\r\n");
    }
  }

  @Nested
  class Lines {
    @Test
    void crlfFilesParseLikeLfFiles() {
      String lf = "FROM a\nRUN echo \\\n  b\nENV x=1\n";
      assertThat(parse(lf.replace("\n", "\r\n")).dump()).isEqualTo(parse(lf).dump());
    }

    @Test
    void utf8ByteOrderMarkOnTheFirstLineIsDropped() {
      byte[] withBom =
          "\uFEFF# escape=`\nFROM a\nRUN echo `\n  b\n".getBytes(StandardCharsets.UTF_8);
      SyntaxTree tree = SyntaxParser.parse(withBom, "Containerfile");
      assertThat(tree.escapeToken()).isEqualTo('`');
      assertThat(tree.dump()).isEqualTo("(from \"a\")\n(run \"echo   b\")\n");
    }

    @Test
    void keywordsAreCaseInsensitiveAndKeepTheirSpelling() {
      Node from = children("from alpine AS Build\n").get(0);
      assertThat(from.value()).isEqualTo("from");
      assertThat(from.keyword()).isEqualTo("from");
      assertThat(children("FrOm alpine\n").get(0).value()).isEqualTo("FrOm");
    }

    @Test
    void unknownInstructionsParseWithOneEmptyArgument() {
      assertThat(parse("FROM a\nFOO bar\n").dump()).isEqualTo("(from \"a\")\n(foo \"\")\n");
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
      String line = "LABEL a=" + "x".repeat(SyntaxParser.MAX_LINE_BYTES - 8);
      assertThat(line).hasSize(SyntaxParser.MAX_LINE_BYTES);
      assertThat(children("FROM a\n" + line + "\n")).hasSize(2);
    }

    @Test
    void lineOneByteOverTheLimitFailsAtItsLine() {
      String line = "LABEL a=" + "x".repeat(SyntaxParser.MAX_LINE_BYTES - 7);
      ContainerfileException e = failure("FROM a\n" + line + "\n");
      assertThat(e.reason()).isEqualTo("dockerfile line greater than max allowed size of 65535");
      assertThat(e.position().orElseThrow().line()).isEqualTo(2);
    }

    @Test
    void goWhiteSpaceIncludesNoBreakSpaceBeforeAKeyword() {
      assertThat(children("\u00a0FROM a\n").get(0).value()).isEqualTo("FROM");
    }

    @Test
    void emptyContinuationLineWarnsWithRuleAndLine() {
      SyntaxTree tree = parse("FROM a\nRUN a \\\n\n  b\n");
      assertThat(tree.warnings())
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.rule()).isEqualTo("NoEmptyContinuation");
                assertThat(w.position().line()).isEqualTo(4);
              });
    }

    @Test
    void docCommentsAreCollectedAndResetByABareHash() {
      List<Node> nodes = children("# one\n#\n# two\nFROM a\n");
      assertThat(nodes.get(0).prevComment()).containsExactly("two");
    }
  }

  @Nested
  class Directives {
    @Test
    void syntaxEscapeAndCheckAreRecognisedAtTheTop() {
      SyntaxTree tree =
          parse("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\n");
      assertThat(tree.directives())
          .extracting(Directive::name, Directive::value, Directive::line)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("syntax", "docker/dockerfile:1", 1),
              org.assertj.core.groups.Tuple.tuple("escape", "`", 2),
              org.assertj.core.groups.Tuple.tuple("check", "skip=all", 3));
    }

    @Test
    void aDirectiveAfterAnInstructionIsAComment() {
      SyntaxTree tree = parse("FROM a\n# escape=`\nRUN a \\\n b\n");
      assertThat(tree.escapeToken()).isEqualTo('\\');
      assertThat(tree.directives()).isEmpty();
    }

    @Test
    void repeatedDirectiveIsAnErrorAtItsLine() {
      ContainerfileException e = failure("# escape=\\\n# escape=`\nFROM a\n");
      assertThat(e.reason()).isEqualTo("only one escape parser directive can be used");
      assertThat(e.position().orElseThrow().line()).isEqualTo(2);
    }

    @Test
    void invalidEscapeTokenIsAnError() {
      assertThat(failure("# escape=x\nFROM a\n").reason())
          .isEqualTo("invalid escape token 'x' does not match ` or \\");
    }

    @Test
    void checkDirectiveIsParsed() {
      CheckDirective check =
          CheckDirective.parse("skip=JSONArgsRecommended, StageNameCasing;error=true");
      assertThat(check.skip()).containsExactly("JSONArgsRecommended", "StageNameCasing");
      assertThat(check.error()).isTrue();
      assertThat(check.enabled("MaintainerDeprecated")).isTrue();
      assertThat(check.enabled("StageNameCasing")).isFalse();
    }

    @Test
    void checkDirectiveWithUnknownOptionFailsAtItsLine() {
      ContainerfileException e = failure("# check=skip=all;colour=red\nFROM a\n");
      assertThat(e.reason()).isEqualTo("invalid check option \"colour\"");
      assertThat(e.position().orElseThrow().line()).isEqualTo(1);
    }

    @Test
    void checkSkipSilencesARule() {
      var file =
          dev.strata.dsl.instructions.InstructionParser.parse(
              parse("# check=skip=MaintainerDeprecated\nFROM a\nMAINTAINER me\n"));
      assertThat(file.warnings()).isEmpty();
    }

    @Test
    void checkErrorTrueMakesWarningsFatal() {
      SyntaxTree tree = parse("# check=error=true\nFROM a\nMAINTAINER me\n");
      assertThatThrownBy(() -> dev.strata.dsl.instructions.InstructionParser.parse(tree))
          .isInstanceOf(ContainerfileException.class)
          .hasMessage("Containerfile:3:1: lint violation found for rules: MaintainerDeprecated");
    }

    @Test
    void withoutCheckDirectiveMaintainerWarns() {
      var file =
          dev.strata.dsl.instructions.InstructionParser.parse(parse("FROM a\nMAINTAINER me\n"));
      assertThat(file.warnings()).extracting(w -> w.rule()).containsExactly("MaintainerDeprecated");
    }

    @Test
    void checkDirectiveWithBadBooleanFails() {
      assertThat(failure("# check=error=maybe\nFROM a\n").reason())
          .startsWith("failed to parse check option \"error=maybe\"");
    }
  }

  @Nested
  class Flags {
    @Test
    void nonAsciiFlagIsReEncodedByteWiseAsBuildKitDoes() {
      assertThat(parse("FROM a\nLABEL --x=é a=b\n").dump()).contains("[\"--x=Ã©\"]");
    }

    @Test
    void quotedFlagValueLosesItsQuotes() {
      assertThat(children("FROM a\nRUN --mount=\"type=cache,target=/a b\" true\n").get(1).flags())
          .containsExactly("--mount=type=cache,target=/a b");
    }
  }

  @Test
  void errorsRenderFileLineColumnAndCaret() {
    ContainerfileException e = failure("FROM a\nCMD [\"a\", 1]\n");
    assertThat(e.render())
        .isEqualTo(
            "Containerfile:2:1: when using JSON array syntax, arrays must be comprised of strings"
                + " only\n  CMD [\"a\", 1]\n  ^");
  }
}
