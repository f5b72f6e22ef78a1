package dev.strata.trust.sbom;

import dev.strata.bridge.tar.LayerFiles;
import dev.strata.packages.ImageFiles;
import dev.strata.packages.InstalledPackage;
import dev.strata.packages.PackageFormat;
import dev.strata.packages.PackageInventory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The packages of an image and its distribution ({@code os-release}'s id; empty when unknown), read
 * from its own package database in its layers (bottom first, with OCI whiteouts applied) by the
 * readers the catalog uses: dpkg's {@code var/lib/dpkg/status}, else the rpm database ({@code
 * rpmdb.sqlite}, its headers giving each package's epoch, version, release, arch and license); for
 * dpkg packages, the license comes from each package's machine-readable {@code
 * usr/share/doc/PKG/copyright} (following the doc-folder symlinks Debian uses between binary
 * packages of one source).
 */
public record ImagePackages(String distribution, List<InstalledPackage> packages) {
  private static final String DOC = "usr/share/doc/";
  private static final Set<String> OS_RELEASE = Set.of("etc/os-release", "usr/lib/os-release");

  public ImagePackages {
    packages = List.copyOf(packages);
  }

  /**
   * Scans layer blobs, bottom layer first (each gzip-compressed or plain tar; the caller closes
   * nothing, each stream is closed here).
   *
   * @throws IOException when a layer or the rpm database cannot be read; an image without a package
   *     database yields no packages rather than an error
   */
  public static ImagePackages scan(List<InputStream> layers) throws IOException {
    return of(LayerFiles.scan(layers, ImagePackages::wanted));
  }

  /**
   * The packages in files scanned from an image's layers with (at least) {@link #wanted}.
   *
   * @throws IOException when the rpm database is not a readable rpmdb.sqlite
   * @throws IllegalArgumentException naming the line of a malformed dpkg status paragraph
   */
  public static ImagePackages of(LayerFiles files) throws IOException {
    return of(files::read);
  }

  /**
   * The packages in an image whose files {@code files} reads (relative paths, symlinks followed
   * inside the image): an extracted rootfs, its layer stack, its scanned layers.
   *
   * @throws IOException when a file cannot be read or the rpm database is not a readable
   *     rpmdb.sqlite
   * @throws IllegalArgumentException naming the line of a malformed dpkg status paragraph
   */
  public static ImagePackages of(ImageFiles files) throws IOException {
    List<InstalledPackage> packages = new ArrayList<>();
    for (InstalledPackage p : PackageInventory.read(files).packages()) {
      packages.add(p.format() == PackageFormat.DPKG ? withCopyright(p, files) : p);
    }
    // Without os-release a dpkg image is taken as Debian's; an rpm image's vendor stays unknown.
    String fallback =
        packages.stream().anyMatch(p -> p.format() == PackageFormat.RPM) ? "" : "debian";
    for (String path : List.of("etc/os-release", "usr/lib/os-release")) {
      Optional<byte[]> osRelease = files.read(path);
      if (osRelease.isPresent()) {
        return new ImagePackages(
            osReleaseId(new String(osRelease.get(), StandardCharsets.UTF_8), fallback), packages);
      }
    }
    return new ImagePackages(fallback, packages);
  }

  /** A dpkg package with the license its copyright file declares, when it declares one. */
  private static InstalledPackage withCopyright(InstalledPackage p, ImageFiles files)
      throws IOException {
    Optional<byte[]> copyright = files.read(DOC + p.name() + "/copyright");
    if (copyright.isEmpty() && p.name().contains(":")) {
      copyright = files.read(DOC + p.name().substring(0, p.name().indexOf(':')) + "/copyright");
    }
    Optional<String> license =
        copyright.flatMap(c -> DebianCopyright.license(new String(c, StandardCharsets.UTF_8)));
    if (license.isEmpty()) {
      return p;
    }
    return new InstalledPackage(
        p.format(), p.name(), p.epoch(), p.version(), p.release(), p.arch(), p.source(), license);
  }

  /** The paths an SBOM reads: the package databases, os-release, each package's copyright file. */
  public static boolean wanted(String path) {
    if (PackageInventory.DPKG_STATUS.contains(path)
        || PackageInventory.RPM_DATABASES.contains(path)
        || OS_RELEASE.contains(path)) {
      return true;
    }
    if (!path.startsWith(DOC)) {
      return false;
    }
    String rest = path.substring(DOC.length());
    return !rest.contains("/")
        || (rest.endsWith("/copyright") && rest.indexOf('/') == rest.lastIndexOf('/'));
  }

  private static String osReleaseId(String text, String otherwise) {
    for (String line : text.split("\n")) {
      if (line.startsWith("ID=")) {
        String id = line.substring(3).strip().replace("\"", "").replace("'", "");
        if (!id.isEmpty()) {
          return id;
        }
      }
    }
    return otherwise;
  }

  /** Finds a package by name (for reports and tests). */
  public Optional<InstalledPackage> find(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
