package dev.strata.disk.build;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.config.DiskConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What to build: the image's root filesystem, a flattened folder or the image's layer directories
 * merged as overlay shows them (read only: the builder never changes it), the image reference for
 * the manifest, the types, the config, the total disk size ({@code empty} for automatic: twice the
 * image size, at least the config's minimum sizes), the ESP size, the output folder, and the image
 * size when it is known without reading the rootfs (podman's: the layers' uncompressed sizes; when
 * {@code empty}, the content read from the rootfs is measured instead). A disk size known before
 * the rootfs is read lets the checksum start while it is read.
 */
public record DiskRequest(
    RootfsView rootfs,
    String imageRef,
    Set<DiskType> types,
    DiskConfig config,
    OptionalLong sizeBytes,
    long espBytes,
    Path outputDir,
    OptionalLong imageBytes) {
  public DiskRequest {
    types = Set.copyOf(types);
    if (types.isEmpty()) {
      throw new IllegalArgumentException("no disk type requested");
    }
  }

  /** A request with the default ESP and automatic size; the rootfs is left untouched. */
  public static DiskRequest of(
      Path rootfs, String imageRef, Set<DiskType> types, DiskConfig config, Path outputDir) {
    return new DiskRequest(
        RootfsView.ofDirectories(List.of(rootfs)),
        imageRef,
        types,
        config,
        OptionalLong.empty(),
        DiskLayout.DEFAULT_ESP_BYTES,
        outputDir,
        OptionalLong.empty());
  }

  public DiskRequest withSize(long bytes) {
    return new DiskRequest(
        rootfs, imageRef, types, config, OptionalLong.of(bytes), espBytes, outputDir, imageBytes);
  }

  public DiskRequest withEspBytes(long bytes) {
    return new DiskRequest(
        rootfs, imageRef, types, config, sizeBytes, bytes, outputDir, imageBytes);
  }

  /** This request with the image's size as its layers tell it ({@code empty}: measure it). */
  public DiskRequest withImageBytes(OptionalLong bytes) {
    return new DiskRequest(rootfs, imageRef, types, config, sizeBytes, espBytes, outputDir, bytes);
  }
}
