package dev.strata.dsl.shell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The glob patterns of {@code ${v#p}}, {@code ${v%p}} and {@code ${v/p/r}}: {@code *} and {@code ?}
 * are wildcards, {@code \*}, {@code \?} and {@code \\} are literals, and there are no bracket
 * expressions. As in BuildKit a pattern becomes a regular expression; the source text built here is
 * exactly Go's, which means the same in {@link java.util.regex} once {@code .} is told to stop only
 * at {@code \n} ({@link Pattern#UNIX_LINES}), as Go's does.
 */
final class ShellPattern {
  private ShellPattern() {}

  /**
   * BuildKit's {@code convertShellPatternToRegex}, returning the Go regular expression source.
   *
   * @throws ExpansionException with Go's reason ({@code invalid escape '\x'}) for a bad escape
   */
  static String toRegexSource(String pattern, boolean greedy, boolean anchored) {
    RuneScanner s = new RuneScanner(pattern);
    StringBuilder out = new StringBuilder(pattern.length() + 4);
    if (anchored) {
      out.append('^');
    }
    String star = greedy ? ".*" : ".*?";
    for (int tok = s.next(); tok != RuneScanner.EOF; tok = s.next()) {
      switch (tok) {
        case '*' -> {
          out.append(star);
          continue;
        }
        case '?' -> {
          out.append('.');
          continue;
        }
        case '\\' -> {
          // `}` and `/` are escaped only to get past the ${} parser; the escape is not pattern.
          if (s.peek() == '}' || s.peek() == '/') {
            continue;
          }
          out.append('\\');
          tok = s.next();
          if (tok != '*' && tok != '?' && tok != '\\') {
            throw new ExpansionException("invalid escape '\\" + RuneScanner.string(tok) + "'");
          }
        }
        case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> out.append('\\');
        default -> {}
      }
      out.appendCodePoint(tok);
    }
    return out.toString();
  }

  /**
   * The compiled pattern; errors carry BuildKit's {@code invalid pattern (p) in substitution: ...}
   * text.
   */
  static Pattern compile(String pattern, boolean greedy, boolean anchored) {
    try {
      return Pattern.compile(toRegexSource(pattern, greedy, anchored), Pattern.UNIX_LINES);
    } catch (ExpansionException e) {
      throw invalid(pattern, e.reason());
    } catch (PatternSyntaxException e) {
      // Unreachable: every metacharacter is escaped. Kept so no foreign exception escapes.
      throw invalid(pattern, e.getDescription());
    }
  }

  private static ExpansionException invalid(String pattern, String why) {
    return new ExpansionException("invalid pattern (" + pattern + ") in substitution: " + why);
  }

  /** {@code ${v#p}} and {@code ${v##p}}: drop the shortest (longest) prefix matching. */
  static String trimPrefix(String pattern, String value, boolean greedy) {
    Matcher m = compile(pattern, greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  /**
   * {@code ${v%p}} and {@code ${v%%p}}. A regular expression cannot find the shortest match that
   * ends at the right, so, as BuildKit does, both pattern and value are reversed and the prefix is
   * trimmed instead. An error therefore shows the reversed pattern, as BuildKit's does.
   */
  static String trimSuffix(String pattern, String value, boolean greedy) {
    return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
  }

  /**
   * Reverses a pattern but keeps each {@code \x} pair in order: {@code a\*c} becomes {@code c\*a}.
   * The backslash is literal here even under the backtick escape token, as upstream.
   */
  static String reversePattern(String pattern) {
    int[] in = RuneScanner.runes(pattern);
    int[] out = new int[in.length];
    int last = in.length - 1;
    for (int i = 0; i <= last; ) {
      int tok = in[i];
      int outIdx = last - i;
      if (tok == '\\' && i != last) {
        out[outIdx - 1] = tok;
        out[outIdx] = in[i + 1];
        i += 2;
      } else {
        out[outIdx] = tok;
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  static String reverseString(String text) {
    int[] runes = RuneScanner.runes(text);
    int[] out = new int[runes.length];
    for (int i = 0; i < runes.length; i++) {
      out[runes.length - 1 - i] = runes[i];
    }
    return new String(out, 0, out.length);
  }
}
