package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.TreeSnapshot;
import dev.strata.bridge.tar.WhiteoutMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata import} as the first build on the image finds it. */
class ImageImporterTest {
  @TempDir Path dir;

  @Test
  void importedLayerIsAlreadyExtractedInTheLayerCache() throws Exception {
    TestBuilds.requireRoot();
    OciLayoutStore store = TestBuilds.storeWithBase(dir.resolve("store"), Optional.empty());

    Descriptor manifest = store.resolve(TestBuilds.BASE).orElseThrow();
    ImageManifest parsed = ImageManifest.parse(store.readBlob(manifest.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(parsed.config().digest()));
    Path cached = new LayerCache(store).directory(config.diffIds().get(0));
    assertThat(cached).isDirectory();

    Path extracted = dir.resolve("extracted");
    new LayerExtractor(WhiteoutMode.OVERLAY, true)
        .extract(store.blobPath(parsed.layers().get(0).digest()), extracted);
    assertThat(TreeSnapshot.of(cached)).isEqualTo(TreeSnapshot.of(extracted));
    assertThat(Files.isRegularFile(cached.resolve("bin/busybox"))).isTrue();
  }
}
