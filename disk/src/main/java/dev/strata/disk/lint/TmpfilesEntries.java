package dev.strata.disk.lint;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/** The paths that the image's tmpfiles.d configuration creates or manages at boot. */
final class TmpfilesEntries {
  private final Set<String> paths = new HashSet<>();

  private TmpfilesEntries() {}

  static TmpfilesEntries of(LintedImage image) throws IOException {
    TmpfilesEntries entries = new TmpfilesEntries();
    for (String line : image.dropInLines("usr/lib/tmpfiles.d", "etc/tmpfiles.d")) {
      String[] fields = line.split("\\s+");
      if (fields.length >= 2 && fields[1].startsWith("/")) {
        entries.paths.add(normalize(fields[1]));
      }
    }
    return entries;
  }

  boolean covers(String absolutePath) {
    return paths.contains(normalize(absolutePath));
  }

  private static String normalize(String path) {
    String p = path.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
