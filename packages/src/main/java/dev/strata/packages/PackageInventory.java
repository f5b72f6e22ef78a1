package dev.strata.packages;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The packages installed in one image, as its package database lists them. Empty for an image
 * without a package database (a scratch or distroless image).
 */
public record PackageInventory(List<InstalledPackage> packages) {

  /** Where package databases live inside a root file system, in the order they are probed. */
  public static final List<String> DPKG_STATUS = List.of("var/lib/dpkg/status");

  public static final List<String> RPM_DATABASES =
      List.of("usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite");

  public static final PackageInventory EMPTY = new PackageInventory(List.of());

  public PackageInventory {
    packages = ImmutableList.copyOf(packages);
  }

  /** The inventory in a dpkg status file's bytes. */
  public static PackageInventory ofDpkgStatus(byte[] status) {
    return new PackageInventory(DpkgStatusReader.read(status));
  }

  /** The inventory in an rpmdb.sqlite file's bytes. */
  public static PackageInventory ofRpmDatabase(byte[] rpmdb) throws IOException {
    return new PackageInventory(RpmDatabaseReader.read(rpmdb));
  }

  /**
   * Reads the inventory of an image through {@code files}: the dpkg status file if there is one,
   * else the first rpmdb.sqlite found, else nothing.
   */
  public static PackageInventory read(ImageFiles files) throws IOException {
    for (String dpkg : DPKG_STATUS) {
      Optional<byte[]> status = files.read(dpkg);
      if (status.isPresent()) {
        return ofDpkgStatus(status.get());
      }
    }
    for (String rpm : RPM_DATABASES) {
      Optional<byte[]> rpmdb = files.read(rpm);
      if (rpmdb.isPresent()) {
        return ofRpmDatabase(rpmdb.get());
      }
    }
    return EMPTY;
  }

  /**
   * Reads the inventory of an extracted root file system (an rpm database's write-ahead log
   * included): the dpkg status file if there is one, else the first rpmdb.sqlite found, else
   * nothing.
   */
  public static PackageInventory readRoot(Path root) throws IOException {
    for (String dpkg : DPKG_STATUS) {
      Path status = root.resolve(dpkg);
      if (Files.isRegularFile(status) && inside(root, status)) {
        return ofDpkgStatus(Files.readAllBytes(status));
      }
    }
    for (String rpm : RPM_DATABASES) {
      Path rpmdb = root.resolve(rpm);
      if (Files.isRegularFile(rpmdb) && inside(root, rpmdb)) {
        return new PackageInventory(RpmDatabaseReader.read(rpmdb));
      }
    }
    return EMPTY;
  }

  /** An image's symlink must not make the catalog read a file of the host. */
  private static boolean inside(Path root, Path file) throws IOException {
    if (!file.toRealPath().startsWith(root.toRealPath())) {
      throw new IOException(
          file
              + " resolves outside the image root "
              + root
              + " (a symlink in the image); not read");
    }
    return true;
  }
}
