package dev.strata.dsl.shell;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the word, the lexer answers with a result or an {@link ExpansionException}. */
class ShellLexerPropertyTest {
  private static final ShellEnv ENV = ShellEnv.of(Map.of("a", "x*y/z", "E", ""));

  @Property(tries = 3000)
  void failsOnlyWithExpansionException(
      @ForAll("words") String word,
      @ForAll boolean backtick,
      @ForAll boolean rawQuotes,
      @ForAll boolean rawEscapes,
      @ForAll boolean skipUnset,
      @ForAll boolean skipQuotes) {
    ShellLexer lexer =
        new ShellLexer(backtick ? '`' : '\\')
            .withRawQuotes(rawQuotes)
            .withRawEscapes(rawEscapes)
            .withSkipUnsetEnv(skipUnset)
            .withSkipProcessQuotes(skipQuotes);
    try {
      lexer.processWordWithMatches(word, ENV);
      lexer.processWords(word, ENV);
    } catch (ExpansionException expected) {
      // The one allowed failure.
    }
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars("${}:-+?#%/\\'\"*`aE1 \n\uFEFF\uD800").ofMaxLength(16);
  }
}
