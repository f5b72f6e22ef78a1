package dev.strata.trust.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The declared license of a package from its {@code /usr/share/doc/PKG/copyright}, read only when
 * the file is machine-readable (DEP-5, a {@code Format:} header naming copyright-format/1.0): the
 * {@code License:} short name of the {@code Files: *} paragraph. Free-text copyright files give no
 * license rather than a guess.
 */
public final class DebianCopyright {
  private DebianCopyright() {}

  /** The license expression in Debian short names, e.g. {@code GPL-2+ or Artistic}. */
  public static Optional<String> license(String copyright) {
    List<List<String[]>> paragraphs = paragraphs(copyright);
    if (paragraphs.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> format = field(paragraphs.get(0), "format");
    if (format.isEmpty() || !format.get().contains("copyright-format/1.0")) {
      return Optional.empty();
    }
    for (List<String[]> paragraph : paragraphs) {
      Optional<String> files = field(paragraph, "files");
      if (files.isPresent() && List.of(files.get().split("\\s+")).contains("*")) {
        return field(paragraph, "license").filter(l -> !l.isBlank());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> field(List<String[]> paragraph, String name) {
    return paragraph.stream().filter(f -> f[0].equals(name)).map(f -> f[1]).findFirst();
  }

  // Each field keeps only its first line: the short name of License, the patterns of Files.
  private static List<List<String[]>> paragraphs(String text) {
    List<List<String[]>> paragraphs = new ArrayList<>();
    List<String[]> current = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.stripTrailing();
      if (line.isEmpty()) {
        if (!current.isEmpty()) {
          paragraphs.add(current);
          current = new ArrayList<>();
        }
        continue;
      }
      if (Character.isWhitespace(raw.charAt(0)) || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        current.add(
            new String[] {
              line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip()
            });
      }
    }
    if (!current.isEmpty()) {
      paragraphs.add(current);
    }
    return paragraphs;
  }
}
