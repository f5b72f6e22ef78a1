package dev.strata.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {
  @TempDir Path tmp;

  /** A one-layer image stored in {@code store}; returns its manifest descriptor. */
  static Descriptor storeImage(OciLayoutStore store, String layerText) throws IOException {
    byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
    Digest layerDigest = Digest.sha256(layer);
    store.putBlob(layerDigest, new ByteArrayInputStream(layer));
    ContentBlob config =
        ImageConfig.scratch(Platform.LINUX_AMD64)
            .withLayer(
                layerDigest, new dev.strata.bridge.oci.HistoryEntry(null, "x", null, null, false))
            .render();
    Descriptor configDesc = store.putBlob(config);
    Descriptor layerDesc =
        new Descriptor(MediaTypes.LAYER_TAR, layerDigest, layer.length, null, Map.of());
    return store.putBlob(new ImageManifest(configDesc, List.of(layerDesc), Map.of()).render());
  }

  @Test
  void createsAnOciLayout() throws IOException {
    OciLayoutStore.open(tmp);

    assertThat(tmp.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(tmp.resolve("index.json")).exists();
    assertThat(tmp.resolve("blobs/sha256")).isDirectory();
  }

  @Test
  void refusesABlobWhoseBytesDoNotMatchItsDigest() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Digest claimed = Digest.sha256("something else");

    assertThatThrownBy(() -> store.putBlob(claimed, new ByteArrayInputStream(new byte[] {1})))
        .hasMessageContaining("not stored");
    assertThat(store.hasBlob(claimed)).isFalse();
    try (var files = Files.list(tmp.resolve("blobs/sha256"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void tagsResolveByRefNameAndRetagReplaces() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Descriptor first = storeImage(store, "one");
    Descriptor second = storeImage(store, "two");

    store.tag("corp/base:latest", first);
    store.tag("corp/base:latest", second);

    assertThat(store.resolve("corp/base:latest")).map(Descriptor::digest).contains(second.digest());
    assertThat(Files.readString(tmp.resolve("index.json")))
        .containsOnlyOnce(OciLayoutStore.REF_NAME);
  }

  @Test
  void storingADocumentAgainLeavesItsBlobAsItIs() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    ContentBlob config = ImageConfig.scratch(Platform.LINUX_AMD64).render();
    Descriptor first = store.putBlob(config);
    Path blob = store.blobPath(first.digest());
    Object inode = Files.readAttributes(blob, "unix:ino").get("ino");

    Descriptor again = store.putBlob(config);

    assertThat(again).isEqualTo(first);
    assertThat(Files.readAttributes(blob, "unix:ino").get("ino")).isEqualTo(inode);
    assertThat(Files.readAllBytes(blob)).isEqualTo(config.bytes());
  }

  @Test
  void taggingARefWithTheManifestItNamesLeavesTheIndexFileAsItIs() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Descriptor image = storeImage(store, "one");
    store.tag("corp/base:latest", image);
    Object inode = Files.readAttributes(tmp.resolve("index.json"), "unix:ino").get("ino");

    store.tag("corp/base:latest", image);

    assertThat(Files.readAttributes(tmp.resolve("index.json"), "unix:ino").get("ino"))
        .isEqualTo(inode);
    assertThat(store.resolve("corp/base:latest")).map(Descriptor::digest).contains(image.digest());
  }

  @Test
  void gcDeletesOnlyUnreferencedBlobs() throws IOException {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Descriptor kept = storeImage(store, "kept");
    Descriptor dropped = storeImage(store, "dropped");
    store.tag("img:kept", kept);

    List<Digest> removed = store.gc();

    assertThat(removed).contains(dropped.digest(), Digest.sha256("dropped"));
    assertThat(store.hasBlob(kept.digest())).isTrue();
    assertThat(store.hasBlob(Digest.sha256("kept"))).isTrue();
  }

  @Test
  void concurrentTagsAllLand() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(tmp);
    Descriptor image = storeImage(store, "shared");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String ref = "img:t" + i;
      futures.add(
          pool.submit(
              () -> {
                OciLayoutStore.open(tmp).tag(ref, image);
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    for (int i = 0; i < 40; i++) {
      assertThat(store.resolve("img:t" + i)).isPresent();
    }
  }

  @Test
  void skopeoReadsAnImageTheStoreWrote() throws Exception {
    boolean skopeo =
        Files.isExecutable(Path.of("/usr/bin/skopeo"))
            || Files.isExecutable(Path.of("/usr/local/bin/skopeo"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        skopeo, "skopeo is not installed; the setup script should install it");
    OciLayoutStore store = OciLayoutStore.open(tmp);
    store.tag("corp/base:latest", storeImage(store, "layer"));

    Process p =
        new ProcessBuilder("skopeo", "inspect", "--raw", "oci:" + tmp + ":corp/base:latest")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains(MediaTypes.IMAGE_MANIFEST);
  }

  @Test
  void aRelativeRootIsOpenedAsAnAbsoluteOne() throws Exception {
    Path relative = Path.of("target", "relative-store-" + System.nanoTime());
    try {
      OciLayoutStore store = OciLayoutStore.open(relative);

      assertThat(store.root()).isAbsolute().isEqualTo(relative.toAbsolutePath().normalize());
      assertThat(store.blobPath(Digest.sha256(new byte[0]))).isAbsolute();
    } finally {
      dev.strata.bridge.fs.FileTrees.delete(relative);
    }
  }
}
