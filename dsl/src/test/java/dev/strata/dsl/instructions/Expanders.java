package dev.strata.dsl.instructions;

import java.util.List;

/** Expanders for tests that exercise an instruction's own checks without variables. */
final class Expanders {
  private Expanders() {}

  static final WordExpander IDENTITY =
      new WordExpander() {
        @Override
        public String word(String word) {
          return word;
        }

        @Override
        public List<String> words(String word) {
          return List.of(word);
        }

        @Override
        public String heredoc(String body) {
          return body;
        }
      };
}
