package dev.strata.trust.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.TarReader;
import dev.strata.bridge.tar.WhiteoutMode;
import dev.strata.packages.InstalledPackage;
import dev.strata.packages.PackageFormat;
import dev.strata.packages.RpmFixture;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SBOM of an image: from its dpkg database and copyright files, or its rpm database, to SPDX
 * 2.3.
 */
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
  void onlyInstalledPackagesAreListedWithVersionArchAndSource() throws Exception {
    List<InstalledPackage> packages =
        ImagePackages.scan(List.of(new TestLayers().file("var/lib/dpkg/status", STATUS).plain()))
            .packages();
    assertThat(packages)
        .extracting(InstalledPackage::name)
        .containsExactly("bash", "libc6", "libc-dev-bin");
    assertThat(packages.get(1).fullVersion()).isEqualTo("2.36-9+deb12u10");
    assertThat(packages.get(1).arch()).isEqualTo("amd64");
    assertThat(packages.get(1).source()).contains("glibc");
  }

  @Test
  void aMalformedStatusLineIsReportedWithItsLine() {
    assertThatThrownBy(
            () ->
                ImagePackages.scan(
                    List.of(
                        new TestLayers()
                            .file("var/lib/dpkg/status", "Package: a\nnot a field\n")
                            .plain())))
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
        .extracting(InstalledPackage::name)
        .containsExactly("bash", "libc6", "libc-dev-bin");
    assertThat(image.find("bash").orElseThrow().license()).contains("GPL-3+");
    assertThat(image.find("libc-dev-bin").orElseThrow().license()).contains("LGPL-2.1+");
  }

  static final String MACHINE_READABLE =
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n";

  @Test
  void theLayersAsTheEngineKeepsThemExtractedGiveTheSbomOfTheBlobs(@TempDir Path dir)
      throws Exception {
    List<TestLayers> layers =
        List.of(
            new TestLayers()
                .file("usr/lib/os-release", "ID=debian\n")
                .symlink("etc/os-release", "../usr/lib/os-release")
                .file("var/lib/dpkg/status", "Package: gone\nStatus: install ok installed\n")
                .file("usr/share/doc/bash/copyright", BASH_COPYRIGHT)
                .file(
                    "usr/share/doc/libc6/copyright", MACHINE_READABLE + "Files: *\nLicense: MIT\n"),
            new TestLayers()
                .file("var/lib/dpkg/status", STATUS)
                .whiteout("usr/share/doc/bash")
                .file("usr/share/doc/libc6/.wh..wh..opq", "")
                .file(
                    "usr/share/doc/libc6/copyright",
                    MACHINE_READABLE + "Files: *\nLicense: LGPL-2.1+\n")
                .symlink("usr/share/doc/libc-dev-bin", "libc6"));
    List<byte[]> blobs = new ArrayList<>();
    List<Path> extracted = new ArrayList<>();
    for (TestLayers layer : layers) {
      blobs.add(layer.plain().readAllBytes());
      Path target = dir.resolve("layer" + extracted.size());
      // overlay form, as the engine's layer cache keeps them: whiteouts are 0/0 devices (root)
      new LayerExtractor(WhiteoutMode.OVERLAY, true)
          .extract(new TarReader(new ByteArrayInputStream(blobs.get(blobs.size() - 1))), target);
      extracted.add(target);
    }

    ImagePackages viewed = ImagePackages.of(RootfsView.ofDirectories(extracted)::read);

    ImagePackages scanned =
        ImagePackages.scan(
            List.of(
                new ByteArrayInputStream(blobs.get(0)), new ByteArrayInputStream(blobs.get(1))));
    assertThat(viewed).isEqualTo(scanned);
    assertThat(viewed.distribution()).isEqualTo("debian");
    assertThat(viewed.find("bash").orElseThrow().license()).isEmpty();
    assertThat(viewed.find("libc-dev-bin").orElseThrow().license()).contains("LGPL-2.1+");
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
                new InstalledPackage(
                    PackageFormat.DPKG,
                    "g++",
                    Optional.of(4),
                    "12.2.0",
                    Optional.of("3"),
                    "amd64",
                    Optional.of("gcc-defaults"),
                    Optional.of("GPL-3+")),
                new InstalledPackage(
                    PackageFormat.DPKG,
                    "bash",
                    Optional.empty(),
                    "5.2.15",
                    Optional.of("2+b7"),
                    "amd64",
                    Optional.empty(),
                    Optional.empty())));

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

  @Test
  void anRpmImageListsThePackagesOfTheRpmDatabaseRpmItselfWrote(@TempDir Path dir)
      throws Exception {
    byte[] rpmdb = Files.readAllBytes(RpmFixture.database(dir));
    var layer =
        new TestLayers()
            .file("usr/lib/os-release", "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\n")
            .file("usr/lib/sysimage/rpm/rpmdb.sqlite", rpmdb)
            .gzip();

    ImagePackages image = ImagePackages.scan(List.of(layer));

    assertThat(image.distribution()).isEqualTo("rhel");
    InstalledPackage fixture = image.find(RpmFixture.NAME).orElseThrow();
    assertThat(image.packages()).containsExactly(fixture);
    assertThat(fixture.format()).isEqualTo(PackageFormat.RPM);
    assertThat(fixture.fullVersion()).isEqualTo("2:1.2.3-4.el9");
    assertThat(fixture.arch()).isEqualTo("noarch");
    assertThat(fixture.license()).contains(RpmFixture.LICENSE);

    JsonNode doc =
        SpdxDocument.of(
            "localhost:5000/corp/rhel-soe",
            Digest.sha256("manifest"),
            image,
            Instant.parse("2025-01-02T03:04:05Z"),
            "strata-0.1.0");
    JsonNode p = doc.get("packages").get(1);
    assertThat(p.get("SPDXID").asText()).isEqualTo("SPDXRef-Package-rpm-strata-fixture-noarch");
    assertThat(p.get("name").asText()).isEqualTo(RpmFixture.NAME);
    assertThat(p.get("versionInfo").asText()).isEqualTo("2:1.2.3-4.el9");
    assertThat(p.get("licenseDeclared").asText()).isEqualTo(RpmFixture.LICENSE);
    assertThat(p.get("sourceInfo").asText())
        .isEqualTo("built package from: strata-fixture-1.2.3-4.el9.src.rpm");
    assertThat(p.get("externalRefs").get(0).get("referenceLocator").asText())
        .isEqualTo("pkg:rpm/rhel/strata-fixture@1.2.3-4.el9?arch=noarch&epoch=2");
  }

  @Test
  void anRpmImageWithoutOsReleaseHasPurlsWithoutAVendor() throws Exception {
    ImagePackages image =
        new ImagePackages(
            "",
            List.of(
                new InstalledPackage(
                    PackageFormat.RPM,
                    "bash",
                    Optional.empty(),
                    "5.1.8",
                    Optional.of("9.el9"),
                    "x86_64",
                    Optional.empty(),
                    Optional.of("GPLv3+"))));
    JsonNode p =
        SpdxDocument.of("r", Digest.sha256("m"), image, Instant.EPOCH, "t").get("packages").get(1);
    assertThat(p.get("externalRefs").get(0).get("referenceLocator").asText())
        .isEqualTo("pkg:rpm/bash@5.1.8-9.el9?arch=x86_64");
    assertThat(p.get("licenseDeclared").asText()).isEqualTo("GPL-3.0-or-later");
  }

  @Test
  void rpmLicenseTagsBecomeSpdxExpressions() {
    assertThat(SpdxLicense.fromRpm("MIT AND (Apache-2.0 OR BSD-3-Clause)").expression())
        .isEqualTo("MIT AND (Apache-2.0 OR BSD-3-Clause)");
    assertThat(SpdxLicense.fromRpm("GPLv2+ and ASL 2.0").expression())
        .isEqualTo("GPL-2.0-or-later AND Apache-2.0");
    SpdxLicense with = SpdxLicense.fromRpm("GPL-3.0-or-later WITH GCC-exception-3.1");
    assertThat(with.expression()).isEqualTo("LicenseRef-GPL-3.0-or-later-WITH-GCC-exception-3.1");
    assertThat(with.licenseRefs()).containsExactly(with.expression());
    SpdxLicense unbalanced = SpdxLicense.fromRpm("MIT and (BSD");
    assertThat(unbalanced.expression()).isEqualTo("LicenseRef-MIT-and-BSD");
    assertThat(unbalanced.licenseRefs()).containsExactly("LicenseRef-MIT-and-BSD");
  }
}
