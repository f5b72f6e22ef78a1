package dev.strata.dsl.shell;

import java.util.List;
import java.util.Objects;

/**
 * Shell-like word expansion as BuildKit does it for Dockerfile instructions ({@code
 * frontend/dockerfile/shell/lex.go}): {@code $name} and {@code ${name...}} with the modifiers
 * {@code - + ? # % /} (and {@code :} forms), single and double quotes, and the file's escape
 * character. Immutable and safe to share; the {@code with*} methods return modified copies.
 */
public final class ShellLexer {
  private final char escapeToken;
  private final boolean rawQuotes;
  private final boolean rawEscapes;
  private final boolean skipUnsetEnv;
  private final boolean skipProcessQuotes;

  /** A lexer for a file whose escape character is {@code escapeToken}: {@code \} or {@code `}. */
  public ShellLexer(char escapeToken) {
    this(escapeToken, false, false, false, false);
  }

  private ShellLexer(
      char escapeToken,
      boolean rawQuotes,
      boolean rawEscapes,
      boolean skipUnsetEnv,
      boolean skipProcessQuotes) {
    if (escapeToken != '\\' && escapeToken != '`') {
      throw new IllegalArgumentException("escape token must be \\ or `, not " + escapeToken);
    }
    this.escapeToken = escapeToken;
    this.rawQuotes = rawQuotes;
    this.rawEscapes = rawEscapes;
    this.skipUnsetEnv = skipUnsetEnv;
    this.skipProcessQuotes = skipProcessQuotes;
  }

  /** Keep quote characters in the result (they still group and protect their contents). */
  public ShellLexer withRawQuotes(boolean on) {
    return new ShellLexer(escapeToken, on, rawEscapes, skipUnsetEnv, skipProcessQuotes);
  }

  /** Keep escape characters in the result (they still escape). */
  public ShellLexer withRawEscapes(boolean on) {
    return new ShellLexer(escapeToken, rawQuotes, on, skipUnsetEnv, skipProcessQuotes);
  }

  /** Leave references to unset variables as written instead of expanding them to nothing. */
  public ShellLexer withSkipUnsetEnv(boolean on) {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, on, skipProcessQuotes);
  }

  /** Treat quote characters as ordinary text (heredoc bodies). */
  public ShellLexer withSkipProcessQuotes(boolean on) {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, skipUnsetEnv, on);
  }

  /**
   * Expands {@code word} to one string (BuildKit's {@code ProcessWord}).
   *
   * @throws ExpansionException with BuildKit's message for any malformed or failing expansion
   */
  public String processWord(String word, ShellEnv env) {
    return newWord(word, env, true).process(word).text();
  }

  /**
   * Expands {@code word} and splits it on whitespace that came from unquoted text or unquoted
   * expansions (BuildKit's {@code ProcessWords}, used by EXPOSE).
   *
   * @throws ExpansionException with BuildKit's message for any malformed or failing expansion
   */
  public List<String> processWords(String word, ShellEnv env) {
    return newWord(word, env, false).process(word).words();
  }

  /**
   * Expands {@code word} and reports which variable names were found and which were not (BuildKit's
   * {@code ProcessWordWithMatches}).
   *
   * @throws ExpansionException with BuildKit's message for any malformed or failing expansion
   */
  public Expansion processWordWithMatches(String word, ShellEnv env) {
    ShellWord expansion = newWord(word, env, true);
    String result = expansion.process(word).text();
    return new Expansion(result, expansion.matched(), expansion.unmatched());
  }

  private ShellWord newWord(String word, ShellEnv env, boolean capture) {
    Objects.requireNonNull(word, "word");
    Objects.requireNonNull(env, "env");
    return new ShellWord(this, word, env, capture);
  }

  char escapeToken() {
    return escapeToken;
  }

  boolean rawQuotes() {
    return rawQuotes;
  }

  boolean rawEscapes() {
    return rawEscapes;
  }

  boolean skipUnsetEnv() {
    return skipUnsetEnv;
  }

  boolean skipProcessQuotes() {
    return skipProcessQuotes;
  }
}
