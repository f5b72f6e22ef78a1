package dev.strata.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * Reads the installed packages of an RPM database in its SQLite form ({@code rpmdb.sqlite}, the
 * default since rpm 4.16: Fedora 33+, RHEL/CentOS Stream 9+), where table {@code Packages} holds
 * one header blob per package. The GPG keys rpm keeps as {@code gpg-pubkey} pseudo-packages are not
 * packages and are left out.
 */
public final class RpmDatabaseReader {
  private RpmDatabaseReader() {}

  /** Reads a database from bytes (copied to a temporary file, since SQLite reads files). */
  public static List<InstalledPackage> read(byte[] database) throws IOException {
    Path folder = Files.createTempDirectory("strata-rpmdb-");
    try {
      Path copy = folder.resolve("rpmdb.sqlite");
      Files.write(copy, database);
      return readCopy(copy, copy);
    } finally {
      deleteFolder(folder);
    }
  }

  /**
   * Reads the database file at {@code rpmdb}, read-only.
   *
   * @throws IOException when the file is not an SQLite rpmdb (a Berkeley DB {@code Packages} file
   *     of RHEL 8 and older is not supported) or a header is malformed
   */
  public static List<InstalledPackage> read(Path rpmdb) throws IOException {
    if (!Files.isRegularFile(rpmdb)) {
      throw new IOException("no RPM database at " + rpmdb);
    }
    // rpm leaves recent transactions in rpmdb.sqlite-wal: copy both, so SQLite may replay the
    // log without writing next to the image's files (or needing write access there).
    Path folder = Files.createTempDirectory("strata-rpmdb-");
    try {
      Path copy = folder.resolve("rpmdb.sqlite");
      Files.copy(rpmdb, copy);
      Path wal = rpmdb.resolveSibling(rpmdb.getFileName() + "-wal");
      if (Files.isRegularFile(wal)) {
        Files.copy(wal, folder.resolve("rpmdb.sqlite-wal"));
      }
      return readCopy(copy, rpmdb);
    } finally {
      deleteFolder(folder);
    }
  }

  private static void deleteFolder(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
  }

  private static List<InstalledPackage> readCopy(Path copy, Path rpmdb) throws IOException {
    List<InstalledPackage> packages = new ArrayList<>();
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + copy, new SQLiteConfig().toProperties());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT hnum, blob FROM Packages ORDER BY hnum")) {
      while (rows.next()) {
        long hnum = rows.getLong(1);
        RpmHeader header;
        try {
          header = RpmHeader.parse(rows.getBytes(2));
        } catch (IllegalArgumentException e) {
          throw new IOException(rpmdb + ": package " + hnum + ": " + e.getMessage(), e);
        }
        toPackage(header, rpmdb, hnum).ifPresent(packages::add);
      }
    } catch (SQLException e) {
      throw new IOException(
          rpmdb
              + " is not a readable SQLite RPM database ("
              + e.getMessage()
              + "); only rpmdb.sqlite (rpm 4.16 and later) is supported",
          e);
    }
    return packages;
  }

  private static Optional<InstalledPackage> toPackage(RpmHeader header, Path rpmdb, long hnum)
      throws IOException {
    Optional<String> name = header.string(RpmHeader.NAME);
    Optional<String> version = header.string(RpmHeader.VERSION);
    if (name.isEmpty() || version.isEmpty()) {
      throw new IOException(rpmdb + ": package " + hnum + " has no NAME or VERSION tag");
    }
    if (name.get().equals("gpg-pubkey")) {
      return Optional.empty();
    }
    return Optional.of(
        new InstalledPackage(
            PackageFormat.RPM,
            name.get(),
            header.int32(RpmHeader.EPOCH),
            version.get(),
            header.string(RpmHeader.RELEASE),
            header.string(RpmHeader.ARCH).orElse("noarch"),
            header.string(RpmHeader.SOURCERPM),
            header.string(RpmHeader.LICENSE)));
  }
}
