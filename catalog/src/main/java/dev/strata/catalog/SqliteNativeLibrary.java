package dev.strata.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Keeps sqlite-jdbc's native library extracted in the user's cache, so the catalog opens without
 * the driver's own per-run extraction: it writes the 1.1 MB library to {@code /tmp} under a new
 * name every run and then compares it with the jar byte by byte, about 50 ms of every command that
 * touches the catalog (a no-op build among them). The cached copy is named after the jar entry's
 * CRC-32 and size, written under a temporary name and renamed, so a changed driver or a partial
 * write is never loaded. When no cache folder is writable the driver extracts as it always did.
 */
final class SqliteNativeLibrary {
  private static final String NAME = "libsqlitejdbc.so";
  private static boolean prepared;

  private SqliteNativeLibrary() {}

  /** Points sqlite-jdbc at the cached library, extracting it first if needed (once per JVM). */
  static synchronized void prepare() {
    if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
      return;
    }
    prepared = true;
    try {
      Optional<Path> folder = extracted();
      folder.ifPresent(
          f -> {
            System.setProperty("org.sqlite.lib.path", f.toString());
            System.setProperty("org.sqlite.lib.name", NAME);
          });
    } catch (IOException | RuntimeException e) {
      // the driver's own extraction still works; only its speed is lost
    }
  }

  private static Optional<Path> extracted() throws IOException {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      return Optional.empty();
    }
    String arch =
        switch (System.getProperty("os.arch", "")) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> "";
        };
    URL resource =
        arch.isEmpty()
            ? null
            : org.sqlite.JDBC.class.getResource("/org/sqlite/native/Linux/" + arch + "/" + NAME);
    if (resource == null) {
      return Optional.empty();
    }
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jar) || jar.getJarEntry() == null) {
      return Optional.empty();
    }
    long crc = jar.getJarEntry().getCrc();
    long size = jar.getJarEntry().getSize();
    Optional<Path> cache = cacheRoot();
    if (crc < 0 || size < 0 || cache.isEmpty()) {
      return Optional.empty();
    }
    Path folder = cache.get().resolve("sqlite-jdbc-" + Long.toHexString(crc) + "-" + size);
    Path library = folder.resolve(NAME);
    if (Files.isRegularFile(library) && Files.size(library) == size) {
      return Optional.of(folder);
    }
    Files.createDirectories(folder);
    Path temp = Files.createTempFile(folder, ".extract-", ".so");
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      if (Files.size(temp) != size) {
        return Optional.empty();
      }
      Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return Optional.of(folder);
  }

  /** {@code $XDG_CACHE_HOME/strata} or {@code ~/.cache/strata}. */
  private static Optional<Path> cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Optional.of(Path.of(xdg, "strata"));
    }
    String home = System.getProperty("user.home");
    if (home == null || home.isEmpty() || home.equals("?")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(home, ".cache", "strata"));
  }
}
