package dev.strata.packages;

import java.util.Optional;

/**
 * One package installed in an image: name, epoch, version, release (the Debian revision for dpkg),
 * architecture, and, where the package database says, its source package and license.
 */
public record InstalledPackage(
    PackageFormat format,
    String name,
    Optional<Integer> epoch,
    String version,
    Optional<String> release,
    String arch,
    Optional<String> source,
    Optional<String> license) {

  public InstalledPackage {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a package needs a name");
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("package " + name + " has no version");
    }
  }

  /** {@code [epoch:]version[-release]}, the form the format's version order compares. */
  public String fullVersion() {
    return epoch.map(e -> e + ":").orElse("") + version + release.map(r -> "-" + r).orElse("");
  }

  /** Orders this package's version against {@code other}'s by the format's rules. */
  public int compareVersion(InstalledPackage other) {
    return format.versionOrder().compare(fullVersion(), other.fullVersion());
  }
}
