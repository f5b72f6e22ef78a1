package dev.strata.bridge.registry;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Real images for registry tests: gzip layer tars written by LayerWriter, stored and tagged. */
final class TestImages {
  private TestImages() {}

  /**
   * Stores an image with one layer per seed (each a small tree with a 64 KiB file of seeded random
   * bytes, so equal seeds give equal layers) and tags it {@code ref}.
   */
  static Descriptor image(OciLayoutStore store, Path work, String ref, String... layerSeeds)
      throws IOException {
    LayerWriter writer = new LayerWriter(Optional.of(Instant.ofEpochSecond(1_700_000_000)));
    ImageConfig config = ImageConfig.scratch(Platform.LINUX_AMD64);
    List<Descriptor> layers = new ArrayList<>();
    for (String seed : layerSeeds) {
      Path tree = Files.createTempDirectory(work, "tree-");
      Files.createDirectories(tree.resolve("opt/" + seed));
      Files.writeString(tree.resolve("opt/" + seed + "/name"), seed + "\n");
      byte[] noise = new byte[64 * 1024];
      new Random(seed.hashCode()).nextBytes(noise);
      Files.write(tree.resolve("opt/" + seed + "/data.bin"), noise);
      Path gz = Files.createTempFile(work, "layer-", ".tar.gz");
      LayerDigests digests;
      try (OutputStream out = Files.newOutputStream(gz)) {
        digests = writer.writeLayer(tree, out);
      }
      try (InputStream in = Files.newInputStream(gz)) {
        store.putBlob(digests.digest(), in);
      }
      layers.add(
          new Descriptor(MediaTypes.LAYER_GZIP, digests.digest(), digests.size(), null, Map.of()));
      config =
          config.withLayer(
              digests.diffId(),
              new HistoryEntry(null, "COPY " + seed + " /opt/", null, null, false));
    }
    Descriptor configDescriptor = store.putBlob(config.render());
    Descriptor manifest =
        store.putBlob(
            new ImageManifest(configDescriptor, layers, Map.of("org.example.test", ref)).render());
    store.tag(ref, manifest);
    return manifest;
  }

  /** The exact bytes of a stored blob. */
  static byte[] bytes(OciLayoutStore store, Descriptor descriptor) throws IOException {
    return Files.readAllBytes(store.blobPath(descriptor.digest()));
  }

  /** Every blob (config and layers) of a stored manifest, config first. */
  static List<Descriptor> blobs(OciLayoutStore store, Descriptor manifest) throws IOException {
    ImageManifest parsed = ImageManifest.parse(bytes(store, manifest));
    List<Descriptor> all = new ArrayList<>();
    all.add(parsed.config());
    all.addAll(parsed.layers());
    return all;
  }

  static ContentBlob text(String mediaType, String json) {
    return ContentBlob.of(mediaType, json.getBytes(StandardCharsets.UTF_8));
  }
}
