package dev.strata.bridge.build;

import dev.strata.bridge.fs.FileTrees;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.HistoryEntry;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.CompressionFormat;
import dev.strata.bridge.tar.LayerDigests;
import dev.strata.bridge.tar.LayerOutput;
import dev.strata.bridge.tar.PieceMemo;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.TarReader;
import dev.strata.bridge.tar.TarWriter;
import dev.strata.graph.ImageName;
import dev.strata.graph.project.LayerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code strata import}: a root filesystem tarball (plain, gzip or zstd) becomes a one-layer
 * linux/amd64 image in the store, like {@code podman import}. Entries are re-written in their order
 * with every attribute, mtimes clamped to {@code SOURCE_DATE_EPOCH} when set; unsafe names are
 * refused.
 */
public final class ImageImporter {
  private static final Logger LOG = Logger.getLogger(ImageImporter.class.getName());

  private final OciLayoutStore store;
  private final BuildClock clock;
  private final LayerCompression compression;

  /** An importer that writes a gzipped layer. */
  public ImageImporter(OciLayoutStore store, BuildClock clock) {
    this(store, clock, LayerCompression.GZIP);
  }

  /** An importer that writes its layer compressed as {@code compression}. */
  public ImageImporter(OciLayoutStore store, BuildClock clock, LayerCompression compression) {
    this.store = store;
    this.clock = clock;
    this.compression = compression;
  }

  /** The reference an image is stored under: as given, with {@code :latest} when it has no tag. */
  public static String storedReference(String reference) throws BuildException {
    ImageName name =
        ImageName.parse(reference)
            .orElseThrow(
                () ->
                    new BuildException(
                        "'" + reference + "' is not an image reference (e.g. corp/base:1.0)"));
    boolean tagged = reference.lastIndexOf(':') > reference.lastIndexOf('/');
    return tagged || name.digest().isPresent() ? reference : reference + ":latest";
  }

  /** Imports the tarball {@code rootfs} as {@code reference}; returns the manifest descriptor. */
  public Descriptor importRootfs(InputStream rootfs, String reference) throws IOException {
    String stored = storedReference(reference);
    Instant now = clock.now();
    Path tmp = store.root().resolve("tmp");
    Files.createDirectories(tmp);
    Path scratch = Files.createTempDirectory(tmp, "import-");
    try {
      Path blob = scratch.resolve("layer.blob");
      LayerDigests digests;
      try (OutputStream out = Files.newOutputStream(blob)) {
        LayerOutput layerOutput =
            LayerOutput.open(compression, out, Optional.of(PieceMemo.of(store)));
        TarWriter writer = new TarWriter(layerOutput);
        TarReader reader =
            new TarReader(CompressionFormat.decompressed(rootfs, "the root filesystem tarball"));
        for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
          if (entry.path().equals(".")) {
            continue; // the root directory is not a layer entry
          }
          TarEntry written = clock.sourceDateEpoch().map(entry::clampedTo).orElse(entry);
          writer.write(written, reader.content());
        }
        writer.finish();
        digests = layerOutput.finish();
      }
      store.moveBlob(digests.digest(), blob);
      Descriptor layer =
          new Descriptor(
              MediaTypes.layer(compression), digests.digest(), digests.size(), null, Map.of());
      extractForBuilds(digests, layer);
      ImageConfig config =
          ImageConfig.scratch(Platform.LINUX_AMD64)
              .withCreated(now)
              .withLayer(
                  digests.diffId(),
                  new HistoryEntry(
                      now,
                      "/bin/sh -c #(nop) ADD file:" + digests.diffId().hex() + " in / ",
                      null,
                      "imported from a root filesystem tarball",
                      false));
      Descriptor configDescriptor = store.putBlob(config.render());
      ContentBlob manifest = new ImageManifest(configDescriptor, List.of(layer), Map.of()).render();
      Descriptor manifestDescriptor = store.putBlob(manifest);
      store.tag(stored, manifestDescriptor);
      return manifestDescriptor;
    } finally {
      FileTrees.delete(scratch);
    }
  }

  /**
   * Extracts the imported layer into the store's layer cache now, as {@code podman import} and
   * {@code docker import} unpack into their storage, so the first build on it does not. Best
   * effort: a layer that cannot be extracted here (e.g. whiteouts without root) is extracted, or
   * reported, by the build that needs it.
   */
  private void extractForBuilds(LayerDigests digests, Descriptor layer) {
    try {
      new LayerCache(store).extracted(digests.diffId(), layer);
    } catch (IOException e) {
      LOG.fine("imported layer " + digests.diffId() + " left for the build to extract: " + e);
    }
  }
}
