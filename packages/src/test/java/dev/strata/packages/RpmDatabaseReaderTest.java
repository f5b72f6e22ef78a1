package dev.strata.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rpmdb.sqlite: a hand-made one, and one made by rpm itself. */
class RpmDatabaseReaderTest {
  @TempDir Path dir;

  @Test
  void readsHandMadeDatabaseAndLeavesOutGpgKeys() throws Exception {
    Path db = dir.resolve("rpmdb.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement()
          .execute(
              "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO Packages (blob) VALUES (?)")) {
        ps.setBytes(1, RpmHeaderTest.bashHeader());
        ps.executeUpdate();
        ps.setBytes(
            1,
            new RpmHeaderBlob()
                .string(RpmHeader.NAME, "gpg-pubkey")
                .string(RpmHeader.VERSION, "fd431d51")
                .string(RpmHeader.RELEASE, "4ae0493b")
                .bytes());
        ps.executeUpdate();
      }
    }
    List<InstalledPackage> packages = RpmDatabaseReader.read(db);
    assertThat(packages)
        .containsExactly(
            new InstalledPackage(
                PackageFormat.RPM,
                "bash",
                Optional.of(1),
                "5.1.8",
                Optional.of("9.el9"),
                "x86_64",
                Optional.of("bash-5.1.8-9.el9.src.rpm"),
                Optional.of("GPL-3.0-or-later")));
    assertThat(RpmDatabaseReader.read(Files.readAllBytes(db))).isEqualTo(packages);
  }

  @Test
  void readsDatabaseThatRpmItselfWrote() throws Exception {
    List<InstalledPackage> packages = RpmDatabaseReader.read(RpmFixture.database(dir));
    assertThat(packages)
        .containsExactly(
            new InstalledPackage(
                PackageFormat.RPM,
                "strata-fixture",
                Optional.of(2),
                "1.2.3",
                Optional.of("4.el9"),
                "noarch",
                Optional.of("strata-fixture-1.2.3-4.el9.src.rpm"),
                Optional.of("MIT AND (Apache-2.0 OR BSD-3-Clause)")));
    assertThat(packages.get(0).fullVersion()).isEqualTo("2:1.2.3-4.el9");
  }

  @Test
  void notAnRpmDatabaseSaysWhichFormatsAreSupported() throws IOException {
    Path packages = dir.resolve("Packages");
    Files.write(packages, "Berkeley DB bytes".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> RpmDatabaseReader.read(packages))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("only rpmdb.sqlite (rpm 4.16 and later) is supported");
  }
}
