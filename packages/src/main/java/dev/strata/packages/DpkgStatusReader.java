package dev.strata.packages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads dpkg's status database ({@code var/lib/dpkg/status}): one paragraph per package, of which
 * only those whose {@code Status} ends in {@code installed} count. The {@code Version} is split
 * into epoch, upstream version and Debian revision; a {@code Source} field's name (without the
 * "(version)" that follows when the source version differs) is kept.
 */
public final class DpkgStatusReader {
  private DpkgStatusReader() {}

  /** Reads the status file's bytes (UTF-8). */
  public static List<InstalledPackage> read(byte[] status) {
    return read(new String(status, StandardCharsets.UTF_8));
  }

  /**
   * Reads the status file's text.
   *
   * @throws IllegalArgumentException naming the line of a malformed paragraph
   */
  public static List<InstalledPackage> read(String status) {
    List<InstalledPackage> packages = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    String lastField = null;
    int paragraphLine = 1;
    String[] lines = status.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isBlank()) {
        addInstalled(fields, paragraphLine, packages);
        fields.clear();
        lastField = null;
        paragraphLine = i + 2;
        continue;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (lastField == null) {
          throw new IllegalArgumentException(
              "dpkg status line " + (i + 1) + ": continuation line without a field");
        }
        continue; // Multi-line fields (Description, Conffiles) are not part of the inventory.
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "dpkg status line " + (i + 1) + ": expected 'Field: value', got '" + line + "'");
      }
      lastField = line.substring(0, colon).toLowerCase(Locale.ROOT);
      fields.put(lastField, line.substring(colon + 1).strip());
    }
    addInstalled(fields, paragraphLine, packages);
    return packages;
  }

  private static void addInstalled(
      Map<String, String> fields, int line, List<InstalledPackage> packages) {
    if (fields.isEmpty()) {
      return;
    }
    String status = fields.getOrDefault("status", "");
    String[] words = status.split("\\s+");
    if (!words[words.length - 1].equals("installed")) {
      return; // config-files, half-installed, not-installed: not in the image's inventory.
    }
    String name = fields.get("package");
    String version = fields.get("version");
    if (name == null || version == null) {
      throw new IllegalArgumentException(
          "dpkg status paragraph at line "
              + line
              + ": an installed package needs Package and"
              + " Version");
    }
    DpkgVersion parsed;
    try {
      parsed = DpkgVersion.parse(version);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "dpkg status paragraph at line " + line + " (" + name + "): " + e.getMessage(), e);
    }
    Optional<String> source =
        Optional.ofNullable(fields.get("source")).map(s -> s.split("\\s+")[0]);
    packages.add(
        new InstalledPackage(
            PackageFormat.DPKG,
            name,
            version.contains(":") ? Optional.of(parsed.epoch()) : Optional.empty(),
            parsed.upstream(),
            parsed.revision().isEmpty() ? Optional.empty() : Optional.of(parsed.revision()),
            fields.getOrDefault("architecture", ""),
            source,
            Optional.empty()));
  }
}
