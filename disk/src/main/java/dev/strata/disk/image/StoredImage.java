package dev.strata.disk.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.WhiteoutMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An image in the local OCI store, as the disk commands need it: its manifest digest (what a
 * kickstart pins), its config labels (what lint checks), its layers as the engine keeps them
 * extracted (what lint reads through), and its layers flattened into one rootfs directory
 * (whiteouts applied, owners kept when running as root; what a disk image is made from).
 */
public final class StoredImage {
  private final String ref;
  private final Descriptor manifestDescriptor;
  private final ImageManifest manifest;
  private final ImageConfig config;
  private final OciLayoutStore store;

  private StoredImage(
      OciLayoutStore store,
      String ref,
      Descriptor descriptor,
      ImageManifest manifest,
      ImageConfig config) {
    this.store = store;
    this.ref = ref;
    this.manifestDescriptor = descriptor;
    this.manifest = manifest;
    this.config = config;
  }

  /** The store the image was read from. */
  public OciLayoutStore store() {
    return store;
  }

  /** The image {@code ref} names in {@code store}; for an index, its linux/amd64 manifest. */
  public static StoredImage open(OciLayoutStore store, String ref) throws IOException {
    Descriptor d =
        store
            .resolve(ref)
            .orElseThrow(
                () ->
                    new IOException(
                        "image '"
                            + ref
                            + "' is not in the store at "
                            + store.root()
                            + "; build it (strata build) or import it (strata import), or pass"
                            + " --store"));
    if (d.mediaType().equals(MediaTypes.IMAGE_INDEX)) {
      ImageIndex index = ImageIndex.parse(Files.readAllBytes(store.blobPath(d.digest())));
      d =
          index.manifests().stream()
              .filter(m -> Platform.LINUX_AMD64.equals(m.platform()))
              .findFirst()
              .orElseThrow(
                  () -> new IOException("image '" + ref + "' has no linux/amd64 manifest"));
    }
    ImageManifest manifest = ImageManifest.parse(Files.readAllBytes(store.blobPath(d.digest())));
    ImageConfig config =
        ImageConfig.parse(Files.readAllBytes(store.blobPath(manifest.config().digest())));
    return new StoredImage(store, ref, d, manifest, config);
  }

  public String ref() {
    return ref;
  }

  /** The manifest descriptor; its digest is the image's identity. */
  public Descriptor manifestDescriptor() {
    return manifestDescriptor;
  }

  public ImageConfig config() {
    return config;
  }

  /** The config's {@code Labels}, empty when there are none. */
  public Map<String, String> labels() {
    Map<String, String> labels = new TreeMap<>();
    config
        .configField("Labels")
        .ifPresent(
            node -> {
              for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                labels.put(e.getKey(), e.getValue().asText());
              }
            });
    return labels;
  }

  /**
   * The image's layers as overlay-form directories in the store's {@link LayerCache}, extracting
   * only those not yet there (a built image's usually all are: the engine keeps them). Read the
   * merged rootfs through {@code new RootfsView(layers())}. Extracting a layer with whiteouts needs
   * root (they become 0/0 character devices).
   */
  public LayerStack layers() throws IOException {
    return new LayerCache(store).stack(manifest.layers(), config.diffIds());
  }

  /** Whether every layer is already extracted in the store's {@link LayerCache}. */
  public boolean layersExtracted() {
    LayerCache cache = new LayerCache(store);
    return config.diffIds().stream().allMatch(d -> Files.isDirectory(cache.directory(d)));
  }

  /**
   * The image's size as podman reports it and bootc-image-builder sizes disks from: the sum of its
   * layers' uncompressed sizes, read from the blobs without decompressing them ({@link LayerSize});
   * empty when a blob is missing or does not tell its size.
   */
  public OptionalLong uncompressedSize() throws IOException {
    long total = 0;
    for (Descriptor layer : manifest.layers()) {
      Path blob = store.blobPath(layer.digest());
      if (!Files.isRegularFile(blob)) {
        return OptionalLong.empty();
      }
      OptionalLong size = LayerSize.of(layer, blob);
      if (size.isEmpty()) {
        return OptionalLong.empty();
      }
      total += size.getAsLong();
    }
    return OptionalLong.of(total);
  }

  /** Extracts every layer, bottom first, into {@code target} (created if missing). */
  public void flattenInto(Path target) throws IOException {
    LayerExtractor extractor = LayerExtractor.forCurrentUser(WhiteoutMode.APPLY);
    for (Descriptor layer : manifest.layers()) {
      Path blob = store.blobPath(layer.digest());
      if (!Files.exists(blob)) {
        throw new IOException(
            "layer " + layer.digest() + " of '" + ref + "' is missing from the store");
      }
      extractor.extract(blob, target);
    }
  }
}
