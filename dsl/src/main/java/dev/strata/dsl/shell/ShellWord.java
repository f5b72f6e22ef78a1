package dev.strata.dsl.shell;

import static dev.strata.dsl.shell.RuneScanner.EOF;

import dev.strata.dsl.GoText;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expansion of one word (BuildKit's {@code shellWord}): a scanner over the word, the lexer's
 * modes, and the variable names looked up so far. One instance serves one call, which is what makes
 * {@link ShellLexer} safe to share where BuildKit's {@code Lex} is not.
 */
final class ShellWord {
  private final ShellLexer lexer;
  private final RuneScanner scanner;
  private final ShellEnv env;
  private final boolean capture;
  private final Set<String> matched = new LinkedHashSet<>();
  private final Set<String> unmatched = new LinkedHashSet<>();
  private boolean rawEscapes;

  /** The expanded text and, for {@code ProcessWords}, its words. */
  record Result(String text, List<String> words) {}

  ShellWord(ShellLexer lexer, String word, ShellEnv env, boolean capture) {
    this.lexer = lexer;
    this.scanner = new RuneScanner(word);
    this.env = env;
    this.capture = capture;
    this.rawEscapes = lexer.rawEscapes();
  }

  Set<String> matched() {
    return matched;
  }

  Set<String> unmatched() {
    return unmatched;
  }

  /** Expands the whole word; every error is wrapped with the word, as BuildKit's. */
  Result process(String source) {
    try {
      return processStopOn(EOF, rawEscapes);
    } catch (ExpansionException e) {
      throw new ExpansionException("failed to process " + GoText.quote(source) + ": " + e.reason());
    }
  }

  /** Expands up to {@code stopChar} (consumed) or the end of the word when it is {@link EOF}. */
  private Result processStopOn(int stopChar, boolean rawEscapesHere) {
    StringBuilder result = new StringBuilder();
    WordSplitter words = new WordSplitter();
    // Modifier words of ${v#p}, ${v%p} and ${v/p/r} keep escapes for the pattern to see; the
    // setting holds for nested expansions too and is restored afterwards.
    boolean saved = rawEscapes;
    rawEscapes = rawEscapesHere;
    try {
      while (scanner.peek() != EOF) {
        int ch = scanner.peek();
        if (stopChar != EOF && ch == stopChar) {
          scanner.next();
          return new Result(result.toString(), words.words());
        }
        boolean quote = (ch == '\'' || ch == '"') && !lexer.skipProcessQuotes();
        if (ch == '$' || quote) {
          String expanded =
              switch (ch) {
                case '$' -> processDollar();
                case '\'' -> processSingleQuote();
                default -> processDoubleQuote();
              };
          result.append(expanded);
          if (ch == '$') {
            words.addString(expanded);
          } else {
            words.addRawString(expanded);
          }
          continue;
        }
        ch = scanner.next();
        if (ch == lexer.escapeToken()) {
          if (rawEscapes) {
            words.addRawChar(ch);
            result.appendCodePoint(ch);
          }
          ch = scanner.next();
          if (ch == EOF) {
            // A trailing escape character is dropped.
            break;
          }
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
      if (stopChar != EOF) {
        throw new ExpansionException(
            "unexpected end of statement while looking for matching "
                + RuneScanner.string(stopChar));
      }
      return new Result(result.toString(), words.words());
    } finally {
      rawEscapes = saved;
    }
  }

  /** {@code '...'}: every character literal; no escapes at all. */
  private String processSingleQuote() {
    StringBuilder result = new StringBuilder();
    int ch = scanner.next();
    if (lexer.rawQuotes()) {
      result.appendCodePoint(ch);
    }
    while (true) {
      ch = scanner.next();
      if (ch == EOF) {
        throw new ExpansionException(
            "unexpected end of statement while looking for matching single-quote");
      }
      if (ch == '\'') {
        if (lexer.rawQuotes()) {
          result.appendCodePoint(ch);
        }
        return result.toString();
      }
      result.appendCodePoint(ch);
    }
  }

  /**
   * {@code "..."}: {@code $} expands, and the escape character escapes only {@code "}, {@code $}
   * and itself; before anything else it stays.
   */
  private String processDoubleQuote() {
    StringBuilder result = new StringBuilder();
    int ch = scanner.next();
    if (lexer.rawQuotes()) {
      result.appendCodePoint(ch);
    }
    while (true) {
      switch (scanner.peek()) {
        case EOF ->
            throw new ExpansionException(
                "unexpected end of statement while looking for matching double-quote");
        case '"' -> {
          ch = scanner.next();
          if (lexer.rawQuotes()) {
            result.appendCodePoint(ch);
          }
          return result.toString();
        }
        case '$' -> result.append(processDollar());
        default -> {
          ch = scanner.next();
          if (ch == lexer.escapeToken()) {
            if (rawEscapes) {
              // With raw escapes an escape before an ordinary character is written twice;
              // BuildKit does so too.
              result.appendCodePoint(ch);
            }
            int after = scanner.peek();
            if (after == EOF) {
              continue;
            }
            if (after == '"' || after == '$' || after == lexer.escapeToken()) {
              ch = scanner.next();
            }
          }
          result.appendCodePoint(ch);
        }
      }
    }
  }

  /** {@code $name}, {@code ${name}} and {@code ${name<modifier>...}}; the scanner is on the $. */
  private String processDollar() {
    scanner.next();
    if (scanner.peek() != '{') {
      String name = processName();
      if (name.isEmpty()) {
        return "$";
      }
      Optional<String> value = lookUp(name);
      if (value.isEmpty() && lexer.skipUnsetEnv()) {
        return "$" + name;
      }
      return value.orElse("");
    }
    scanner.next();
    switch (scanner.peek()) {
      case EOF -> throw new ExpansionException("syntax error: missing '}'");
      case '{', '}', ':' -> throw new ExpansionException("syntax error: bad substitution");
      default -> {}
    }
    String name = processName();
    int ch = scanner.next();
    String modifier = RuneScanner.string(ch);
    switch (ch) {
      case '}' -> {
        Optional<String> value = lookUp(name);
        if (value.isEmpty() && lexer.skipUnsetEnv()) {
          return "${" + name + "}";
        }
        return value.orElse("");
      }
      case ':' -> {
        ch = scanner.next();
        return applyModifier(name, ch, modifier + RuneScanner.string(ch), true);
      }
      case '+', '-', '?', '#', '%' -> {
        return applyModifier(name, ch, modifier, false);
      }
      case '/' -> {
        return substitute(name);
      }
      default -> throw unsupported(modifier);
    }
  }

  /**
   * {@code ${v<op>word}} for op in {@code - + ? # %} and, with {@code nullIsUnset}, their {@code :}
   * forms. {@code modifier} is the text as written ({@code :-}), for messages.
   */
  private String applyModifier(String name, int op, String modifier, boolean nullIsUnset) {
    boolean pattern = op == '#' || op == '%';
    if (nullIsUnset && pattern) {
      throw unsupported(modifier);
    }
    String word = wordUntil('}', pattern, "syntax error: missing '}'");
    Optional<String> found = lookUp(name);
    boolean set = found.isPresent();
    String value = found.orElse("");
    if (lexer.skipUnsetEnv() && !set) {
      return "${" + name + modifier + word + "}";
    }
    boolean empty = !set || (nullIsUnset && value.isEmpty());
    switch (op) {
      case '-':
        return empty ? word : value;
      case '+':
        return empty ? "" : word;
      case '?':
        if (!set) {
          throw new ExpansionException(
              name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
        }
        if (nullIsUnset && value.isEmpty()) {
          throw new ExpansionException(
              name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
        }
        return value;
      case '#':
      case '%':
        // A doubled operator (## or %%) asks for the longest match.
        boolean greedy = !word.isEmpty() && word.charAt(0) == op;
        if (greedy) {
          word = word.substring(1);
        }
        return op == '%'
            ? ShellPattern.trimSuffix(word, value, greedy)
            : ShellPattern.trimPrefix(word, value, greedy);
      default:
        throw unsupported(modifier);
    }
  }

  /** {@code ${v/pattern/replacement}} and {@code ${v//pattern/replacement}}. */
  private String substitute(String name) {
    boolean replaceAll = scanner.peek() == '/';
    if (replaceAll) {
      scanner.next();
    }
    String pattern = wordUntil('/', true, "syntax error: missing '/' in ${}");
    String replacement = wordUntil('}', true, "syntax error: missing '}'");
    Optional<String> found = lookUp(name);
    if (lexer.skipUnsetEnv() && found.isEmpty()) {
      // One slash even for `//`: BuildKit rebuilds the text this way.
      return "${" + name + "/" + pattern + "/" + replacement + "}";
    }
    String value = found.orElse("");
    Pattern re = ShellPattern.compile(pattern, true, false);
    if (replaceAll) {
      return GoReplacement.replaceAll(re, value, replacement);
    }
    // A single replacement is spliced in literally; Go expands `$` only in ReplaceAllString.
    Matcher m = re.matcher(value);
    if (m.find()) {
      return value.substring(0, m.start()) + replacement + value.substring(m.end());
    }
    return value;
  }

  /**
   * A modifier's word up to {@code stop}; when the word runs to the end of input, BuildKit reports
   * the missing delimiter instead of the inner error.
   */
  private String wordUntil(int stop, boolean raw, String missing) {
    try {
      return processStopOn(stop, raw).text();
    } catch (ExpansionException e) {
      if (scanner.peek() == EOF) {
        throw new ExpansionException(missing);
      }
      throw e;
    }
  }

  /**
   * A name: letters, digits and {@code _}; or a run of digits (positional); or one special
   * parameter character. Empty when none of these follows.
   */
  private String processName() {
    StringBuilder name = new StringBuilder();
    while (scanner.peek() != EOF) {
      int ch = scanner.peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (scanner.peek() != EOF && Character.isDigit(scanner.peek())) {
          name.appendCodePoint(scanner.next());
        }
        return name.toString();
      }
      if (name.length() == 0 && isSpecialParameter(ch)) {
        return RuneScanner.string(scanner.next());
      }
      if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(scanner.next());
    }
    return name.toString();
  }

  /** POSIX special parameters; they are never set, so they expand to nothing. */
  private static boolean isSpecialParameter(int ch) {
    return switch (ch) {
      case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
      default -> false;
    };
  }

  private Optional<String> lookUp(String name) {
    Optional<String> value = env.get(name);
    if (capture) {
      (value.isPresent() ? matched : unmatched).add(name);
    }
    return value;
  }

  private static ExpansionException unsupported(String modifier) {
    return new ExpansionException("unsupported modifier (" + modifier + ") in substitution");
  }
}
