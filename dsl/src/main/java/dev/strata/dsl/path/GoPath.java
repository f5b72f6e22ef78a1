package dev.strata.dsl.path;

/**
 * Go's {@code path/filepath} on a Unix host, as BuildKit applies it: {@code Clean}, {@code Dir} and
 * {@code Match} for ignore patterns, and the wildcard resolution of COPY/ADD sources (fsutil's
 * {@code ResolveWildcards}, which matches a pattern one path element at a time).
 */
public final class GoPath {
  private GoPath() {}

  /** Go's {@code filepath.Clean}: the shortest equivalent path, lexically. */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    int n = path.length();
    StringBuilder out = new StringBuilder(n);
    int r = 0;
    int dotdot = 0;
    if (rooted) {
      out.append('/');
      r = 1;
      dotdot = 1;
    }
    while (r < n) {
      char c = path.charAt(r);
      if (c == '/') {
        r++;
      } else if (c == '.' && (r + 1 == n || path.charAt(r + 1) == '/')) {
        r++;
      } else if (c == '.'
          && path.charAt(r + 1) == '.'
          && (r + 2 == n || path.charAt(r + 2) == '/')) {
        r += 2;
        if (out.length() > dotdot) {
          int w = out.length() - 1;
          while (w > dotdot && out.charAt(w) != '/') {
            w--;
          }
          out.setLength(w);
        } else if (!rooted) {
          if (out.length() > 0) {
            out.append('/');
          }
          out.append("..");
          dotdot = out.length();
        }
      } else {
        if (rooted && out.length() != 1 || !rooted && out.length() != 0) {
          out.append('/');
        }
        while (r < n && path.charAt(r) != '/') {
          out.append(path.charAt(r));
          r++;
        }
      }
    }
    return out.length() == 0 ? "." : out.toString();
  }

  /** Go's {@code filepath.Dir}: all but the last element, cleaned; {@code "."} when none. */
  public static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return clean(path.substring(0, slash + 1));
  }

  /**
   * Go's {@code filepath.Match}: whether {@code name} matches the shell pattern.
   *
   * @throws IllegalArgumentException ({@code filepath.ErrBadPattern}) when the pattern is
   *     malformed; like Go since 1.16, the whole pattern is checked even when the match fails early
   */
  public static boolean match(String pattern, String name) {
    String rest = pattern;
    pattern:
    while (!rest.isEmpty()) {
      boolean star = false;
      int p = 0;
      while (p < rest.length() && rest.charAt(p) == '*') {
        p++;
        star = true;
      }
      rest = rest.substring(p);
      int end = chunkEnd(rest);
      String chunk = rest.substring(0, end);
      rest = rest.substring(end);
      if (star && chunk.isEmpty()) {
        // A trailing * matches the rest of the name unless it holds a separator.
        return name.indexOf('/') < 0;
      }
      String t = matchChunk(chunk, name);
      if (t != null && (t.isEmpty() || !rest.isEmpty())) {
        name = t;
        continue;
      }
      if (star) {
        // Look for a match skipping i+1 characters; * cannot skip a separator.
        for (int i = 0; i < name.length() && name.charAt(i) != '/'; i++) {
          t = matchChunk(chunk, name.substring(i + 1));
          if (t != null) {
            if (rest.isEmpty() && !t.isEmpty()) {
              continue;
            }
            name = t;
            continue pattern;
          }
        }
      }
      // Before failing, make sure the remainder of the pattern is well formed.
      while (!rest.isEmpty()) {
        int q = 0;
        while (q < rest.length() && rest.charAt(q) == '*') {
          q++;
        }
        rest = rest.substring(q);
        int e = chunkEnd(rest);
        matchChunk(rest.substring(0, e), "");
        rest = rest.substring(e);
      }
      return false;
    }
    return name.isEmpty();
  }

  /** Go's {@code scanChunk}: where the chunk before the next unbracketed star ends. */
  /**
   * Whether a COPY/ADD source pattern selects {@code path} (both relative to the context, {@code
   * /}-separated): the pattern's elements match the path's leading elements one by one, as fsutil
   * resolves wildcards, so a pattern that names a directory selects everything below it.
   *
   * @throws IllegalArgumentException when the pattern is malformed
   */
  public static boolean selects(String pattern, String path) {
    String[] want = pattern.split("/", -1);
    String[] have = path.split("/", -1);
    if (have.length < want.length) {
      for (String element : want) {
        match(element, "");
      }
      return false;
    }
    boolean selected = true;
    for (int i = 0; i < want.length; i++) {
      selected &= match(want[i], have[i]);
    }
    return selected;
  }

  /** Whether {@code pattern} holds a character {@link #match} treats specially. */
  public static boolean hasWildcards(String pattern) {
    return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
  }

  private static int chunkEnd(String pattern) {
    boolean inRange = false;
    int i = 0;
    for (; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        if (i + 1 < pattern.length()) {
          i++;
        }
      } else if (c == '[') {
        inRange = true;
      } else if (c == ']') {
        inRange = false;
      } else if (c == '*' && !inRange) {
        break;
      }
    }
    return i;
  }

  /**
   * Go's {@code matchChunk}: the rest of {@code s} after the chunk matched its start, {@code null}
   * when it did not. After a failure the chunk is still read to the end to check its syntax.
   */
  private static String matchChunk(String chunk, String s) {
    boolean failed = false;
    int c = 0;
    int si = 0;
    while (c < chunk.length()) {
      if (!failed && si >= s.length()) {
        failed = true;
      }
      char ch = chunk.charAt(c);
      if (ch == '[') {
        int r = 0;
        if (!failed) {
          r = s.codePointAt(si);
          si += Character.charCount(r);
        }
        c++;
        boolean negated = false;
        if (c < chunk.length() && chunk.charAt(c) == '^') {
          negated = true;
          c++;
        }
        boolean matched = false;
        int ranges = 0;
        while (true) {
          if (c < chunk.length() && chunk.charAt(c) == ']' && ranges > 0) {
            c++;
            break;
          }
          int[] lo = classChar(chunk, c);
          c = lo[1];
          int hi = lo[0];
          if (chunk.charAt(c) == '-') {
            int[] h = classChar(chunk, c + 1);
            hi = h[0];
            c = h[1];
          }
          if (lo[0] <= r && r <= hi) {
            matched = true;
          }
          ranges++;
        }
        if (matched == negated) {
          failed = true;
        }
      } else if (ch == '?') {
        if (!failed) {
          int r = s.codePointAt(si);
          if (r == '/') {
            failed = true;
          }
          si += Character.charCount(r);
        }
        c++;
      } else {
        if (ch == '\\') {
          c++;
          if (c >= chunk.length()) {
            throw badPattern();
          }
        }
        if (!failed) {
          if (chunk.charAt(c) != s.charAt(si)) {
            failed = true;
          }
          si++;
        }
        c++;
      }
    }
    return failed ? null : s.substring(si);
  }

  /** Go's {@code getEsc}: one (possibly escaped) class member and the index after it. */
  private static int[] classChar(String chunk, int c) {
    if (c >= chunk.length() || chunk.charAt(c) == '-' || chunk.charAt(c) == ']') {
      throw badPattern();
    }
    if (chunk.charAt(c) == '\\') {
      c++;
      if (c >= chunk.length()) {
        throw badPattern();
      }
    }
    int r = chunk.codePointAt(c);
    c += Character.charCount(r);
    if (c >= chunk.length()) {
      throw badPattern();
    }
    return new int[] {r, c};
  }

  private static IllegalArgumentException badPattern() {
    return new IllegalArgumentException("syntax error in pattern");
  }
}
