package dev.strata.disk.config;

/** {@code [[customizations.filesystem]]}: the least size a mount point must get. */
public record FilesystemMinSize(String mountpoint, long minBytes) {
  public FilesystemMinSize {
    if (!mountpoint.startsWith("/")) {
      throw new IllegalArgumentException(
          "filesystem mountpoint '" + mountpoint + "' must be an absolute path");
    }
    if (mountpoint.equals("/var")) {
      throw new IllegalArgumentException(
          "filesystem mountpoint /var cannot be set (as in bootc-image-builder); set / or a folder"
              + " below /var");
    }
  }
}
