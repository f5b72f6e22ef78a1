package dev.strata.disk.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as bootc-image-builder's config and {@code --size} write it: a number of bytes, or a
 * number with a unit ({@code 10 GiB}, {@code 512MiB}, {@code 20 GB}, {@code 4G}). Binary units are
 * powers of 1024, decimal ones powers of 1000; a bare letter (K, M, G, T) is binary.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*");
  private static final Map<String, Long> UNITS =
      Map.ofEntries(
          Map.entry("", 1L),
          Map.entry("b", 1L),
          Map.entry("k", 1L << 10),
          Map.entry("kib", 1L << 10),
          Map.entry("kb", 1000L),
          Map.entry("m", 1L << 20),
          Map.entry("mib", 1L << 20),
          Map.entry("mb", 1000_000L),
          Map.entry("g", 1L << 30),
          Map.entry("gib", 1L << 30),
          Map.entry("gb", 1000_000_000L),
          Map.entry("t", 1L << 40),
          Map.entry("tib", 1L << 40),
          Map.entry("tb", 1000_000_000_000L));

  private ByteSize() {}

  /** The number of bytes {@code text} means; {@code where} names it in the error. */
  public static long parse(String text, String where) {
    Matcher m = SIZE.matcher(text);
    Long unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
    if (unit == null) {
      throw new IllegalArgumentException(
          where + ": '" + text + "' is not a size; write e.g. '10 GiB', '512 MiB' or a byte count");
    }
    return (long) Math.ceil(Double.parseDouble(m.group(1)) * unit);
  }

  /** {@code bytes} in the largest binary unit that keeps it readable, e.g. {@code 2.5 GiB}. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int i = 0;
    while (value >= 1024 && i < units.length - 1) {
      value /= 1024;
      i++;
    }
    return (value == Math.rint(value)
            ? Long.toString((long) value)
            : String.format(Locale.ROOT, "%.1f", value))
        + " "
        + units[i];
  }
}
