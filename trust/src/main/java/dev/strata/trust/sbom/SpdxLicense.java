package dev.strata.trust.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Debian license expression translated into an SPDX license expression: well-known short names
 * become SPDX identifiers ({@code GPL-2+} → {@code GPL-2.0-or-later}), {@code or}/{@code and}
 * become {@code OR}/{@code AND}, and any other name becomes a {@code LicenseRef-} the document
 * declares, so the expression stays valid.
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

  /** Translates a Debian {@code License:} short-name expression. */
  public static SpdxLicense fromDebian(String debian) {
    List<String> out = new ArrayList<>();
    TreeSet<String> refs = new TreeSet<>();
    List<String> term = new ArrayList<>();
    for (String word : debian.trim().split("[\\s,]+")) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (lower.equals("or") || lower.equals("and")) {
        if (!term.isEmpty()) {
          out.add(identifier(term, refs));
          term.clear();
        }
        out.add(lower.toUpperCase(Locale.ROOT));
      } else if (!word.isEmpty()) {
        term.add(word);
      }
    }
    if (!term.isEmpty()) {
      out.add(identifier(term, refs));
    }
    // Dangling operators (e.g. "GPL-2+ or") would make an invalid expression.
    while (!out.isEmpty() && (out.get(0).equals("OR") || out.get(0).equals("AND"))) {
      out.remove(0);
    }
    while (!out.isEmpty()
        && (out.get(out.size() - 1).equals("OR") || out.get(out.size() - 1).equals("AND"))) {
      out.remove(out.size() - 1);
    }
    if (out.isEmpty()) {
      return new SpdxLicense("NOASSERTION", List.of());
    }
    return new SpdxLicense(String.join(" ", out), List.copyOf(refs));
  }

  // "GPL-2+ with OpenSSL exception" is one term; SPDX exceptions are a closed list, so such terms
  // become a LicenseRef rather than a possibly wrong WITH clause.
  private static String identifier(List<String> term, TreeSet<String> refs) {
    if (term.size() == 1) {
      String known = KNOWN.get(term.get(0).toLowerCase(Locale.ROOT));
      if (known != null) {
        return known;
      }
    }
    String ref =
        "LicenseRef-"
            + String.join("-", term)
                .replace("+", "-plus")
                .replaceAll("[^A-Za-z0-9.]+", "-")
                .replaceAll("-+$", "");
    refs.add(ref);
    return ref;
  }
}
