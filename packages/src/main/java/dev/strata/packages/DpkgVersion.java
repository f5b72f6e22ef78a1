package dev.strata.packages;

import java.util.Comparator;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as {@code dpkg
 * --compare-versions} orders it: epochs numerically, then upstream and revision by dpkg's {@code
 * verrevcmp} (a tilde sorts before everything, even the end of the string; letters sort before
 * other non-digits; digit runs compare numerically).
 */
public record DpkgVersion(int epoch, String upstream, String revision)
    implements Comparable<DpkgVersion> {

  /** Orders version strings by dpkg's rules. */
  public static final Comparator<String> ORDER = (a, b) -> parse(a).compareTo(parse(b));

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException when the epoch is not a number or the version is empty
   */
  public static DpkgVersion parse(String text) {
    EpochVersion v = EpochVersion.split(text, "Debian");
    return new DpkgVersion(v.epoch(), v.version(), v.release().orElse(""));
  }

  @Override
  public int compareTo(DpkgVersion other) {
    int byEpoch = Integer.compare(epoch, other.epoch);
    if (byEpoch != 0) {
      return byEpoch;
    }
    int byUpstream = verrevcmp(upstream, other.upstream);
    return byUpstream != 0 ? byUpstream : verrevcmp(revision, other.revision);
  }

  /** dpkg's verrevcmp: the sign of the result is what matters. */
  static int verrevcmp(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !isDigit(charAt(a, i)))
          || (j < b.length() && !isDigit(charAt(b, j)))) {
        int ac = order(charAt(a, i));
        int bc = order(charAt(b, j));
        if (ac != bc) {
          return Integer.signum(ac - bc);
        }
        i++;
        j++;
      }
      while (charAt(a, i) == '0') {
        i++;
      }
      while (charAt(b, j) == '0') {
        j++;
      }
      int firstDiff = 0;
      while (isDigit(charAt(a, i)) && isDigit(charAt(b, j))) {
        if (firstDiff == 0) {
          firstDiff = charAt(a, i) - charAt(b, j);
        }
        i++;
        j++;
      }
      if (isDigit(charAt(a, i))) {
        return 1;
      }
      if (isDigit(charAt(b, j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return Integer.signum(firstDiff);
      }
    }
    return 0;
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

  private static int order(char c) {
    if (isDigit(c)) {
      return 0;
    } else if (isLetter(c)) {
      return c;
    } else if (c == '~') {
      return -1;
    } else if (c != 0) {
      return c + 256;
    }
    return 0;
  }

  @Override
  public String toString() {
    return (epoch != 0 ? epoch + ":" : "") + upstream + (revision.isEmpty() ? "" : "-" + revision);
  }
}
