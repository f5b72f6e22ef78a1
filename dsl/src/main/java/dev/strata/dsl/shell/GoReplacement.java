package dev.strata.dsl.shell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code Regexp.ReplaceAllString}, used by {@code ${v//p/r}}. Java's {@code replaceAll}
 * differs twice: it also replaces an empty match right after a match ({@code b*} on {@code abc}
 * gives {@code -a--c-} in Java, {@code -a-c-} in Go), and its template language is not Go's. Both
 * are replicated here instead.
 */
final class GoReplacement {
  private GoReplacement() {}

  /** Replaces every match of {@code re} in {@code src} by {@code template}, expanded as Go does. */
  static String replaceAll(Pattern re, String src, String template) {
    StringBuilder out = new StringBuilder(src.length());
    Matcher m = re.matcher(src);
    int end = src.length();
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= end && m.find(searchPos)) {
      int start = m.start();
      int matchEnd = m.end();
      out.append(src, lastMatchEnd, start);
      // An empty match abutting the previous match is not replaced again.
      if (matchEnd > lastMatchEnd || start == 0) {
        expand(out, template, src, start, matchEnd);
      }
      lastMatchEnd = matchEnd;
      int width = searchPos < end ? Character.charCount(src.codePointAt(searchPos)) : 0;
      if (searchPos + width > matchEnd) {
        searchPos += width;
      } else if (searchPos + 1 > matchEnd) {
        searchPos++;
      } else {
        searchPos = matchEnd;
      }
    }
    out.append(src, lastMatchEnd, end);
    return out.toString();
  }

  /**
   * Go's {@code Regexp.expand} for a pattern without groups: {@code $$} is {@code $}, {@code $0} or
   * {@code ${0}} is the match, any other well-formed {@code $name}/{@code ${name}} is empty (no
   * such group), and a malformed reference leaves the {@code $} as text.
   */
  static void expand(StringBuilder out, String template, String src, int start, int end) {
    String rest = template;
    while (!rest.isEmpty()) {
      int dollar = rest.indexOf('$');
      if (dollar < 0) {
        break;
      }
      out.append(rest, 0, dollar);
      rest = rest.substring(dollar + 1);
      if (!rest.isEmpty() && rest.charAt(0) == '$') {
        out.append('$');
        rest = rest.substring(1);
        continue;
      }
      Reference ref = Reference.extract(rest);
      if (ref == null) {
        out.append('$');
        continue;
      }
      rest = rest.substring(ref.length());
      // Go: a number without leading zeros is a group index; only group 0 exists. Names of
      // groups never match (the generated regex has none).
      if (ref.name().equals("0")) {
        out.append(src, start, end);
      }
    }
    out.append(rest);
  }

  /** A {@code name} or {@code {name}} after a {@code $}; {@code length} counts the braces. */
  private record Reference(String name, int length) {

    /** Go's {@code extract}; {@code null} when there is no well-formed reference. */
    static Reference extract(String text) {
      if (text.isEmpty()) {
        return null;
      }
      boolean brace = text.charAt(0) == '{';
      int from = brace ? 1 : 0;
      int i = from;
      while (i < text.length()) {
        int c = text.codePointAt(i);
        if (!Character.isLetter(c) && !Character.isDigit(c) && c != '_') {
          break;
        }
        i += Character.charCount(c);
      }
      if (i == from) {
        return null;
      }
      String name = text.substring(from, i);
      if (brace) {
        if (i >= text.length() || text.charAt(i) != '}') {
          return null;
        }
        i++;
      }
      return new Reference(name, i);
    }
  }
}
