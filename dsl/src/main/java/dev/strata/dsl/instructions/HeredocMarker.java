package dev.strata.dsl.instructions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BuildKit's {@code MustParseHeredoc} for one COPY/ADD word: {@code [fd]<<[-]NAME}, the name with
 * its quotes removed, expansion off when any part of it was quoted; {@code null} when the word is
 * not a heredoc marker.
 */
record HeredocMarker(String name, boolean expand, boolean chomp) {

  private static final Pattern MARKER = Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)$");
  private static final Pattern LEADING_TABS = Pattern.compile("(?m)^\\t+");

  static HeredocMarker parse(String word) {
    Matcher m = MARKER.matcher(word);
    if (!m.matches()) {
      return null;
    }
    String raw = m.group(3);
    StringBuilder name = new StringBuilder();
    boolean quoted = false;
    char quote = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (quote == '"' && c == '\\' && i + 1 < raw.length()) {
          name.append(raw.charAt(++i));
        } else {
          name.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        quoted = true;
      } else if (c == '\\' && i + 1 < raw.length()) {
        name.append(raw.charAt(++i));
      } else if (c == '\\') {
        continue;
      } else if (dev.strata.dsl.GoText.isSpace(c)) {
        return null; // more than one word
      } else {
        name.append(c);
      }
    }
    if (quote != 0 || name.length() == 0) {
      return null;
    }
    return new HeredocMarker(name.toString(), !quoted, !m.group(2).isEmpty());
  }

  /** BuildKit's {@code ChompHeredocContent}: leading tabs removed from every line. */
  static String chomp(String content) {
    return LEADING_TABS.matcher(content).replaceAll("");
  }
}
