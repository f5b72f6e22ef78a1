package dev.strata.cli;

import dev.strata.bridge.store.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;

/** {@code --store DIR}, shared by the commands that read or write the local image store. */
final class StoreOption {
  @CommandLine.Option(
      names = "--store",
      paramLabel = "DIR",
      description = "The local OCI image store (default: $XDG_DATA_HOME/strata).")
  Path store;

  /** The store if it exists (reading commands must not create one). */
  java.util.Optional<OciLayoutStore> openIfPresent() throws IOException {
    Path root = store != null ? store : OciLayoutStore.defaultRoot();
    return java.nio.file.Files.isRegularFile(root.resolve("oci-layout"))
        ? java.util.Optional.of(OciLayoutStore.open(root))
        : java.util.Optional.empty();
  }

  OciLayoutStore open() throws IOException {
    return OciLayoutStore.open(store != null ? store : OciLayoutStore.defaultRoot());
  }
}
