package dev.strata.dsl.instructions;

import java.util.List;
import java.util.Locale;

/**
 * BuildKit's {@code util/suggest}: append {@code (did you mean X?)} when an option is within
 * Levenshtein distance 2 of the unknown value, matching the value's case when case-insensitive.
 */
final class Suggestion {
  private Suggestion() {}

  static String wrap(String message, String value, List<String> options, boolean caseSensitive) {
    String v = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
    String match = "";
    int best = 3;
    for (String option : options) {
      String o = caseSensitive ? option : option.toLowerCase(Locale.ROOT);
      if (v.equals(o)) {
        return message;
      }
      int d = distance(v, o);
      if (d < best) {
        match = caseSensitive ? o : matchCase(o, value);
        best = d;
      }
    }
    return match.isEmpty() ? message : message + " (did you mean " + match + "?)";
  }

  private static String matchCase(String candidate, String original) {
    if (original.equals(original.toLowerCase(Locale.ROOT))) {
      return candidate.toLowerCase(Locale.ROOT);
    }
    if (original.equals(original.toUpperCase(Locale.ROOT))) {
      return candidate.toUpperCase(Locale.ROOT);
    }
    return candidate;
  }

  /** Levenshtein distance over code points, unit costs (agext/levenshtein defaults). */
  static int distance(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    int[] prev = new int[y.length + 1];
    int[] cur = new int[y.length + 1];
    for (int j = 0; j <= y.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= x.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= y.length; j++) {
        int cost = x[i - 1] == y[j - 1] ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[y.length];
  }
}
