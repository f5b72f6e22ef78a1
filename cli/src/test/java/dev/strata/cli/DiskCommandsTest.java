package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.HistoryEntry;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata disk, lint and kickstart on a one-layer image stored with the bridge's classes. */
class DiskCommandsTest {
  static final String REF = "localhost:5000/corp/tiny:latest";

  @TempDir Path tmp;
  Path rootfs;
  Path store;
  Descriptor manifest;

  @BeforeEach
  void storeImage() throws IOException {
    rootfs = tmp.resolve("rootfs");
    for (String d : List.of("dev", "proc", "sys", "run", "tmp", "var", "boot", "etc")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Files.createSymbolicLink(rootfs.resolve("var/run"), Path.of("../run"));
    Path kdir = Files.createDirectories(rootfs.resolve("usr/lib/modules/6.1.0-9-amd64"));
    Files.writeString(kdir.resolve("vmlinuz"), "kernel");
    Files.writeString(kdir.resolve("initramfs.img"), "initramfs");
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
    Files.createDirectories(rootfs.resolve("usr/lib/sysusers.d"));
    Files.writeString(rootfs.resolve("usr/lib/sysusers.d/basic.conf"), "u root 0\n");
    Files.createDirectories(rootfs.resolve("usr/lib/tmpfiles.d"));
    Files.writeString(rootfs.resolve("usr/lib/tmpfiles.d/var.conf"), "L /var/run - - - - ../run\n");

    store = tmp.resolve("store");
    OciLayoutStore oci = OciLayoutStore.open(store);
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    LayerDigests digests = new LayerWriter(Optional.empty()).writeLayer(rootfs, layer);
    oci.putBlob(digests.digest(), new java.io.ByteArrayInputStream(layer.toByteArray()));
    ImageConfig config =
        ImageConfig.scratch(Platform.LINUX_AMD64)
            .withLabels(Map.of("containers.bootc", "1"))
            .withLayer(digests.diffId(), new HistoryEntry(null, "rootfs", null, null, false));
    ContentBlob configBlob = config.render();
    oci.putBlob(configBlob);
    manifest =
        oci.putBlob(
            new ImageManifest(
                    configBlob.descriptor(),
                    List.of(
                        new Descriptor(
                            MediaTypes.LAYER_GZIP,
                            digests.digest(),
                            digests.size(),
                            null,
                            Map.of())),
                    Map.of())
                .render());
    oci.tag(REF, manifest);
  }

  @Test
  void lintPassesACompliantImageAndFailsStrictOnAWarning() throws IOException {
    CliRun ok = CliRun.of("lint", REF, "--store", store.toString(), "--strict");
    assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains(REF + ": passes");

    Files.writeString(rootfs.resolve("boot/leftover"), "x");
    CliRun warned = CliRun.of("lint", "--rootfs", rootfs.toString(), "--json", "--strict");
    assertThat(warned.exitCode()).isEqualTo(1);
    assertThat(warned.out())
        .contains("\"lint\" : \"nonempty-boot\"")
        .contains("\"passes\" : false");
  }

  @Test
  void lintOfAnUnknownImageNamesTheStore() {
    CliRun run = CliRun.of("lint", "corp/none:latest", "--store", store.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("'corp/none:latest' is not in the store at " + store);
  }

  @Test
  void diskMakesARawImageFromAStoredImage() throws IOException {
    Path out = tmp.resolve("out");
    CliRun run =
        CliRun.of(
            "disk",
            REF,
            "--type",
            "raw",
            "--store",
            store.toString(),
            "--output",
            out.toString(),
            "--esp-size",
            "64MiB");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(out.resolve("image/disk.raw")).isRegularFile();
    assertThat(Files.readString(out.resolve("manifest-strata.json")))
        .contains(REF + "@" + manifest.digest());
    try (var names = Files.list(out)) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("image", "SHA256SUMS", "manifest-strata.json");
    }
  }

  @Test
  void diskRefusesAnUnknownTypeAndABadConfigAsUsageErrors() throws IOException {
    CliRun badType = CliRun.of("disk", REF, "--type", "iso", "--store", store.toString());
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.err()).contains("unknown disk type 'iso'");
    Path config =
        Files.writeString(tmp.resolve("config.toml"), "[customizations]\nhostname = \"x\"\n");
    CliRun badConfig =
        CliRun.of(
            "disk",
            REF,
            "--type",
            "raw",
            "--config",
            config.toString(),
            "--store",
            store.toString());
    assertThat(badConfig.exitCode()).isEqualTo(2);
    assertThat(badConfig.err()).contains("customizations.hostname is not supported");
  }

  @Test
  void bibBackendWithoutPodmanSaysWhatIsMissingAndPrintsTheCommands() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.strata.disk.build.HostTool.PODMAN.find().isEmpty(), "podman is installed here");
    CliRun run =
        CliRun.of(
            "disk",
            REF,
            "--type",
            "qcow2",
            "--backend",
            "bib",
            "--store",
            store.toString(),
            "--output",
            tmp.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("missing: podman")
        .contains(
            "skopeo copy oci:" + store.toAbsolutePath() + ":" + REF + " containers-storage:" + REF)
        .contains("bootc-image-builder:latest --type qcow2 " + REF);
  }

  @Test
  void kickstartPinsTheStoredDigest() {
    CliRun run = CliRun.of("kickstart", REF, "--store", store.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "ostreecontainer --url=localhost:5000/corp/tiny@"
                + manifest.digest()
                + " --transport=registry");
  }
}
