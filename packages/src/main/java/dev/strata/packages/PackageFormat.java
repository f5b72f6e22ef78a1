package dev.strata.packages;

import java.util.Comparator;

/** The package manager an inventory was read from; it decides how versions order. */
public enum PackageFormat {
  /** Debian's dpkg ({@code var/lib/dpkg/status}). */
  DPKG(DpkgVersion.ORDER),
  /** RPM ({@code rpmdb.sqlite}). */
  RPM(RpmVersion.ORDER);

  private final Comparator<String> versionOrder;

  PackageFormat(Comparator<String> versionOrder) {
    this.versionOrder = versionOrder;
  }

  /** Orders full version strings ({@code [epoch:]version[-release]}) by this format's rules. */
  public Comparator<String> versionOrder() {
    return versionOrder;
  }

  /** The lower-case name stored in the catalog and shown to users. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The format named {@code id} ({@code dpkg} or {@code rpm}). */
  public static PackageFormat fromId(String id) {
    return valueOf(id.toUpperCase(java.util.Locale.ROOT));
  }
}
