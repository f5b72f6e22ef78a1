package dev.strata.dsl.ignore;

import java.util.regex.Pattern;

/**
 * One ignore pattern compiled the way moby/patternmatcher's {@code Pattern.compile} does it: a
 * pattern without wildcards is compared for equality, {@code dir/**} by prefix, {@code **}{@code
 * /name} by suffix, and everything else through a regular expression where {@code *} and {@code ?}
 * stop at {@code /} and {@code **} spans any number of directories, including none.
 *
 * <p>patternmatcher compiles lazily at the first match; Strata compiles at parse time so that an
 * expression Go's regexp would refuse is reported with its file and line instead of failing the
 * context walk.
 */
final class CompiledPattern {
  private enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEXP
  }

  /** Characters that are special to a regular expression but not to {@code filepath.Match}. */
  private static final String REGEXP_ONLY = ".+()|{}$";

  private final IgnorePattern source;
  private final Kind kind;
  private final String literal;
  private final Pattern regexp;

  private CompiledPattern(IgnorePattern source, Kind kind, String literal, Pattern regexp) {
    this.source = source;
    this.kind = kind;
    this.literal = literal;
    this.regexp = regexp;
  }

  /**
   * Compiles a cleaned pattern.
   *
   * @throws IllegalArgumentException when Go's regexp would not compile the translated pattern
   */
  static CompiledPattern compile(IgnorePattern source) {
    String pattern = source.text();
    StringBuilder regex = new StringBuilder("^");
    Kind kind = Kind.EXACT;
    int i = 0;
    for (int step = 0; i < pattern.length(); step++) {
      int ch = pattern.codePointAt(i);
      i += Character.charCount(ch);
      if (ch == '*') {
        if (i < pattern.length() && pattern.charAt(i) == '*') {
          i++;
          // "**/" is read as "**".
          if (i < pattern.length() && pattern.charAt(i) == '/') {
            i++;
          }
          if (i >= pattern.length()) {
            // A trailing "**" accepts everything, as in .gitignore.
            if (kind == Kind.EXACT) {
              kind = Kind.PREFIX;
            } else {
              regex.append(".*");
              kind = Kind.REGEXP;
            }
          } else {
            // Any number of directories, even none: ".*" eats slashes too.
            regex.append("(.*/)?");
            kind = Kind.REGEXP;
          }
          if (step == 0) {
            kind = Kind.SUFFIX;
          }
        } else {
          regex.append("[^/]*");
          kind = Kind.REGEXP;
        }
      } else if (ch == '?') {
        regex.append("[^/]");
        kind = Kind.REGEXP;
      } else if (ch < 0x80 && REGEXP_ONLY.indexOf(ch) >= 0) {
        regex.append('\\').appendCodePoint(ch);
      } else if (ch == '\\') {
        // Escapes the next character; a trailing backslash stays (escaped for the regexp).
        if (i < pattern.length()) {
          int next = pattern.codePointAt(i);
          i += Character.charCount(next);
          regex.append('\\').appendCodePoint(next);
          kind = Kind.REGEXP;
        } else {
          regex.append('\\');
        }
      } else if (ch == '[' || ch == ']') {
        regex.appendCodePoint(ch);
        kind = Kind.REGEXP;
      } else {
        regex.appendCodePoint(ch);
      }
    }
    return switch (kind) {
      case EXACT -> new CompiledPattern(source, kind, pattern, null);
      case PREFIX ->
          new CompiledPattern(source, kind, pattern.substring(0, pattern.length() - 2), null);
      case SUFFIX -> new CompiledPattern(source, kind, pattern.substring(2), null);
      case REGEXP ->
          new CompiledPattern(source, kind, null, GoRegexp.compile(regex.append('$').toString()));
    };
  }

  IgnorePattern source() {
    return source;
  }

  boolean exclusion() {
    return source.exclusion();
  }

  /** patternmatcher's {@code Pattern.match}: whether the slash-separated path matches. */
  boolean matches(String path) {
    return switch (kind) {
      case EXACT -> path.equals(literal);
      case PREFIX -> path.startsWith(literal);
      case SUFFIX ->
          path.endsWith(literal)
              // "**/foo" matches "foo".
              || (!literal.isEmpty()
                  && literal.charAt(0) == '/'
                  && path.equals(literal.substring(1)));
      case REGEXP -> regexp.matcher(path).find();
    };
  }
}
