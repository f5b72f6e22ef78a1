package dev.strata.bridge.build;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.ImageTransfer;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.ImageName;
import java.io.IOException;

/**
 * The {@link ImageFetcher} over the registry layer: pulls a FROM or {@code COPY --from} image
 * (mirrors first) into the store, tagged by its canonical name, as {@code strata pull} does.
 */
public final class RegistryFetcher implements ImageFetcher {
  private final RegistryConnector connector;
  private final Mirrors mirrors;

  public RegistryFetcher(RegistryConnector connector, Mirrors mirrors) {
    this.connector = connector;
    this.mirrors = mirrors;
  }

  @Override
  public Descriptor fetch(String reference, Platform platform, OciLayoutStore store)
      throws IOException {
    ImageName name =
        ImageName.parse(reference)
            .orElseThrow(() -> new BuildException("'" + reference + "' is not an image reference"));
    try (ImageTransfer transfer = new ImageTransfer(store, connector, mirrors, event -> {})) {
      return transfer.pull(name, platform).manifest();
    }
  }
}
