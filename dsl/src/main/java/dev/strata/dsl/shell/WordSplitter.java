package dev.strata.dsl.shell;

import dev.strata.dsl.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the words of {@code ProcessWords} while a word is expanded (BuildKit's {@code
 * wordsStruct}). Whitespace from unquoted text and unquoted expansions ends a word; quoted text and
 * escaped characters are added raw and never split.
 */
final class WordSplitter {
  // One buffer per splitter. BuildKit since 2024 (4c935cf9a) shares one buffer between the nested
  // expansions of a word, so `80${P:-81}` splits to [81]; we keep the earlier behaviour, [8081],
  // which is what upstream intends (see parser.md §11, "Quirk").
  private final StringBuilder word = new StringBuilder();
  private final List<String> words = new ArrayList<>();
  private boolean inWord;

  void addChar(int ch) {
    if (GoText.isSpace(ch) && inWord && endsWithHeredocOperator()) {
      // BuildKit keeps the blanks right after `<<` in the word, so `<<  EOF` is one heredoc
      // marker; after `<<-` they split as usual.
      addRawChar(ch);
      return;
    }
    if (GoText.isSpace(ch) && inWord) {
      if (word.length() != 0) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
    } else if (!GoText.isSpace(ch)) {
      addRawChar(ch);
    }
  }

  private boolean endsWithHeredocOperator() {
    return GoText.trimRightSpace(word.toString()).endsWith("<<");
  }

  void addRawChar(int ch) {
    word.appendCodePoint(ch);
    inWord = true;
  }

  void addString(String text) {
    for (int ch : RuneScanner.runes(text)) {
      addChar(ch);
    }
  }

  /**
   * Marks a word as started even for {@code ""}, as BuildKit does; only a non-empty one is kept.
   */
  void addRawString(String text) {
    word.append(text);
    inWord = true;
  }

  List<String> words() {
    if (word.length() > 0) {
      words.add(word.toString());
      word.setLength(0);
      inWord = false;
    }
    return List.copyOf(words);
  }
}
