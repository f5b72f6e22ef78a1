package dev.strata.disk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.strata.disk.lint.BootcLint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image built into an OCI store with the bridge's own classes, then read by the disk side. */
class StoredImageTest {
  @TempDir Path tmp;

  /** Stores {@code layers} (folders, bottom first) as {@code ref} with {@code labels}. */
  static Descriptor store(
      OciLayoutStore store, String ref, List<Path> layers, Map<String, String> labels)
      throws IOException {
    ImageConfig config = ImageConfig.scratch(Platform.LINUX_AMD64).withLabels(labels);
    List<Descriptor> descriptors = new ArrayList<>();
    for (Path layer : layers) {
      Path blob = Files.createTempFile(store.root(), "layer", ".tar.gz");
      LayerDigests digests;
      try (OutputStream out = Files.newOutputStream(blob)) {
        digests = new LayerWriter(Optional.empty()).writeLayer(layer, out);
      }
      try (var in = Files.newInputStream(blob)) {
        store.putBlob(digests.digest(), in);
      }
      Files.delete(blob);
      descriptors.add(
          new Descriptor(MediaTypes.LAYER_GZIP, digests.digest(), digests.size(), null, Map.of()));
      config =
          config.withLayer(
              digests.diffId(), new HistoryEntry(null, "test layer", null, null, false));
    }
    ContentBlob configBlob = config.render();
    store.putBlob(configBlob);
    ContentBlob manifest =
        new ImageManifest(configBlob.descriptor(), descriptors, Map.of()).render();
    Descriptor d = store.putBlob(manifest);
    store.tag(ref, d);
    return d;
  }

  @Test
  void flattensLayersWithWhiteoutsAndReadsLabelsAndDigest() throws IOException {
    Path base = tmp.resolve("l1");
    Files.createDirectories(base.resolve("usr/lib/modules/6.1.0-1-amd64"));
    Files.writeString(base.resolve("usr/lib/modules/6.1.0-1-amd64/vmlinuz"), "k");
    Files.createDirectories(base.resolve("boot"));
    Files.writeString(base.resolve("boot/old-kernel"), "x");
    Path top = tmp.resolve("l2");
    Files.createDirectories(top.resolve("boot"));
    Files.writeString(top.resolve("boot/.wh.old-kernel"), "");
    Files.createDirectories(top.resolve("etc"));
    Files.writeString(top.resolve("etc/motd"), "hello");
    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store"));
    Descriptor d =
        store(store, "corp/base:latest", List.of(base, top), Map.of("containers.bootc", "1"));

    StoredImage image = StoredImage.open(store, "corp/base:latest");
    assertThat(image.manifestDescriptor().digest()).isEqualTo(d.digest());
    assertThat(image.labels()).containsEntry("containers.bootc", "1");
    Path rootfs = tmp.resolve("rootfs");
    image.flattenInto(rootfs);
    assertThat(rootfs.resolve("etc/motd")).hasContent("hello");
    assertThat(rootfs.resolve("boot/old-kernel")).doesNotExist();
    assertThat(BootcLint.lint(rootfs, image.labels()).of("nonempty-boot")).isEmpty();
    assertThat(BootcLint.lint(rootfs, image.labels()).of("kernel"))
        .singleElement()
        .extracting(f -> f.message())
        .asString()
        .contains("has no initramfs.img");
  }

  @Test
  void itsSizeIsTheSumOfItsLayersUncompressedTars() throws IOException {
    Path base = tmp.resolve("l1");
    Files.createDirectories(base.resolve("usr/bin"));
    Files.write(base.resolve("usr/bin/tool"), new byte[300_000]);
    Path top = tmp.resolve("l2");
    Files.createDirectories(top.resolve("etc"));
    Files.writeString(top.resolve("etc/motd"), "hello");
    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store"));
    store(store, "corp/base:latest", List.of(base, top), Map.of());

    StoredImage image = StoredImage.open(store, "corp/base:latest");
    long tars = 0;
    for (Descriptor layer : ImageManifest.parse(manifestBytes(store, image)).layers()) {
      try (var in = new GZIPInputStream(Files.newInputStream(store.blobPath(layer.digest())))) {
        tars += in.transferTo(OutputStream.nullOutputStream());
      }
    }
    assertThat(tars).isGreaterThan(300_000);
    assertThat(image.uncompressedSize()).hasValue(tars);
  }

  @Test
  void aMissingLayerBlobLeavesTheSizeUnknown() throws IOException {
    Path base = tmp.resolve("l1");
    Files.createDirectories(base.resolve("etc"));
    Files.writeString(base.resolve("etc/motd"), "hello");
    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store"));
    store(store, "corp/base:latest", List.of(base), Map.of());
    StoredImage image = StoredImage.open(store, "corp/base:latest");
    Descriptor layer = ImageManifest.parse(manifestBytes(store, image)).layers().get(0);
    Files.delete(store.blobPath(layer.digest()));

    assertThat(image.uncompressedSize()).isEmpty();
  }

  private static byte[] manifestBytes(OciLayoutStore store, StoredImage image) throws IOException {
    return Files.readAllBytes(store.blobPath(image.manifestDescriptor().digest()));
  }

  @Test
  void anUnknownRefSaysWhereItLookedAndWhatToDo() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp.resolve("store"));
    assertThatThrownBy(() -> StoredImage.open(store, "corp/nope:latest"))
        .hasMessageContaining("'corp/nope:latest' is not in the store at " + store.root())
        .hasMessageContaining("strata build");
  }
}
