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
import java.util.concurrent.TimeUnit;
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
    Path spec = dir.resolve("fixture.spec");
    Files.writeString(
        spec,
        """
        Name: strata-fixture
        Version: 1.2.3
        Release: 4.el9
        Epoch: 2
        Summary: catalog test fixture
        License: MIT AND (Apache-2.0 OR BSD-3-Clause)
        BuildArch: noarch
        %description
        A package with no files, for reading rpmdb.sqlite.
        %files
        """);
    run("rpmbuild", "-bb", "--quiet", "--define", "_topdir " + dir.resolve("top"), spec.toString());
    Path rpm = dir.resolve("top/RPMS/noarch/strata-fixture-1.2.3-4.el9.noarch.rpm");
    Path dbpath = dir.resolve("sysimage/rpm");
    run("rpm", "--dbpath", dbpath.toString(), "--initdb");
    run(
        "rpm",
        "--dbpath",
        dbpath.toString(),
        "-i",
        "--justdb",
        "--nodeps",
        "--noscripts",
        "--ignoreos",
        "--ignorearch",
        rpm.toString());
    List<InstalledPackage> packages = RpmDatabaseReader.read(dbpath.resolve("rpmdb.sqlite"));
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

  private static void run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          command[0] + " is needed (Debian's rpm package; run scripts/setup-machine.sh)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
  }
}
