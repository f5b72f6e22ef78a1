package dev.strata.dsl;

import dev.strata.dsl.eval.EvaluationOptions;
import dev.strata.dsl.eval.Evaluator;
import dev.strata.dsl.instructions.InstructionParser;
import dev.strata.dsl.syntax.SyntaxParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the parser with Containerfile-shaped and arbitrary input, a bounded number of tries so it
 * runs on every build: whatever the input, parsing either succeeds or fails with {@link
 * ContainerfileException}, never with another exception.
 */
class ParserFuzzTest {
  private static final List<String> FRAGMENTS =
      List.of(
          "FROM ",
          "from ",
          "RUN ",
          "COPY ",
          "ADD ",
          "ENV ",
          "LABEL ",
          "ARG ",
          "ONBUILD ",
          "HEALTHCHECK ",
          "CMD ",
          "ENTRYPOINT ",
          "SHELL ",
          "EXPOSE ",
          "VOLUME ",
          "WORKDIR ",
          "USER ",
          "STOPSIGNAL ",
          "MAINTAINER ",
          "FOO ",
          "NONE",
          " CMD ",
          "AS ",
          "scratch",
          "alpine:3",
          "--mount=type=cache,target=/x ",
          "--mount=type=secret,id=s ",
          "--network=none ",
          "--security=insecure ",
          "--device=a,required ",
          "--from=0 ",
          "--chmod=755 ",
          "--chown=1:1 ",
          "--link ",
          "--parents ",
          "--exclude=*.tmp ",
          "--checksum=sha256:00 ",
          "--keep-git-dir ",
          "--platform=$P ",
          "--interval=5s ",
          "--retries=-1 ",
          "-- ",
          "--",
          "[",
          "]",
          "\"",
          "'",
          "\\",
          "`",
          "$",
          "${",
          "}",
          ":-",
          ":?",
          "##",
          "%%",
          "//",
          "=",
          "a=b ",
          "k v ",
          "<<",
          "<<-",
          "<<EOF",
          "EOF",
          "3<<X",
          "X",
          "\n",
          "\n",
          "\n",
          "\r\n",
          "\t",
          " ",
          "  ",
          "\u00a0",
          "\u2028",
          "# escape=`\n",
          "# syntax=x\n",
          "# check=skip=all\n",
          "# comment\n",
          "#",
          "\uFEFF",
          "é",
          "€",
          "\uD83D\uDE00",
          "[\"a\", \"b\"]",
          "[1]",
          "[\"a\",",
          "{}",
          "0",
          "-1");

  @Property(tries = 3000)
  void containerfileShapedInputFailsOnlyWithParseErrors(@ForAll("containerfiles") String text) {
    parseEverything(text);
  }

  @Property(tries = 1000)
  void arbitraryBytesFailOnlyWithParseErrors(@ForAll("bytes") byte[] bytes) {
    parseEverything(new String(bytes, StandardCharsets.UTF_8));
  }

  /** Every layer a Containerfile goes through when Strata reads it. */
  static void parseEverything(String text) {
    try {
      Evaluator.evaluate(
          InstructionParser.read(text.getBytes(StandardCharsets.UTF_8), "fuzz"),
          EvaluationOptions.withBuildArgs(Map.of("P", "linux/arm64")));
    } catch (ContainerfileException expected) {
      // The parser's one failure type.
    }
    try {
      SyntaxParser.parse(text, "fuzz").dump();
    } catch (ContainerfileException expected) {
      // The parser's one failure type.
    }
  }

  @Provide
  Arbitrary<String> containerfiles() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(40).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }
}
