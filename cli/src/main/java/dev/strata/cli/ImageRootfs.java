package dev.strata.cli;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.rootfs.LayerStack;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.image.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stored image's merged root filesystem, for reading a few of its files (the bootc lint, the
 * package inventory, the SBOM) without unpacking the image again: through the overlay-form layer
 * directories the store keeps for the engine, extracting only the ones missing. A process that is
 * not root cannot extract whiteouts in overlay form, so when a layer is missing there the image is
 * flattened into a temporary folder instead, which {@link #close} deletes.
 */
final class ImageRootfs implements AutoCloseable {
  private final RootfsView view;
  private final Path flattened;

  private ImageRootfs(RootfsView view, Path flattened) {
    this.view = view;
    this.flattened = flattened;
  }

  /** Opens {@code image}'s rootfs; a flattened copy, if one is needed, goes under {@code temp}. */
  static ImageRootfs open(StoredImage image, Path temp) throws IOException {
    if (Posix.isRoot() || image.layersExtracted()) {
      LayerStack layers = image.layers();
      return new ImageRootfs(new RootfsView(layers), null);
    }
    Files.createDirectories(temp);
    Path flat = Files.createTempDirectory(temp, "flatten-");
    try {
      image.flattenInto(flat);
    } catch (IOException | RuntimeException e) {
      DiskCommand.deleteTree(flat);
      throw e;
    }
    return new ImageRootfs(RootfsView.ofDirectories(List.of(flat)), flat);
  }

  RootfsView view() {
    return view;
  }

  @Override
  public void close() throws IOException {
    if (flattened != null) {
      DiskCommand.deleteTree(flattened);
    }
  }
}
