package dev.strata.trust.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A package's license as an SPDX license expression: from a Debian copyright file's short names
 * ({@code GPL-2+} → {@code GPL-2.0-or-later}) or an RPM header's {@code License} (an SPDX
 * expression on current Fedora and RHEL, Fedora's older short names such as {@code GPLv2+} or
 * {@code ASL 2.0} before). {@code or}/{@code and} become {@code OR}/{@code AND}, parentheses are
 * kept, and any other name becomes a {@code LicenseRef-} the document declares, so the expression
 * stays valid; text that does not parse as an expression becomes one {@code LicenseRef-}.
 */
public record SpdxLicense(String expression, List<String> licenseRefs) {
  private static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("gpl-1", "GPL-1.0-only"),
          Map.entry("gpl-1+", "GPL-1.0-or-later"),
          Map.entry("gpl-2", "GPL-2.0-only"),
          Map.entry("gpl-2+", "GPL-2.0-or-later"),
          Map.entry("gpl-3", "GPL-3.0-only"),
          Map.entry("gpl-3+", "GPL-3.0-or-later"),
          Map.entry("lgpl-2", "LGPL-2.0-only"),
          Map.entry("lgpl-2+", "LGPL-2.0-or-later"),
          Map.entry("lgpl-2.1", "LGPL-2.1-only"),
          Map.entry("lgpl-2.1+", "LGPL-2.1-or-later"),
          Map.entry("lgpl-3", "LGPL-3.0-only"),
          Map.entry("lgpl-3+", "LGPL-3.0-or-later"),
          Map.entry("agpl-3", "AGPL-3.0-only"),
          Map.entry("agpl-3+", "AGPL-3.0-or-later"),
          Map.entry("gfdl-1.2+", "GFDL-1.2-or-later"),
          Map.entry("gfdl-1.3+", "GFDL-1.3-or-later"),
          Map.entry("bsd-2-clause", "BSD-2-Clause"),
          Map.entry("bsd-3-clause", "BSD-3-Clause"),
          Map.entry("bsd-4-clause", "BSD-4-Clause"),
          Map.entry("expat", "MIT"),
          Map.entry("mit", "MIT"),
          Map.entry("x11", "X11"),
          Map.entry("isc", "ISC"),
          Map.entry("zlib", "Zlib"),
          Map.entry("apache-2", "Apache-2.0"),
          Map.entry("apache-2.0", "Apache-2.0"),
          Map.entry("artistic", "Artistic-1.0-Perl"),
          Map.entry("artistic-2.0", "Artistic-2.0"),
          Map.entry("mpl-1.1", "MPL-1.1"),
          Map.entry("mpl-2.0", "MPL-2.0"),
          Map.entry("cc0-1.0", "CC0-1.0"),
          Map.entry("psf-2", "PSF-2.0"),
          Map.entry("openssl", "OpenSSL"),
          Map.entry("curl", "curl"),
          Map.entry("bsl-1.0", "BSL-1.0"),
          Map.entry("postgresql", "PostgreSQL"),
          Map.entry("unicode-dfs-2016", "Unicode-DFS-2016"),
          Map.entry("ftl", "FTL"),
          Map.entry("sleepycat", "Sleepycat"),
          Map.entry("wtfpl", "WTFPL"));

  /**
   * RPM License tags: the SPDX identifiers above (any case), and Fedora's short names from before
   * its move to SPDX (2022) that name one SPDX license unambiguously.
   */
  private static final Map<String, String> RPM = rpmNames();

  private static Map<String, String> rpmNames() {
    Map<String, String> names = new java.util.HashMap<>();
    KNOWN.values().forEach(id -> names.put(id.toLowerCase(Locale.ROOT), id));
    names.putAll(
        Map.ofEntries(
            Map.entry("gplv2", "GPL-2.0-only"),
            Map.entry("gplv2+", "GPL-2.0-or-later"),
            Map.entry("gplv3", "GPL-3.0-only"),
            Map.entry("gplv3+", "GPL-3.0-or-later"),
            Map.entry("lgplv2", "LGPL-2.0-only"),
            Map.entry("lgplv2+", "LGPL-2.0-or-later"),
            Map.entry("lgplv2.1", "LGPL-2.1-only"),
            Map.entry("lgplv2.1+", "LGPL-2.1-or-later"),
            Map.entry("lgplv3", "LGPL-3.0-only"),
            Map.entry("lgplv3+", "LGPL-3.0-or-later"),
            Map.entry("agplv3", "AGPL-3.0-only"),
            Map.entry("agplv3+", "AGPL-3.0-or-later"),
            Map.entry("asl 2.0", "Apache-2.0"),
            Map.entry("mplv2.0", "MPL-2.0")));
    return Map.copyOf(names);
  }

  /** Translates a Debian {@code License:} short-name expression. */
  public static SpdxLicense fromDebian(String debian) {
    return translate(
        debian, term -> term.size() == 1 ? KNOWN.get(term.get(0).toLowerCase(Locale.ROOT)) : null);
  }

  /** Translates an RPM header's {@code License} tag. */
  public static SpdxLicense fromRpm(String rpm) {
    return translate(rpm, term -> RPM.get(String.join(" ", term).toLowerCase(Locale.ROOT)));
  }

  /**
   * Splits {@code text} into terms (runs of words), operators and parentheses; {@code identify}
   * names a term's SPDX identifier, or null for a {@code LicenseRef-}.
   */
  private static SpdxLicense translate(String text, Function<List<String>, String> identify) {
    List<String> out = new ArrayList<>();
    TreeSet<String> refs = new TreeSet<>();
    List<String> term = new ArrayList<>();
    for (String word : text.trim().replace("(", " ( ").replace(")", " ) ").split("[\\s,]+")) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (lower.equals("or") || lower.equals("and") || word.equals("(") || word.equals(")")) {
        if (!term.isEmpty()) {
          out.add(identifier(term, identify, refs));
          term.clear();
        }
        out.add(word.length() == 1 ? word : lower.toUpperCase(Locale.ROOT));
      } else if (!word.isEmpty()) {
        term.add(word);
      }
    }
    if (!term.isEmpty()) {
      out.add(identifier(term, identify, refs));
    }
    // Dangling operators (e.g. "GPL-2+ or") would make an invalid expression.
    while (!out.isEmpty() && isOperator(out.get(0))) {
      out.remove(0);
    }
    while (!out.isEmpty() && isOperator(out.get(out.size() - 1))) {
      out.remove(out.size() - 1);
    }
    if (out.isEmpty()) {
      return new SpdxLicense("NOASSERTION", List.of());
    }
    if (!wellFormed(out)) {
      String ref = licenseRef(List.of(text.trim()));
      return new SpdxLicense(ref, List.of(ref));
    }
    return new SpdxLicense(
        String.join(" ", out).replace("( ", "(").replace(" )", ")"), List.copyOf(refs));
  }

  private static boolean isOperator(String token) {
    return token.equals("OR") || token.equals("AND");
  }

  /** Operands and operators alternate, and parentheses balance around operands. */
  private static boolean wellFormed(List<String> tokens) {
    int depth = 0;
    boolean operandExpected = true;
    for (String token : tokens) {
      if (token.equals("(")) {
        if (!operandExpected) {
          return false;
        }
        depth++;
      } else if (token.equals(")")) {
        if (operandExpected || --depth < 0) {
          return false;
        }
      } else if (isOperator(token)) {
        if (operandExpected) {
          return false;
        }
        operandExpected = true;
      } else {
        if (!operandExpected) {
          return false;
        }
        operandExpected = false;
      }
    }
    return depth == 0 && !operandExpected;
  }

  // "GPL-2+ with OpenSSL exception" is one term; SPDX exceptions are a closed list, so such terms
  // become a LicenseRef rather than a possibly wrong WITH clause.
  private static String identifier(
      List<String> term, Function<List<String>, String> identify, TreeSet<String> refs) {
    String known = identify.apply(term);
    if (known != null) {
      return known;
    }
    String ref = licenseRef(term);
    refs.add(ref);
    return ref;
  }

  private static String licenseRef(List<String> term) {
    return "LicenseRef-"
        + String.join("-", term)
            .replace("+", "-plus")
            .replaceAll("[^A-Za-z0-9.]+", "-")
            .replaceAll("^-+|-+$", "");
  }
}
