package dev.strata.bridge.tar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides, path by path and before hardlinks are paired, what a {@link LayerWriter} writes for a
 * tree that is not simply "the layer's content": an overlay upperdir (whiteout devices, opaque
 * directories, mount stubs) or a rootfs compared with its state before a command ran.
 */
@FunctionalInterface
public interface TreeFilter {
  /** Every path as it is. */
  TreeFilter ALL = (rel, file) -> PathChoice.keep();

  /**
   * The choice for {@code rel} (relative, {@code /}-separated) found at {@code file}; called
   * parents first.
   */
  PathChoice choose(String rel, Path file) throws IOException;

  /**
   * Content-less entries for paths the tree no longer has (the whiteouts of a walking diff, whose
   * deleted files {@link #choose} never sees), written among the others in path order.
   */
  default List<TarEntry> removals() {
    return List.of();
  }
}
