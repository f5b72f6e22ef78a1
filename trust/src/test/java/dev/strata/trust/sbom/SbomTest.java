package dev.strata.trust.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SBOM of an image: from its dpkg database and copyright files to SPDX 2.3. */
class SbomTest {
  static final String STATUS =
      """
      Package: bash
      Status: install ok installed
      Priority: required
      Architecture: amd64
      Version: 5.2.15-2+b7
      Description: GNU Bourne Again SHell
       Bash is an sh-compatible command language interpreter.

      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Source: glibc (2.36-9+deb12u10)
      Version: 2.36-9+deb12u10

      Package: old-thing
      Status: deinstall ok config-files
      Architecture: all
      Version: 1.0

      Package: libc-dev-bin
      Status: install ok installed
      Architecture: amd64
      Source: glibc
      Version: 2.36-9+deb12u10
      """;

  static final String BASH_COPYRIGHT =
      """
      Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
      Upstream-Name: bash

      Files: *
      Copyright: 1987-2022 Free Software Foundation, Inc.
      License: GPL-3+

      Files: debian/*
      License: GPL-2+

      License: GPL-3+
       This program is free software...
      """;

  @Test
  void onlyInstalledPackagesAreListedWithVersionArchAndSource() {
    List<DebianPackage> packages = DebianPackage.installed(STATUS);
    assertThat(packages)
        .extracting(DebianPackage::name)
        .containsExactly("bash", "libc6", "libc-dev-bin");
    assertThat(packages.get(1))
        .isEqualTo(
            new DebianPackage(
                "libc6", "2.36-9+deb12u10", "amd64", Optional.of("glibc"), Optional.empty()));
  }

  @Test
  void aMalformedStatusLineIsReportedWithItsLine() {
    assertThatThrownBy(() -> DebianPackage.installed("Package: a\nnot a field\n"))
        .hasMessageContaining("line 2");
  }

  @Test
  void theLicenseComesFromTheFilesStarParagraphOfAMachineReadableCopyright() {
    assertThat(DebianCopyright.license(BASH_COPYRIGHT)).contains("GPL-3+");
    assertThat(DebianCopyright.license("This is free software under the GPL.\n")).isEmpty();
  }

  @Test
  void debianLicenseNamesBecomeSpdxExpressions() {
    assertThat(SpdxLicense.fromDebian("GPL-2+ or Artistic").expression())
        .isEqualTo("GPL-2.0-or-later OR Artistic-1.0-Perl");
    SpdxLicense odd = SpdxLicense.fromDebian("LGPL-2.1+ and GPL-2+ with OpenSSL exception");
    assertThat(odd.expression())
        .isEqualTo("LGPL-2.1-or-later AND LicenseRef-GPL-2-plus-with-OpenSSL-exception");
    assertThat(odd.licenseRefs()).containsExactly("LicenseRef-GPL-2-plus-with-OpenSSL-exception");
  }

  @Test
  void theImageDatabaseIsReadAcrossLayersWithWhiteoutsAndDocSymlinks() throws Exception {
    var base =
        new TestLayers()
            .file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\n")
            .file(
                "var/lib/dpkg/status", "Package: gone\nStatus: install ok installed\nVersion: 1\n")
            .file("usr/share/doc/bash/copyright", BASH_COPYRIGHT)
            .file(
                "usr/share/doc/libc6/copyright",
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: LGPL-2.1+\n")
            .file("usr/share/doc/removed/copyright", "x")
            .gzip();
    var top =
        new TestLayers()
            .file("var/lib/dpkg/status", STATUS)
            .symlink("usr/share/doc/libc-dev-bin", "libc6")
            .whiteout("usr/share/doc/removed")
            .plain();

    ImagePackages image = ImagePackages.scan(List.of(base, top));

    assertThat(image.distribution()).isEqualTo("debian");
    assertThat(image.packages())
        .extracting(DebianPackage::name)
        .containsExactly("bash", "libc6", "libc-dev-bin");
    assertThat(image.find("bash").orElseThrow().license()).contains("GPL-3+");
    assertThat(image.find("libc-dev-bin").orElseThrow().license()).contains("LGPL-2.1+");
  }

  @Test
  void anImageWithoutDpkgHasNoPackages() throws Exception {
    ImagePackages image =
        ImagePackages.scan(List.of(new TestLayers().file("bin/busybox", "x").plain()));
    assertThat(image.packages()).isEmpty();
  }

  @Test
  void theSpdxDocumentListsEveryPackageUnderTheImage() throws Exception {
    Digest digest = Digest.sha256("manifest");
    ImagePackages image =
        new ImagePackages(
            "debian",
            List.of(
                new DebianPackage(
                    "g++",
                    "4:12.2.0-3",
                    "amd64",
                    Optional.of("gcc-defaults"),
                    Optional.of("GPL-3+")),
                new DebianPackage(
                    "bash", "5.2.15-2+b7", "amd64", Optional.empty(), Optional.empty())));

    JsonNode doc =
        SpdxDocument.of(
            "localhost:5000/corp/soe",
            digest,
            image,
            Instant.parse("2025-01-02T03:04:05.6Z"),
            "strata-0.1.0");

    assertThat(doc.get("spdxVersion").asText()).isEqualTo("SPDX-2.3");
    assertThat(doc.get("creationInfo").get("created").asText()).isEqualTo("2025-01-02T03:04:05Z");
    assertThat(doc.get("packages")).hasSize(3);
    JsonNode gpp = doc.get("packages").get(1);
    assertThat(gpp.get("SPDXID").asText()).isEqualTo("SPDXRef-Package-deb-g---amd64");
    assertThat(gpp.get("versionInfo").asText()).isEqualTo("4:12.2.0-3");
    assertThat(gpp.get("licenseDeclared").asText()).isEqualTo("GPL-3.0-or-later");
    assertThat(gpp.get("externalRefs").get(0).get("referenceLocator").asText())
        .isEqualTo("pkg:deb/debian/g%2B%2B@4%3A12.2.0-3?arch=amd64");
    assertThat(doc.get("packages").get(2).get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
    assertThat(doc.get("relationships")).hasSize(3);
    assertThat(doc.get("relationships").get(0).get("relationshipType").asText())
        .isEqualTo("DESCRIBES");
  }
}
