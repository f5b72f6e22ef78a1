package dev.strata.trust.sbom;

import dev.strata.bridge.tar.EntryType;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The packages of an image, read from its own package database in its layers (bottom first, with
 * OCI whiteouts applied): {@code var/lib/dpkg/status}, each package's machine-readable {@code
 * usr/share/doc/PKG/copyright} for its license (following the doc-folder symlinks Debian uses
 * between binary packages of one source), and {@code os-release} for the distribution's id.
 */
public record ImagePackages(String distribution, List<DebianPackage> packages) {
  private static final String STATUS = "var/lib/dpkg/status";
  private static final String DOC = "usr/share/doc/";
  private static final Set<String> OS_RELEASE = Set.of("etc/os-release", "usr/lib/os-release");

  public ImagePackages {
    packages = List.copyOf(packages);
  }

  /** What is kept of one path: its bytes, or a symlink target. */
  private record Kept(byte[] content, String linkTarget) {}

  /**
   * Scans layer blobs, bottom layer first (each gzip-compressed or plain tar; the caller closes
   * nothing, each stream is closed here).
   *
   * @throws IOException when a layer cannot be read; an image without a dpkg database yields no
   *     packages rather than an error
   */
  public static ImagePackages scan(List<InputStream> layers) throws IOException {
    Map<String, Kept> files = new HashMap<>();
    for (InputStream layer : layers) {
      applyLayer(files, layer);
    }
    String distribution = "debian";
    for (String path : List.of("etc/os-release", "usr/lib/os-release")) {
      Kept kept = resolve(files, path);
      if (kept != null) {
        distribution = osReleaseId(new String(kept.content, StandardCharsets.UTF_8));
        break;
      }
    }
    Kept status = files.get(STATUS);
    if (status == null || status.content == null) {
      return new ImagePackages(distribution, List.of());
    }
    List<DebianPackage> packages = new ArrayList<>();
    for (DebianPackage p : DpkgStatus.parse(new String(status.content, StandardCharsets.UTF_8))) {
      Kept copyright = resolve(files, DOC + p.name() + "/copyright");
      if (copyright == null && p.name().contains(":")) {
        copyright =
            resolve(files, DOC + p.name().substring(0, p.name().indexOf(':')) + "/copyright");
      }
      packages.add(
          copyright == null
              ? p
              : p.withLicense(
                  DebianCopyright.license(new String(copyright.content, StandardCharsets.UTF_8))));
    }
    return new ImagePackages(distribution, packages);
  }

  private static void applyLayer(Map<String, Kept> files, InputStream blob) throws IOException {
    Map<String, Kept> added = new HashMap<>();
    List<String> removed = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    try (TarReader tar = new TarReader(decompressed(blob))) {
      for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
        String path = entry.path();
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        if (name.equals(".wh..wh..opq")) {
          opaque.add(dir);
        } else if (name.startsWith(".wh.")) {
          removed.add(dir + name.substring(4));
        } else if (wanted(path)) {
          if (entry.type() == EntryType.REGULAR) {
            added.put(path, new Kept(tar.content().readAllBytes(), null));
          } else if (entry.type() == EntryType.SYMLINK) {
            added.put(path, new Kept(null, entry.linkTarget()));
          } else if (entry.type() == EntryType.HARDLINK) {
            Kept target = added.getOrDefault(entry.linkTarget(), files.get(entry.linkTarget()));
            if (target != null) {
              added.put(path, target);
            }
          } else {
            added.put(path, new Kept(null, null));
          }
        }
      }
    }
    // Whiteouts hide what lower layers had; the layer's own entries then go on top.
    for (String gone : removed) {
      files.keySet().removeIf(p -> p.equals(gone) || p.startsWith(gone + "/"));
    }
    for (String dir : opaque) {
      files.keySet().removeIf(p -> p.startsWith(dir));
    }
    files.putAll(added);
  }

  private static boolean wanted(String path) {
    if (path.equals(STATUS) || OS_RELEASE.contains(path)) {
      return true;
    }
    if (!path.startsWith(DOC)) {
      return false;
    }
    String rest = path.substring(DOC.length());
    return !rest.contains("/")
        || (rest.endsWith("/copyright") && rest.indexOf('/') == rest.lastIndexOf('/'));
  }

  /** Follows symlinks among the kept paths (doc folders, /etc/os-release → ../usr/lib/…). */
  private static Kept resolve(Map<String, Kept> files, String path) {
    for (int hops = 0; hops < 16; hops++) {
      Kept direct = files.get(path);
      if (direct != null && direct.content != null) {
        return direct;
      }
      if (direct != null && direct.linkTarget != null) {
        path = join(parent(path), direct.linkTarget);
        continue;
      }
      // A symlinked parent folder: usr/share/doc/libfoo-dev -> libfoo1.
      int slash = path.lastIndexOf('/');
      if (slash < 0) {
        return null;
      }
      Kept folder = files.get(path.substring(0, slash));
      if (folder == null || folder.linkTarget == null) {
        return null;
      }
      path = join(parent(path.substring(0, slash)), folder.linkTarget) + path.substring(slash);
    }
    return null;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String join(String dir, String target) {
    List<String> parts = new ArrayList<>();
    String combined = target.startsWith("/") ? target.substring(1) : dir + "/" + target;
    for (String part : combined.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static String osReleaseId(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("ID=")) {
        String id = line.substring(3).strip().replace("\"", "").replace("'", "");
        if (!id.isEmpty()) {
          return id;
        }
      }
    }
    return "debian";
  }

  private static InputStream decompressed(InputStream blob) throws IOException {
    BufferedInputStream in = new BufferedInputStream(blob, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (b0 == 0x28 && b1 == 0xb5) {
      throw new IOException("zstd-compressed layers are not supported yet; push with gzip layers");
    }
    return in;
  }

  /** Finds a package by name (for reports and tests). */
  public Optional<DebianPackage> find(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
