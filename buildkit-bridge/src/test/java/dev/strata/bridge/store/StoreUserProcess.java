package dev.strata.bridge.store;

import dev.strata.bridge.oci.Descriptor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process using a store, as a build does: it stores an image, says {@code stored}, waits
 * for its standard input to close, then tags the image and exits.
 */
public final class StoreUserProcess {
  private StoreUserProcess() {}

  public static void main(String[] args) throws IOException {
    OciLayoutStore store = OciLayoutStore.open(Path.of(args[0]));
    Descriptor image = OciLayoutStoreTest.storeImage(store, "built by another process");
    System.out.println("stored");
    System.out.flush();
    System.in.transferTo(java.io.OutputStream.nullOutputStream());
    store.tag("corp/other:latest", image);
  }
}
