package dev.strata.trust.sbom;

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

  /** This package with the license read from its copyright file. */
  public DebianPackage withLicense(Optional<String> newLicense) {
    return new DebianPackage(name, version, architecture, source, newLicense);
  }
}
