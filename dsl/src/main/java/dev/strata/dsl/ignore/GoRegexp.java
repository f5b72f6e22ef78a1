package dev.strata.dsl.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The RE2 syntax of Go's {@code regexp.Compile} (flags {@code syntax.Perl}), translated into an
 * equivalent {@link Pattern}. patternmatcher turns ignore patterns into Go regular expressions and
 * passes {@code [...]} and {@code \x} through unchanged, so a class such as {@code [[:digit:]]} or
 * an escape such as {@code \d} means what RE2 says, not what {@code java.util.regex} would: this
 * class reads the expression the way RE2 does and emits Java syntax with every literal escaped.
 *
 * <p>Covered: literals, {@code . ^ $ * + ?} (and lazy forms), groups, alternation, bracket classes
 * with ranges, negation, POSIX {@code [:name:]} and Perl {@code \d\s\w} classes, the escapes {@code
 * \a\f\n\r\t\v}, octal, {@code \x}, {@code \Q...\E}, {@code \A \z \b \B}. Not covered: Unicode
 * groups ({@code \p}) and {@code (?flags)}, reported as unsupported rather than guessed.
 */
final class GoRegexp {
  private static final int MAX_RUNE = 0x10FFFF;
  private static final int[] DIGIT = {'0', '9'};
  private static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};
  private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
  private static final String WORD_CLASS = "[0-9A-Za-z_]";

  private final String re;
  private int pos;
  private final StringBuilder out = new StringBuilder();
  private boolean canRepeat;

  private GoRegexp(String re) {
    this.re = re;
  }

  /**
   * The Java pattern for a Go regular expression; {@code find()} on it answers Go's {@code
   * MatchString}.
   *
   * @throws IllegalArgumentException when Go would reject the expression, or it uses RE2 syntax
   *     this class does not translate
   */
  static Pattern compile(String goRegex) {
    GoRegexp parser = new GoRegexp(goRegex);
    parser.translate();
    try {
      // UNIX_LINES: RE2's "." excludes only \n, and Java's "^"/"$" must not see other terminators.
      return Pattern.compile(parser.out.toString(), Pattern.UNIX_LINES);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression " + goRegex, e);
    }
  }

  private void translate() {
    while (pos < re.length()) {
      int c = re.codePointAt(pos);
      switch (c) {
        case '^' -> emit("^", false, 1); // without (?m) both mean start of text
        case '$' -> emit("\\z", false, 1); // RE2's OneLine "$" is end of text only
        case '.' -> emit(".", true, 1);
        case '(' -> {
          if (pos + 1 < re.length() && re.charAt(pos + 1) == '?') {
            throw unsupported("(?");
          }
          emit("(?:", false, 1);
        }
        case ')', '|' -> emit(Character.toString(c), c == ')', 1);
        case '*', '+', '?' -> repetition(c);
        case '[' -> {
          pos++;
          out.append(javaClass(parseClass()));
          canRepeat = true;
        }
        case '\\' -> escapeOutsideClass();
        default -> {
          literal(c);
          pos += Character.charCount(c);
        }
      }
    }
  }

  private void emit(String java, boolean repeatable, int consumed) {
    out.append(java);
    canRepeat = repeatable;
    pos += consumed;
  }

  private void literal(int c) {
    out.append(String.format("\\x{%x}", c));
    canRepeat = true;
  }

  private void repetition(int c) {
    if (!canRepeat) {
      throw new IllegalArgumentException("missing argument to repetition operator");
    }
    out.appendCodePoint(c);
    pos++;
    if (pos < re.length() && re.charAt(pos) == '?') {
      out.append('?');
      pos++;
    }
    // RE2 rejects a repetition of a repetition ("a**"); Java would read "*+" as possessive.
    canRepeat = false;
  }

  private void escapeOutsideClass() {
    if (pos + 1 >= re.length()) {
      throw new IllegalArgumentException("trailing backslash at end of expression");
    }
    char next = re.charAt(pos + 1);
    switch (next) {
      case 'A' -> emit("\\A", false, 2);
      case 'z' -> emit("\\z", false, 2);
      case 'b' ->
          emit(
              "(?:(?<="
                  + WORD_CLASS
                  + ")(?!"
                  + WORD_CLASS
                  + ")|(?<!"
                  + WORD_CLASS
                  + ")(?="
                  + WORD_CLASS
                  + "))",
              false,
              2);
      case 'B' ->
          emit(
              "(?:(?<="
                  + WORD_CLASS
                  + ")(?="
                  + WORD_CLASS
                  + ")|(?<!"
                  + WORD_CLASS
                  + ")(?!"
                  + WORD_CLASS
                  + "))",
              false,
              2);
      case 'Q' -> {
        int end = re.indexOf("\\E", pos + 2);
        String quoted = end < 0 ? re.substring(pos + 2) : re.substring(pos + 2, end);
        pos = end < 0 ? re.length() : end + 2;
        quoted.codePoints().forEach(this::literal);
      }
      default -> {
        List<int[]> perl = perlClass();
        if (perl != null) {
          out.append(javaClass(perl));
          canRepeat = true;
        } else {
          literal(escapedRune());
        }
      }
    }
  }

  /** RE2's {@code \d \D \s \S \w \W} at {@code pos}, consumed; {@code null} if not one. */
  private List<int[]> perlClass() {
    if (pos + 1 >= re.length() || re.charAt(pos) != '\\') {
      return null;
    }
    int[] ranges =
        switch (Character.toLowerCase(re.charAt(pos + 1))) {
          case 'd' -> DIGIT;
          case 's' -> SPACE;
          case 'w' -> WORD;
          default -> null;
        };
    if (ranges == null) {
      return null;
    }
    boolean negated = Character.isUpperCase(re.charAt(pos + 1));
    pos += 2;
    List<int[]> set = pairs(ranges);
    return negated ? complement(set) : set;
  }

  /** RE2's {@code parseEscape}: one rune written as an escape at {@code pos}, consumed. */
  private int escapedRune() {
    pos++; // the backslash
    if (pos >= re.length()) {
      throw new IllegalArgumentException("trailing backslash at end of expression");
    }
    int c = re.codePointAt(pos);
    pos += Character.charCount(c);
    if (c < 0x80 && !Character.isLetterOrDigit(c)) {
      return c;
    }
    switch (c) {
      case '1', '2', '3', '4', '5', '6', '7', '0' -> {
        // A lone non-zero digit would be a backreference, which RE2 does not support.
        if (c != '0' && !octalAt(pos)) {
          throw invalidEscape(c);
        }
        int r = c - '0';
        for (int i = 1; i < 3 && octalAt(pos); i++) {
          r = r * 8 + re.charAt(pos) - '0';
          pos++;
        }
        return r;
      }
      case 'x' -> {
        return hexEscape();
      }
      case 'a' -> {
        return 7;
      }
      case 'f' -> {
        return '\f';
      }
      case 'n' -> {
        return '\n';
      }
      case 'r' -> {
        return '\r';
      }
      case 't' -> {
        return '\t';
      }
      case 'v' -> {
        return 0x0B;
      }
      case 'p', 'P' -> throw unsupported("\\" + Character.toString(c));
      default -> throw invalidEscape(c);
    }
  }

  private boolean octalAt(int i) {
    return i < re.length() && re.charAt(i) >= '0' && re.charAt(i) <= '7';
  }

  private int hexEscape() {
    if (pos >= re.length()) {
      throw invalidEscape('x');
    }
    if (re.charAt(pos) == '{') {
      int close = re.indexOf('}', pos);
      if (close < 0 || close == pos + 1) {
        throw invalidEscape('x');
      }
      int r = 0;
      for (int i = pos + 1; i < close; i++) {
        int v = Character.digit(re.charAt(i), 16);
        if (v < 0 || re.charAt(i) > 'f') {
          throw invalidEscape('x');
        }
        r = r * 16 + v;
        if (r > MAX_RUNE) {
          throw invalidEscape('x');
        }
      }
      pos = close + 1;
      return r;
    }
    if (pos + 1 >= re.length()) {
      throw invalidEscape('x');
    }
    int x = Character.digit(re.charAt(pos), 16);
    int y = Character.digit(re.charAt(pos + 1), 16);
    if (x < 0 || y < 0 || re.charAt(pos) > 'f' || re.charAt(pos + 1) > 'f') {
      throw invalidEscape('x');
    }
    pos += 2;
    return x * 16 + y;
  }

  /** RE2's {@code parseClass}, {@code pos} just after {@code [}: the set of runes it matches. */
  private List<int[]> parseClass() {
    boolean negated = false;
    if (pos < re.length() && re.charAt(pos) == '^') {
      negated = true;
      pos++;
    }
    List<int[]> set = new ArrayList<>();
    boolean first = true;
    while (pos >= re.length() || re.charAt(pos) != ']' || first) {
      first = false;
      if (re.startsWith("[:", pos)) {
        List<int[]> named = namedClass();
        if (named != null) {
          set.addAll(named);
          continue;
        }
      }
      if (re.startsWith("\\p", pos) || re.startsWith("\\P", pos)) {
        throw unsupported(re.substring(pos, pos + 2));
      }
      List<int[]> perl = perlClass();
      if (perl != null) {
        set.addAll(perl);
        continue;
      }
      int lo = classChar();
      int hi = lo;
      if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
        pos++;
        hi = classChar();
        if (hi < lo) {
          throw new IllegalArgumentException("invalid character class range");
        }
      }
      set.add(new int[] {lo, hi});
    }
    pos++; // the closing ]
    return negated ? complement(set) : set;
  }

  private int classChar() {
    if (pos >= re.length()) {
      throw new IllegalArgumentException("missing closing ]");
    }
    if (re.charAt(pos) == '\\') {
      return escapedRune();
    }
    int c = re.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }

  /** A POSIX class {@code [:name:]} at {@code pos}, consumed; {@code null} if there is no ":]". */
  private List<int[]> namedClass() {
    int close = re.indexOf(":]", pos + 2);
    if (close < 0) {
      return null;
    }
    String name = re.substring(pos + 2, close);
    boolean negated = name.startsWith("^");
    int[] ranges =
        switch (negated ? name.substring(1) : name) {
          case "alnum" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z'};
          case "alpha" -> new int[] {'A', 'Z', 'a', 'z'};
          case "ascii" -> new int[] {0, 0x7F};
          case "blank" -> new int[] {'\t', '\t', ' ', ' '};
          case "cntrl" -> new int[] {0, 0x1F, 0x7F, 0x7F};
          case "digit" -> DIGIT;
          case "graph" -> new int[] {'!', '~'};
          case "lower" -> new int[] {'a', 'z'};
          case "print" -> new int[] {' ', '~'};
          case "punct" -> new int[] {'!', '/', ':', '@', '[', '`', '{', '~'};
          case "space" -> new int[] {'\t', '\r', ' ', ' '};
          case "upper" -> new int[] {'A', 'Z'};
          case "word" -> WORD;
          case "xdigit" -> new int[] {'0', '9', 'A', 'F', 'a', 'f'};
          default ->
              throw new IllegalArgumentException("invalid character class range: [:" + name + ":]");
        };
    pos = close + 2;
    List<int[]> set = pairs(ranges);
    return negated ? complement(set) : set;
  }

  private static List<int[]> pairs(int[] flat) {
    List<int[]> set = new ArrayList<>();
    for (int i = 0; i < flat.length; i += 2) {
      set.add(new int[] {flat[i], flat[i + 1]});
    }
    return set;
  }

  private static List<int[]> complement(List<int[]> set) {
    List<int[]> sorted = new ArrayList<>(set);
    sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> result = new ArrayList<>();
    int next = 0;
    for (int[] range : sorted) {
      if (range[0] > next) {
        result.add(new int[] {next, range[0] - 1});
      }
      next = Math.max(next, range[1] + 1);
    }
    if (next <= MAX_RUNE) {
      result.add(new int[] {next, MAX_RUNE});
    }
    return result;
  }

  private static String javaClass(List<int[]> set) {
    if (set.isEmpty()) {
      return "(?!)";
    }
    StringBuilder cls = new StringBuilder("[");
    for (int[] range : set) {
      cls.append(String.format("\\x{%x}", range[0]));
      if (range[1] != range[0]) {
        cls.append(String.format("-\\x{%x}", range[1]));
      }
    }
    return cls.append(']').toString();
  }

  private static IllegalArgumentException invalidEscape(int c) {
    return new IllegalArgumentException("invalid escape sequence: \\" + Character.toString(c));
  }

  private static IllegalArgumentException unsupported(String what) {
    return new IllegalArgumentException(
        "regular expression syntax " + what + " is valid in BuildKit but not supported by Strata");
  }
}
