package dev.strata.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** dpkg's status database: installed packages only, versions split, source names kept. */
class DpkgStatusReaderTest {
  private static final String STATUS =
      """
      Package: openssh-server
      Status: install ok installed
      Priority: optional
      Architecture: amd64
      Source: openssh
      Version: 1:9.2p1-2+deb12u2
      Conffiles:
       /etc/default/ssh 500e3a4a7c0b8a0c6d5b0c9f0b2c5d8e
      Description: secure shell (SSH) server
       A multi-line description.

      Package: libssl3
      Status: install ok installed
      Architecture: amd64
      Source: openssl (3.0.11-1~deb12u2)
      Version: 3.0.11-1~deb12u2+b1

      Package: removed-but-configured
      Status: deinstall ok config-files
      Architecture: all
      Version: 1.0-1

      Package: postgresql-common
      Status: install ok installed
      Architecture: all
      Version: 248
      """;

  @Test
  void readsInstalledPackagesWithEpochVersionRevisionArchAndSource() {
    List<InstalledPackage> packages = DpkgStatusReader.read(STATUS);
    assertThat(packages)
        .containsExactly(
            new InstalledPackage(
                PackageFormat.DPKG,
                "openssh-server",
                Optional.of(1),
                "9.2p1",
                Optional.of("2+deb12u2"),
                "amd64",
                Optional.of("openssh"),
                Optional.empty()),
            new InstalledPackage(
                PackageFormat.DPKG,
                "libssl3",
                Optional.empty(),
                "3.0.11",
                Optional.of("1~deb12u2+b1"),
                "amd64",
                Optional.of("openssl"),
                Optional.empty()),
            new InstalledPackage(
                PackageFormat.DPKG,
                "postgresql-common",
                Optional.empty(),
                "248",
                Optional.empty(),
                "all",
                Optional.empty(),
                Optional.empty()));
    assertThat(packages.get(0).fullVersion()).isEqualTo("1:9.2p1-2+deb12u2");
  }

  @Test
  void malformedInstalledParagraphNamesItsLine() {
    assertThatThrownBy(
            () -> DpkgStatusReader.read("Package: a\nStatus: install ok installed\n\nPackage: b\n"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("needs Package and Version");
    assertThatThrownBy(() -> DpkgStatusReader.read("no colon here\n"))
        .hasMessageContaining("line 1: expected 'Field: value'");
  }
}
