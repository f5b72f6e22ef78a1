package dev.strata.dsl.syntax;

import dev.strata.dsl.ContainerfileException;
import dev.strata.dsl.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How each instruction's arguments become argument nodes, BuildKit's {@code line_parsers.go}
 * dispatch table: exec-or-shell form for RUN/CMD/ENTRYPOINT/SHELL, exec-or-word-list for
 * ADD/COPY/VOLUME, key/value triples for ENV/LABEL, raw words for ARG, whitespace words for
 * FROM/EXPOSE, the rest of the line for MAINTAINER/USER/WORKDIR/STOPSIGNAL, type plus command for
 * HEALTHCHECK, and a nested instruction for ONBUILD. No variable expansion happens here; quotes and
 * escapes stay in the words.
 */
final class ArgumentForms {
  private ArgumentForms() {}

  /** The argument nodes of one instruction, and whether they are in JSON (exec) form. */
  record Parsed(List<Node> args, boolean json) {
    static Parsed none() {
      return new Parsed(List.of(), false);
    }

    static Parsed words(List<String> words) {
      return new Parsed(words.stream().map(Node::word).toList(), false);
    }
  }

  /** Dispatches on the lower-cased keyword; an unknown keyword gets one empty argument. */
  static Parsed parse(String keyword, String rest, char escapeToken) {
    return switch (keyword.toLowerCase(Locale.ROOT)) {
      case "add", "copy", "volume" -> maybeJsonToList(rest);
      case "arg" -> Parsed.words(parseWords(rest, escapeToken));
      case "cmd", "entrypoint", "run", "shell" -> maybeJson(rest);
      case "env" -> nameValue(rest, "ENV", escapeToken);
      case "label" -> nameValue(rest, "LABEL", escapeToken);
      case "expose", "from" -> whitespaceDelimited(rest);
      case "healthcheck" -> healthcheck(rest);
      case "maintainer", "stopsignal", "user", "workdir" ->
          rest.isEmpty() ? Parsed.none() : Parsed.words(List.of(rest));
      case "onbuild" -> throw new IllegalStateException("ONBUILD is parsed by SyntaxParser");
      default -> Parsed.words(List.of(""));
    };
  }

  /**
   * BuildKit's {@code parseWords}: splits on Go white space outside quotes, keeping the quotes; the
   * escape token stays with the character it escapes (literal inside single quotes); a lone
   * trailing escape token is dropped.
   */
  static List<String> parseWords(String rest, char escapeToken) {
    final int inSpaces = 0;
    final int inWord = 1;
    final int inQuote = 2;
    List<String> words = new ArrayList<>();
    int phase = inSpaces;
    int quote = 0;
    boolean blankOk = false;
    StringBuilder word = new StringBuilder();
    int ch = 0;
    int width = 0;
    for (int pos = 0; pos <= rest.length(); pos += width) {
      if (pos != rest.length()) {
        ch = rest.codePointAt(pos);
        width = Character.charCount(ch);
      }
      if (phase == inSpaces) {
        if (pos == rest.length()) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        phase = inWord;
      }
      if ((phase == inWord || phase == inQuote) && pos == rest.length()) {
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        break;
      }
      if (phase == inWord) {
        if (GoText.isSpace(ch)) {
          phase = inSpaces;
          if (blankOk || word.length() > 0) {
            words.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          phase = inQuote;
        }
        if (ch == escapeToken) {
          if (pos + width == rest.length()) {
            continue;
          }
          // Unquoted, the escape token and the next character always stay together.
          word.appendCodePoint(ch);
          pos += width;
          ch = rest.codePointAt(pos);
          width = Character.charCount(ch);
        }
        word.appendCodePoint(ch);
        continue;
      }
      if (ch == quote) {
        phase = inWord;
      }
      if (ch == escapeToken && quote != '\'') {
        if (pos + width == rest.length()) {
          phase = inWord;
          continue;
        }
        pos += width;
        word.appendCodePoint(ch);
        ch = rest.codePointAt(pos);
        width = Character.charCount(ch);
      }
      word.appendCodePoint(ch);
    }
    return words;
  }

  /**
   * ENV and LABEL: the legacy form {@code KEY name value…} (separator node {@code ""}) when the
   * first word has no {@code =}, else {@code name=value} pairs (separator {@code "="}).
   */
  static Parsed nameValue(String rest, String instruction, char escapeToken) {
    List<String> words = parseWords(rest, escapeToken);
    if (words.isEmpty()) {
      return Parsed.none();
    }
    List<Node> args = new ArrayList<>();
    if (!words.get(0).contains("=")) {
      String[] parts = CommandSplitter.TOKEN_WHITESPACE.split(rest, 2);
      if (parts.length < 2) {
        throw new ContainerfileException(instruction + " must have two arguments");
      }
      args.add(Node.word(parts[0]));
      args.add(Node.word(parts[1]));
      args.add(Node.word(""));
      return new Parsed(args, false);
    }
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new ContainerfileException(
            "Syntax error - can't find = in "
                + GoText.quote(word)
                + ". Must be of the form: name=value");
      }
      args.add(Node.word(word.substring(0, eq)));
      args.add(Node.word(word.substring(eq + 1)));
      args.add(Node.word("="));
    }
    return new Parsed(args, false);
  }

  /** FROM and EXPOSE: words split on BuildKit's {@code reWhitespace}, no quote handling. */
  static Parsed whitespaceDelimited(String rest) {
    if (rest.isEmpty()) {
      return Parsed.none();
    }
    return Parsed.words(splitAll(rest));
  }

  /** RUN, CMD, ENTRYPOINT, SHELL: JSON array, else the whole text as one shell-form argument. */
  static Parsed maybeJson(String rest) {
    if (rest.isEmpty()) {
      return Parsed.none();
    }
    Optional<List<String>> exec = ExecForm.parse(rest);
    if (exec.isPresent()) {
      return new Parsed(exec.get().stream().map(Node::word).toList(), true);
    }
    return Parsed.words(List.of(rest));
  }

  /** ADD, COPY, VOLUME: JSON array, else the words split on white space. */
  static Parsed maybeJsonToList(String rest) {
    Optional<List<String>> exec = ExecForm.parse(rest);
    if (exec.isPresent()) {
      return new Parsed(exec.get().stream().map(Node::word).toList(), true);
    }
    return whitespaceDelimited(rest);
  }

  /** HEALTHCHECK: the type word, then the command as for CMD (byte-wise split, like BuildKit). */
  static Parsed healthcheck(String rest) {
    String bytes = GoBytes.of(rest);
    int sep = 0;
    while (sep < bytes.length() && !GoText.isSpace(bytes.charAt(sep))) {
      sep++;
    }
    int next = sep;
    while (next < bytes.length() && GoText.isSpace(bytes.charAt(next))) {
      next++;
    }
    if (sep == 0) {
      return Parsed.none();
    }
    Parsed command = maybeJson(GoBytes.text(bytes.substring(next)));
    List<Node> args = new ArrayList<>();
    args.add(Node.word(GoBytes.text(bytes.substring(0, sep))));
    args.addAll(command.args());
    return new Parsed(args, command.json());
  }

  /** Go's {@code regexp.Split(s, -1)} on {@code reWhitespace}: keeps leading/trailing empties. */
  private static List<String> splitAll(String s) {
    return List.of(CommandSplitter.TOKEN_WHITESPACE.split(s, -1));
  }
}
