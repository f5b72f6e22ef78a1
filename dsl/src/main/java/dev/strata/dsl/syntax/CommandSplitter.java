package dev.strata.dsl.syntax;

import dev.strata.dsl.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a logical line into keyword, {@code --flags} and the rest, as BuildKit's {@code
 * splitCommand}/{@code extractBuilderFlags}: flags are words starting with {@code --} before the
 * arguments; quotes are removed and {@code \} escapes the next character inside them; the word
 * {@code --} ends the flags and is dropped. Flags are not validated here.
 */
final class CommandSplitter {
  /** BuildKit's {@code reWhitespace}: the separator after the keyword and in word lists. */
  static final Pattern TOKEN_WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");

  private CommandSplitter() {}

  /** The keyword as written, the flags, and the arguments trimmed. */
  record Split(String keyword, List<String> flags, String args) {}

  static Split split(String line) {
    String[] parts = TOKEN_WHITESPACE.split(GoText.trimSpace(line), 2);
    String keyword = parts[0];
    if (parts.length < 2) {
      return new Split(keyword, List.of(), "");
    }
    List<String> flags = new ArrayList<>();
    String args = extractFlags(parts[1], flags);
    return new Split(keyword, flags, GoText.trimSpace(args));
  }

  /**
   * Moves the leading flags of {@code text} into {@code flags} and returns what follows them. The
   * walk is byte-wise like BuildKit's (see {@link GoBytes}); a flag word is then kept in that byte
   * view, which is how BuildKit re-encodes non-ASCII flags.
   */
  private static String extractFlags(String text, List<String> flags) {
    final int inSpaces = 0;
    final int inWord = 1;
    final int inQuote = 2;
    String line = GoBytes.of(text);
    int phase = inSpaces;
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean blankOk = false;
    char ch = 0;
    for (int pos = 0; pos <= line.length(); pos++) {
      if (pos != line.length()) {
        ch = line.charAt(pos);
      }
      if (phase == inSpaces) {
        if (pos == line.length()) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        boolean startsFlag = ch == '-' && pos + 1 != line.length() && line.charAt(pos + 1) == '-';
        if (!startsFlag) {
          return GoBytes.text(line.substring(pos));
        }
        phase = inWord;
      }
      if ((phase == inWord || phase == inQuote) && pos == line.length()) {
        if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
          flags.add(word.toString());
        }
        break;
      }
      if (phase == inWord) {
        if (GoText.isSpace(ch)) {
          phase = inSpaces;
          if (word.toString().equals("--")) {
            return GoBytes.text(line.substring(pos));
          }
          if (blankOk || word.length() > 0) {
            flags.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = inQuote;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == line.length()) {
            continue;
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
        continue;
      }
      if (phase == inQuote) {
        if (ch == quote) {
          phase = inWord;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == line.length()) {
            phase = inWord;
            continue;
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
      }
    }
    return "";
  }
}
