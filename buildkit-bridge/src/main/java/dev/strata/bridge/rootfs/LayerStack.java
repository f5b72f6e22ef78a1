package dev.strata.bridge.rootfs;

import com.google.common.collect.ImmutableList;
import dev.strata.bridge.oci.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image's root filesystem as overlayfs sees it: one extracted directory per layer, bottom first,
 * with whiteouts as 0/0 character devices and opaque directories marked by {@code
 * trusted.overlay.opaque=y}. A RUN executor mounts {@link #directories()} as the lower dirs
 * (overlay wants them top first: reverse the list); {@link RootfsView} reads through them.
 */
public record LayerStack(List<Path> directories, List<Digest> diffIds) {
  public LayerStack {
    directories = ImmutableList.copyOf(directories);
    diffIds = ImmutableList.copyOf(diffIds);
    if (directories.size() != diffIds.size()) {
      throw new IllegalArgumentException("one directory per diffID is required");
    }
  }

  /** The empty root filesystem of {@code FROM scratch}. */
  public static LayerStack empty() {
    return new LayerStack(List.of(), List.of());
  }

  /** This stack with one more layer on top. */
  public LayerStack plus(Path directory, Digest diffId) {
    List<Path> dirs = new ArrayList<>(directories);
    dirs.add(directory);
    List<Digest> ids = new ArrayList<>(diffIds);
    ids.add(diffId);
    return new LayerStack(dirs, ids);
  }

  /** The layer directories top first, as overlayfs's {@code lowerdir=} lists them. */
  public List<Path> topFirst() {
    return ImmutableList.copyOf(directories).reverse();
  }
}
