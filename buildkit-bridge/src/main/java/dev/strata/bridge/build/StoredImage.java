package dev.strata.bridge.build;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.store.OciLayoutStore;
import java.io.IOException;

/** A single-platform image read from the store: its manifest descriptor, manifest and config. */
public record StoredImage(Descriptor descriptor, ImageManifest manifest, ImageConfig config) {

  /**
   * Reads the image {@code descriptor} points at; for an index, its linux/amd64 manifest.
   *
   * @throws BuildException when an index has no manifest for the platform
   */
  public static StoredImage read(OciLayoutStore store, Descriptor descriptor, String shownAs)
      throws IOException {
    Descriptor d = descriptor;
    byte[] bytes = store.readBlob(d.digest());
    if (d.mediaType().equals(MediaTypes.IMAGE_INDEX)
        || d.mediaType().equals("application/vnd.docker.distribution.manifest.list.v2+json")) {
      ImageIndex index = ImageIndex.parse(bytes);
      d =
          index.manifests().stream()
              .filter(
                  m ->
                      m.platform() != null
                          && m.platform().os().equals(Platform.LINUX_AMD64.os())
                          && m.platform()
                              .architecture()
                              .equals(Platform.LINUX_AMD64.architecture()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BuildException(
                          shownAs + " has no linux/amd64 image, the only platform strata builds"));
      bytes = store.readBlob(d.digest());
    }
    ImageManifest manifest = ImageManifest.parse(bytes);
    ImageConfig config = ImageConfig.parse(store.readBlob(manifest.config().digest()));
    return new StoredImage(d, manifest, config);
  }
}
