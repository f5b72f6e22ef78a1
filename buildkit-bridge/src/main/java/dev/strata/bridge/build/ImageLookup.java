package dev.strata.bridge.build;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.ImageName;
import dev.strata.graph.plan.LockFile;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the image a FROM or {@code COPY --from} reference names: in the local store (by name, any
 * spelling docker treats as the same, or by digest), else through the {@link ImageFetcher}, as the
 * {@link PullPolicy} says.
 */
public final class ImageLookup {
  private final OciLayoutStore store;
  private final ImageFetcher fetcher;
  private final PullPolicy pull;

  public ImageLookup(OciLayoutStore store, ImageFetcher fetcher, PullPolicy pull) {
    this.store = store;
    this.fetcher = fetcher;
    this.pull = pull;
  }

  /** The canonical form of a reference ({@code docker.io/library/x:latest}), or itself. */
  public static String canonical(String reference) {
    return ImageName.parse(reference).map(ImageName::canonical).orElse(reference);
  }

  /** The stored manifest {@code reference} names, without fetching. */
  public Optional<Descriptor> inStore(String reference) throws IOException {
    Optional<ImageName> name = ImageName.parse(reference);
    if (name.isPresent() && name.get().digest().isPresent()) {
      Digest digest = Digest.parse(name.get().digest().get());
      if (store.hasBlob(digest)) {
        return Optional.of(
            new Descriptor(
                MediaTypes.IMAGE_MANIFEST, digest, store.readBlob(digest).length, null, Map.of()));
      }
      return Optional.empty();
    }
    String wanted = canonical(reference);
    for (Map.Entry<String, Descriptor> ref : store.refs().entrySet()) {
      if (ref.getKey().equals(reference) || canonical(ref.getKey()).equals(wanted)) {
        return Optional.of(ref.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * The image an external FROM or {@code COPY --from} reference names, pinned to strata.lock's
   * digest when the lock has one for it, fetched first when the policy says so.
   */
  public StoredImage findPinned(String reference, LockFile lock) throws IOException {
    String canonical = canonical(reference);
    Optional<String> pinned = lock.digest(canonical);
    if (pinned.isPresent() && !canonical.contains("@")) {
      Optional<ImageName> name = ImageName.parse(reference);
      if (name.isPresent()) {
        return find(name.get().repository() + "@" + pinned.get());
      }
    }
    return find(reference);
  }

  /** The image {@code reference} names, fetched first when the policy says so. */
  public StoredImage find(String reference) throws IOException {
    Optional<Descriptor> local = pull == PullPolicy.ALWAYS ? Optional.empty() : inStore(reference);
    if (local.isEmpty()) {
      if (pull == PullPolicy.NEVER) {
        throw new BuildException(
            reference
                + " is not in the local store "
                + store.root()
                + " and --pull=never forbids fetching it; import or build it first");
      }
      local = Optional.of(fetcher.fetch(canonical(reference), Platform.LINUX_AMD64, store));
    }
    return StoredImage.read(store, local.get(), reference);
  }
}
