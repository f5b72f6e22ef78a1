package dev.strata.trust.sbom;

import dev.strata.bridge.tar.LayerFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The packages of an image, read from its own package database in its layers (bottom first, with
 * OCI whiteouts applied): {@code var/lib/dpkg/status}, each package's machine-readable {@code
 * usr/share/doc/PKG/copyright} for its license (following the doc-folder symlinks Debian uses
 * between binary packages of one source), and {@code os-release} for the distribution's id.
 */
public record ImagePackages(String distribution, List<DebianPackage> packages) {
  /** Where dpkg keeps its database. */
  public static final String STATUS = "var/lib/dpkg/status";

  private static final String DOC = "usr/share/doc/";
  private static final Set<String> OS_RELEASE = Set.of("etc/os-release", "usr/lib/os-release");

  public ImagePackages {
    packages = List.copyOf(packages);
  }

  /**
   * Scans layer blobs, bottom layer first (each gzip-compressed or plain tar; the caller closes
   * nothing, each stream is closed here).
   *
   * @throws IOException when a layer cannot be read; an image without a dpkg database yields no
   *     packages rather than an error
   */
  public static ImagePackages scan(List<InputStream> layers) throws IOException {
    return of(LayerFiles.scan(layers, ImagePackages::wanted));
  }

  /** The packages in files scanned from an image's layers with (at least) {@link #wanted}. */
  public static ImagePackages of(LayerFiles files) {
    String distribution = "debian";
    for (String path : List.of("etc/os-release", "usr/lib/os-release")) {
      Optional<byte[]> osRelease = files.read(path);
      if (osRelease.isPresent()) {
        distribution = osReleaseId(new String(osRelease.get(), StandardCharsets.UTF_8));
        break;
      }
    }
    Optional<byte[]> status = files.read(STATUS);
    if (status.isEmpty()) {
      return new ImagePackages(distribution, List.of());
    }
    List<DebianPackage> packages = new ArrayList<>();
    for (DebianPackage p :
        DebianPackage.installed(new String(status.get(), StandardCharsets.UTF_8))) {
      Optional<byte[]> copyright = files.read(DOC + p.name() + "/copyright");
      if (copyright.isEmpty() && p.name().contains(":")) {
        copyright = files.read(DOC + p.name().substring(0, p.name().indexOf(':')) + "/copyright");
      }
      packages.add(
          copyright.isEmpty()
              ? p
              : p.withLicense(
                  DebianCopyright.license(new String(copyright.get(), StandardCharsets.UTF_8))));
    }
    return new ImagePackages(distribution, packages);
  }

  /** The paths an SBOM reads: the dpkg database, os-release, each package's copyright file. */
  public static boolean wanted(String path) {
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

  /** Finds a package by name (for reports and tests). */
  public Optional<DebianPackage> find(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
