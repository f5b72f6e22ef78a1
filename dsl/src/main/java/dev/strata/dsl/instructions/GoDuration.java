package dev.strata.dsl.instructions;

import dev.strata.dsl.GoText;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Go's {@code time.ParseDuration}: a signed sequence of decimal numbers with units {@code ns us µs
 * μs ms s m h} ({@code 1h30m}, {@code .5s}), with Go's error texts.
 */
public final class GoDuration {
  private GoDuration() {}

  private static final long MAX = Long.MAX_VALUE;

  /** Parses {@code s}; throws {@link IllegalArgumentException} with Go's message. */
  public static Duration parse(String s) {
    String orig = s;
    boolean neg = false;
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw invalid(orig);
    }
    BigInteger total = BigInteger.ZERO;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        throw invalid(orig);
      }
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      String whole = s.substring(start, i);
      boolean pre = !whole.isEmpty();
      String frac = "";
      boolean post = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fs = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        frac = s.substring(fs, i);
        post = !frac.isEmpty();
      }
      if (!pre && !post) {
        throw invalid(orig);
      }
      int us = i;
      while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
        i++;
      }
      if (us == i) {
        throw new IllegalArgumentException("time: missing unit in duration " + GoText.quote(orig));
      }
      String u = s.substring(us, i);
      long unit =
          switch (u) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default ->
                throw new IllegalArgumentException(
                    "time: unknown unit " + GoText.quote(u) + " in duration " + GoText.quote(orig));
          };
      BigInteger v = pre ? new BigInteger(whole) : BigInteger.ZERO;
      BigInteger part = v.multiply(BigInteger.valueOf(unit));
      if (post) {
        // Go keeps fraction digits as a float with truncation; integer arithmetic gives the same
        // nanoseconds for every representable input.
        BigInteger scale = BigInteger.TEN.pow(frac.length());
        part = part.add(new BigInteger(frac).multiply(BigInteger.valueOf(unit)).divide(scale));
      }
      total = total.add(part);
      if (total.compareTo(BigInteger.valueOf(MAX).add(BigInteger.ONE)) > 0
          || (!neg && total.compareTo(BigInteger.valueOf(MAX)) > 0)) {
        throw invalid(orig);
      }
    }
    long nanos = neg ? total.negate().longValue() : total.longValue();
    return Duration.ofNanos(nanos);
  }

  private static IllegalArgumentException invalid(String orig) {
    return new IllegalArgumentException("time: invalid duration " + GoText.quote(orig));
  }

  /**
   * Go's {@code Duration.String()} for the common cases ({@code 1ms}, {@code 1m30s}, {@code 0s}).
   */
  public static String format(Duration d) {
    long n = d.toNanos();
    if (n == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (n < 0) {
      out.append('-');
      n = -n;
    }
    if (n < 1_000_000_000L) {
      if (n < 1_000L) {
        return out.append(n).append("ns").toString();
      } else if (n < 1_000_000L) {
        return out.append(fraction(n, 1_000L)).append("µs").toString();
      }
      return out.append(fraction(n, 1_000_000L)).append("ms").toString();
    }
    long h = n / 3_600_000_000_000L;
    n -= h * 3_600_000_000_000L;
    long m = n / 60_000_000_000L;
    n -= m * 60_000_000_000L;
    if (h > 0) {
      out.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      out.append(m).append('m');
    }
    return out.append(fraction(n, 1_000_000_000L)).append('s').toString();
  }

  private static String fraction(long n, long unit) {
    long whole = n / unit;
    long rest = n % unit;
    if (rest == 0) {
      return Long.toString(whole);
    }
    String digits = String.format("%0" + (Long.toString(unit).length() - 1) + "d", rest);
    return whole + "." + digits.replaceAll("0+$", "");
  }
}
