package dev.strata.disk.bib;

import java.util.List;
import java.util.regex.Pattern;

/** Renders an argument list as one POSIX shell line a user can paste. */
final class ShellWords {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellWords() {}

  static String join(List<String> words) {
    StringBuilder out = new StringBuilder();
    for (String w : words) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(SAFE.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
    }
    return out.toString();
  }
}
