package dev.strata.packages;

import java.util.Comparator;
import java.util.Optional;

/**
 * An RPM {@code [epoch:]version[-release]}, ordered as rpm orders packages: epochs numerically (a
 * missing epoch is 0), then version and release by {@link #rpmvercmp}.
 */
public record RpmVersion(int epoch, String version, Optional<String> release)
    implements Comparable<RpmVersion> {

  /** Orders EVR strings by rpm's rules. */
  public static final Comparator<String> ORDER = (a, b) -> parse(a).compareTo(parse(b));

  /**
   * Parses {@code [epoch:]version[-release]}.
   *
   * @throws IllegalArgumentException when the epoch is not a number or the version is empty
   */
  public static RpmVersion parse(String text) {
    EpochVersion v = EpochVersion.split(text, "RPM");
    return new RpmVersion(v.epoch(), v.version(), v.release());
  }

  @Override
  public int compareTo(RpmVersion other) {
    int byEpoch = Integer.compare(epoch, other.epoch);
    if (byEpoch != 0) {
      return byEpoch;
    }
    int byVersion = rpmvercmp(version, other.version);
    if (byVersion != 0 || release.isEmpty() || other.release.isEmpty()) {
      // rpm compares releases only when both sides name one.
      return byVersion;
    }
    return rpmvercmp(release.get(), other.release.get());
  }

  /**
   * rpm's {@code rpmvercmp}: -1, 0 or 1. Separators (anything but ASCII letters, digits, {@code ~}
   * and {@code ^}) only split segments; {@code ~} sorts before everything, {@code ^} after the end
   * of a version but before any other segment; numeric segments beat alphabetic ones.
   */
  public static int rpmvercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int one = 0;
    int two = 0;
    while (one < a.length() || two < b.length()) {
      while (one < a.length() && isSeparator(a.charAt(one))) {
        one++;
      }
      while (two < b.length() && isSeparator(b.charAt(two))) {
        two++;
      }
      char c1 = charAt(a, one);
      char c2 = charAt(b, two);
      if (c1 == '~' || c2 == '~') {
        if (c1 != '~') {
          return 1;
        }
        if (c2 != '~') {
          return -1;
        }
        one++;
        two++;
        continue;
      }
      if (c1 == '^' || c2 == '^') {
        if (c1 == 0) {
          return -1;
        }
        if (c2 == 0) {
          return 1;
        }
        if (c1 != '^') {
          return 1;
        }
        if (c2 != '^') {
          return -1;
        }
        one++;
        two++;
        continue;
      }
      if (c1 == 0 || c2 == 0) {
        break;
      }
      int end1 = one;
      int end2 = two;
      boolean numeric = isDigit(c1);
      if (numeric) {
        while (isDigit(charAt(a, end1))) {
          end1++;
        }
        while (isDigit(charAt(b, end2))) {
          end2++;
        }
      } else {
        while (isLetter(charAt(a, end1))) {
          end1++;
        }
        while (isLetter(charAt(b, end2))) {
          end2++;
        }
      }
      if (two == end2) {
        // Segments of different kinds: the numeric one is newer.
        return numeric ? 1 : -1;
      }
      String seg1 = a.substring(one, end1);
      String seg2 = b.substring(two, end2);
      if (numeric) {
        seg1 = stripLeadingZeros(seg1);
        seg2 = stripLeadingZeros(seg2);
        if (seg1.length() != seg2.length()) {
          return seg1.length() > seg2.length() ? 1 : -1;
        }
      }
      int rc = seg1.compareTo(seg2);
      if (rc != 0) {
        return rc < 0 ? -1 : 1;
      }
      one = end1;
      two = end2;
    }
    boolean oneDone = one >= a.length();
    boolean twoDone = two >= b.length();
    if (oneDone && twoDone) {
      return 0;
    }
    return oneDone ? -1 : 1;
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static boolean isSeparator(char c) {
    return !isDigit(c) && !isLetter(c) && c != '~' && c != '^';
  }

  private static char charAt(String s, int index) {
    return index < s.length() ? s.charAt(index) : 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  @Override
  public String toString() {
    return (epoch != 0 ? epoch + ":" : "") + version + release.map(r -> "-" + r).orElse("");
  }
}
