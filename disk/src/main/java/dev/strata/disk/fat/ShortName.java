package dev.strata.disk.fat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The 8.3 name of an entry (11 bytes, space-padded) and how its long name is kept. A name that fits
 * 8.3 in upper case is its own short name with no long name; one that fits in lower case (or a
 * lower-case part and an upper-case part) sets the NT case flags instead, as Windows NT and mtools
 * do. Every other name gets a long name and a short name generated from it: upper-cased, spaces and
 * leading dots dropped, characters 8.3 cannot hold turned to {@code _}, the part before the last
 * dot cut to fit a numeric tail ({@code ~1}, {@code ~2}, …) that makes it unique in its folder.
 */
record ShortName(byte[] bytes, int caseFlags, boolean needsLongName) {
  static final int LOWER_BASE = 0x08;
  static final int LOWER_EXTENSION = 0x10;
  private static final String SPECIAL = "!#$%&'()-@^_`{}~";
  private static final int MAX_TAIL = 999_999;

  /** Whether {@code c} may stand in a short name as it is. */
  static boolean isShortChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SPECIAL.indexOf(c) >= 0;
  }

  /** The short names of a folder's entries, in their order, none equal to another. */
  static List<ShortName> forFolder(List<String> names) throws FatException {
    List<ShortName> result = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    // names that are their own short name first, so a generated one never takes theirs
    for (String name : names) {
      ShortName exact = exact(name);
      if (exact != null) {
        taken.add(exact.key());
      }
      result.add(exact);
    }
    for (int i = 0; i < names.size(); i++) {
      if (result.get(i) == null) {
        result.set(i, numbered(names.get(i), taken));
      }
    }
    return result;
  }

  /** The name as a short name if it fits 8.3 without change but perhaps case; else null. */
  static ShortName exact(String name) {
    int dot = name.indexOf('.');
    if (dot != name.lastIndexOf('.') || dot == 0) {
      return null;
    }
    String base = dot < 0 ? name : name.substring(0, dot);
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    if (base.isEmpty() || base.length() > 8 || ext.length() > 3) {
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '.' && !isShortChar(c) && !(c >= 'a' && c <= 'z')) {
        return null;
      }
    }
    boolean mixedBase = hasLower(base) && hasUpper(base);
    boolean mixedExt = hasLower(ext) && hasUpper(ext);
    int flags =
        mixedBase || mixedExt
            ? 0
            : (hasLower(base) ? LOWER_BASE : 0) | (hasLower(ext) ? LOWER_EXTENSION : 0);
    return new ShortName(
        pack(base.toUpperCase(Locale.ROOT), ext.toUpperCase(Locale.ROOT)),
        flags,
        mixedBase || mixedExt);
  }

  private static ShortName numbered(String name, Set<String> taken) throws FatException {
    String upper = name.toUpperCase(Locale.ROOT).replace(" ", "");
    int start = 0;
    while (start < upper.length() && upper.charAt(start) == '.') {
      start++;
    }
    upper = upper.substring(start);
    int dot = upper.lastIndexOf('.');
    String base = shortChars(dot < 0 ? upper : upper.substring(0, dot).replace(".", ""), 8);
    String ext = dot < 0 ? "" : shortChars(upper.substring(dot + 1), 3);
    if (base.isEmpty()) {
      base = "_";
    }
    for (int n = 1; n <= MAX_TAIL; n++) {
      String tail = "~" + n;
      byte[] bytes =
          pack(base.substring(0, Math.min(base.length(), 8 - tail.length())) + tail, ext);
      ShortName candidate = new ShortName(bytes, 0, true);
      if (taken.add(candidate.key())) {
        return candidate;
      }
    }
    throw new FatException(
        "more than " + MAX_TAIL + " names in one folder share the short name of '" + name + "'");
  }

  /** {@code s} with every character 8.3 cannot hold as {@code _}, at most {@code max} long. */
  private static String shortChars(String s, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < max; i = s.offsetByCodePoints(i, 1)) {
      int cp = s.codePointAt(i);
      out.append(cp < 0x80 && isShortChar((char) cp) ? (char) cp : '_');
    }
    return out.toString();
  }

  private static byte[] pack(String base, String ext) {
    byte[] name = new byte[11];
    Arrays.fill(name, (byte) ' ');
    System.arraycopy(base.getBytes(StandardCharsets.US_ASCII), 0, name, 0, base.length());
    System.arraycopy(ext.getBytes(StandardCharsets.US_ASCII), 0, name, 8, ext.length());
    return name;
  }

  private static boolean hasLower(String s) {
    return has(s, 'a', 'z');
  }

  private static boolean hasUpper(String s) {
    return has(s, 'A', 'Z');
  }

  private static boolean has(String s, char from, char to) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= from && s.charAt(i) <= to) {
        return true;
      }
    }
    return false;
  }

  /** The 11 bytes as a string, to compare short names. */
  String key() {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** The checksum of the 11 bytes that each of its long-name entries carries. */
  int checksum() {
    int sum = 0;
    for (byte b : bytes) {
      sum = (((sum & 1) << 7) + ((sum & 0xFF) >> 1) + (b & 0xFF)) & 0xFF;
    }
    return sum;
  }
}
