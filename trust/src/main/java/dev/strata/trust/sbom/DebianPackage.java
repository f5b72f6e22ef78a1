package dev.strata.trust.sbom;

import dev.strata.packages.DpkgStatusReader;
import dev.strata.packages.InstalledPackage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One installed Debian package as the SBOM lists it: name, full version ({@code
 * [epoch:]upstream[-revision]}), architecture, source package, and the license its machine-readable
 * copyright file declares (Debian's short names, e.g. {@code GPL-2+ or Artistic}).
 */
public record DebianPackage(
    String name,
    String version,
    String architecture,
    Optional<String> source,
    Optional<String> license) {
  public DebianPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(license, "license");
  }

  /**
   * The installed packages of a dpkg status database, in file order (read by the reader the catalog
   * uses too).
   *
   * @throws IllegalArgumentException naming the line of a malformed paragraph
   */
  public static List<DebianPackage> installed(String dpkgStatus) {
    return DpkgStatusReader.read(dpkgStatus).stream().map(DebianPackage::of).toList();
  }

  /** The SBOM's view of a package read from a dpkg database: its full version string. */
  public static DebianPackage of(InstalledPackage p) {
    return new DebianPackage(p.name(), p.fullVersion(), p.arch(), p.source(), p.license());
  }

  /** This package with the license read from its copyright file. */
  public DebianPackage withLicense(Optional<String> newLicense) {
    return new DebianPackage(name, version, architecture, source, newLicense);
  }
}
