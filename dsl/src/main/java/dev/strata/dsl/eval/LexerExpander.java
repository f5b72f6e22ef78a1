package dev.strata.dsl.eval;

import dev.strata.dsl.instructions.WordExpander;
import dev.strata.dsl.shell.ShellEnv;
import dev.strata.dsl.shell.ShellLexer;
import java.util.List;
import java.util.Map;

/** A {@link WordExpander} over one snapshot of the environment, using the file's escape char. */
final class LexerExpander implements WordExpander {
  private final ShellLexer lexer;
  private final ShellLexer heredocLexer;
  private final ShellEnv env;

  LexerExpander(ShellLexer lexer, ShellLexer heredocLexer, Map<String, String> env) {
    this.lexer = lexer;
    this.heredocLexer = heredocLexer;
    this.env = ShellEnv.of(env);
  }

  @Override
  public String word(String word) {
    return lexer.processWord(word, env);
  }

  @Override
  public List<String> words(String word) {
    return lexer.processWords(word, env);
  }

  @Override
  public String heredoc(String body) {
    return heredocLexer.processWord(body, env);
  }
}
