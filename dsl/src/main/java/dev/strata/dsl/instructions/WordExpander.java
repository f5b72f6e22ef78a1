package dev.strata.dsl.instructions;

import java.util.List;

/**
 * Variable substitution against one fixed environment, in the three modes BuildKit uses: a single
 * word with quotes removed, a word split into fields (EXPOSE), and a heredoc body whose quotes are
 * kept.
 */
public interface WordExpander {

  /** BuildKit's {@code ProcessWord}. */
  String word(String word);

  /** BuildKit's {@code ProcessWords}: expansion, quote removal and field splitting. */
  List<String> words(String word);

  /** {@code ProcessWord} with {@code SkipProcessQuotes}, for COPY/ADD heredoc bodies. */
  String heredoc(String body);
}
