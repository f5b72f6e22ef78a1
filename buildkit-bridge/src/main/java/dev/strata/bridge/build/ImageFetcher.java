package dev.strata.bridge.build;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.store.OciLayoutStore;
import java.io.IOException;

/**
 * Brings an image from a registry into the local store, for FROM and {@code COPY --from} images the
 * store lacks (or, with {@code --pull always}, every time). The registry layer implements it;
 * {@link #NONE} is what a build has without one.
 */
public interface ImageFetcher {

  /**
   * Fetches {@code reference} (canonical, e.g. {@code docker.io/library/debian:bookworm}, possibly
   * with {@code @sha256:…}) for {@code platform} into {@code store}: every blob digest-verified,
   * the single-platform manifest stored and tagged as {@code reference}. Returns that manifest's
   * descriptor.
   */
  Descriptor fetch(String reference, Platform platform, OciLayoutStore store) throws IOException;

  /** No registry access: fails with what the user can do instead. */
  ImageFetcher NONE =
      (reference, platform, store) -> {
        throw new BuildException(
            reference
                + " is not in the local store "
                + store.root()
                + " and this strata cannot pull from registries yet; put it there with"
                + " `strata import ROOTFS.tar "
                + reference
                + "` or build the node that makes it");
      };
}
