package dev.strata.trust.sbom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads dpkg's status database ({@code var/lib/dpkg/status}): one RFC 822 paragraph per package;
 * only those whose {@code Status} ends in {@code installed} are in the image.
 *
 * <p>Deliberately minimal: trust may not depend on catalog (DESIGN.md), which has the full reader
 * with version ordering ({@code dev.strata.catalog.packages.DpkgStatusReader}); the two should
 * become one below both modules.
 */
public final class DpkgStatus {
  private DpkgStatus() {}

  /**
   * The installed packages, in file order.
   *
   * @throws IllegalArgumentException naming the line of a malformed paragraph
   */
  public static List<DebianPackage> parse(String status) {
    List<DebianPackage> packages = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    boolean inField = false;
    int paragraphLine = 1;
    String[] lines = status.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      if (line.isEmpty()) {
        add(fields, paragraphLine, packages);
        fields.clear();
        inField = false;
        paragraphLine = i + 2;
      } else if (Character.isWhitespace(lines[i].charAt(0))) {
        if (!inField) {
          throw new IllegalArgumentException(
              "var/lib/dpkg/status:" + (i + 1) + ": continuation line without a field");
        }
      } else {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException(
              "var/lib/dpkg/status:" + (i + 1) + ": expected 'Field: value', got '" + line + "'");
        }
        fields.put(
            line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        inField = true;
      }
    }
    add(fields, paragraphLine, packages);
    return packages;
  }

  private static void add(Map<String, String> fields, int line, List<DebianPackage> packages) {
    if (fields.isEmpty() || !fields.getOrDefault("status", "").endsWith(" installed")) {
      return;
    }
    String name = fields.get("package");
    String version = fields.get("version");
    if (name == null || version == null) {
      throw new IllegalArgumentException(
          "var/lib/dpkg/status:" + line + ": an installed package needs Package and Version");
    }
    packages.add(
        new DebianPackage(
            name,
            version,
            fields.getOrDefault("architecture", ""),
            Optional.ofNullable(fields.get("source")).map(s -> s.split("\\s+")[0]),
            Optional.empty()));
  }
}
