package dev.strata.bridge.build;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.DigestResolver;
import dev.strata.bridge.registry.RegistryAccessException;
import dev.strata.bridge.registry.RemoteDigest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.ImageName;
import dev.strata.graph.plan.BaseImageResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The digests of external bases (for linux/amd64, the engine's platform), from the local store and
 * from registries. As a {@link BaseImageResolver} it answers as a build would find the base under
 * the {@link PullPolicy}, so {@code strata plan} keys an unpinned base on the digest the build will
 * use; {@link #current} is what {@code strata check-updates} compares with strata.lock.
 *
 * <p>A store-only base (imported with {@code strata import}, or named {@code localhost/…} without a
 * port, podman's name for local images) is checked against the store: its current digest is the one
 * the store holds now, so importing a new rootfs under the same name moves it.
 */
public final class BaseDigests implements BaseImageResolver {

  /** Where a current digest was read. */
  public enum Source {
    /** The image's own registry. */
    REGISTRY,
    /** A mirror from strata.yaml. */
    MIRROR,
    /** The local store (a store-only base, or {@code --offline}). */
    STORE
  }

  /**
   * A base's current digest: the linux/amd64 manifest digest, where it was read ({@code location}
   * is the reference asked there, or the store's folder), and the multi-platform index the tag
   * named, if any.
   */
  public record Current(
      String reference, String digest, Source source, String location, Optional<String> index) {}

  private final Optional<OciLayoutStore> store;
  private final Optional<DigestResolver> registries;
  private final PullPolicy pull;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param store the local store, if there is one
   * @param registries how to ask registries; empty to stay offline
   * @param pull the order of the store and registries when resolving for a plan
   */
  public BaseDigests(
      Optional<OciLayoutStore> store, Optional<DigestResolver> registries, PullPolicy pull) {
    this.store = store;
    this.registries = registries;
    this.pull = pull;
  }

  @Override
  public Optional<String> resolve(String reference) {
    try {
      Optional<String> stored = pull == PullPolicy.ALWAYS ? Optional.empty() : stored(reference);
      if (stored.isPresent() || pull == PullPolicy.NEVER) {
        return stored;
      }
      Optional<String> remote = remote(reference).map(RemoteDigest::manifest).map(Object::toString);
      return remote.isPresent() ? remote : stored(reference);
    } catch (IOException e) {
      problems.add("could not resolve " + reference + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** What went wrong while resolving for a plan (each unresolved base stays keyed by its name). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * The digest {@code reference} names now: on its registry (mirrors first), unless it is a local
   * name or {@code offline} is set; in the store when the registry answers that it has no such
   * image (the image stored under that name, else the {@code pinned} digest when the store holds
   * it, as a pinned build leaves it). A registry that cannot be reached or refuses access is an
   * error, never silently replaced by the store's older answer.
   */
  public Current current(String reference, Optional<String> pinned, boolean offline)
      throws IOException {
    ImageName name =
        ImageName.parse(reference)
            .orElseThrow(() -> new BuildException("'" + reference + "' is not an image reference"));
    boolean askRegistry = !offline && registries.isPresent() && !isLocalName(name);
    if (askRegistry) {
      Optional<RemoteDigest> remote = remote(reference);
      if (remote.isPresent()) {
        RemoteDigest found = remote.get();
        return new Current(
            reference,
            found.manifest().toString(),
            found.source().equals(found.reference()) ? Source.REGISTRY : Source.MIRROR,
            found.source().canonical(),
            found.index().map(Object::toString));
      }
    }
    Optional<String> stored = stored(reference);
    if (stored.isEmpty() && pinned.isPresent()) {
      // A pinned build pulls name@digest, so the store may hold the pin without the tag: it then
      // knows no other image under this name.
      stored = stored(name.repository() + "@" + pinned.get());
    }
    if (stored.isPresent()) {
      return new Current(
          reference,
          stored.get(),
          Source.STORE,
          store.map(s -> s.root().toString()).orElse(""),
          Optional.empty());
    }
    throw new RegistryAccessException(
        RegistryAccessException.Kind.NOT_FOUND,
        reference
            + (askRegistry
                ? " is neither on " + name.domain() + " nor in the local store"
                : " is not in the local store")
            + (store.isEmpty() ? " (there is none; pass --store DIR)" : "")
            + ": pull or import it, or correct the FROM");
  }

  /**
   * {@code localhost/…} without a port never names a registry: podman's prefix for local images.
   */
  private static boolean isLocalName(ImageName name) {
    return name.domain().equals("localhost");
  }

  private Optional<String> stored(String reference) throws IOException {
    if (store.isEmpty()) {
      return Optional.empty();
    }
    Optional<Descriptor> found =
        new ImageLookup(store.get(), ImageFetcher.NONE, PullPolicy.NEVER).inStore(reference);
    return found.map(d -> d.digest().toString());
  }

  private Optional<RemoteDigest> remote(String reference) throws IOException {
    Optional<ImageName> name = ImageName.parse(reference);
    if (registries.isEmpty() || name.isEmpty() || isLocalName(name.get())) {
      return Optional.empty();
    }
    return registries.get().resolve(name.get(), Platform.LINUX_AMD64);
  }
}
