package dev.strata.bridge.registry;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.RegistryAccessException.Kind;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.ImageName;
import java.io.Closeable;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Moves images between the local OCI layout store and registries, keeping every manifest, index and
 * config byte exact. A pull stores all blobs before it tags; a push sends blobs, then the manifest
 * by digest, then the tag, so no reference ever names an incomplete image.
 *
 * <p>Blobs are mounted rather than uploaded when another repository of the target registry is known
 * to hold them: one this transfer pushed to or pulled from, or one a store ref names on that
 * registry. Not thread-safe; one transfer per build.
 */
public final class ImageTransfer implements Closeable {
  private final OciLayoutStore store;
  private final RegistryConnector connector;
  private final Mirrors mirrors;
  private final Consumer<TransferEvent> listener;
  private final Map<String, Registry> registries = new HashMap<>();
  // host -> blob -> repositories on that host known to hold it.
  private final Map<String, Map<Digest, Set<String>>> knownLocations = new HashMap<>();

  public ImageTransfer(
      OciLayoutStore store,
      RegistryConnector connector,
      Mirrors mirrors,
      Consumer<TransferEvent> listener) {
    this.store = store;
    this.connector = connector;
    this.mirrors = mirrors;
    this.listener = listener;
  }

  /**
   * Pulls {@code reference} for {@code platform} (an index is resolved to that platform's manifest)
   * into the store and tags it there as {@code reference.canonical()}. Mirrors are tried first; a
   * mirror that lacks the image or fails is skipped.
   */
  public PulledImage pull(ImageName reference, Platform platform) throws IOException {
    List<ImageName> candidates = mirrors.candidates(reference);
    for (ImageName candidate : candidates) {
      boolean isMirror = !candidate.equals(reference);
      try {
        Optional<PulledImage> pulled = pullFrom(reference, candidate, platform);
        if (pulled.isPresent()) {
          return pulled.get();
        }
        if (!isMirror) {
          throw new RegistryAccessException(
              Kind.NOT_FOUND,
              "image "
                  + reference
                  + " not found: "
                  + reference.domain()
                  + " has no "
                  + (reference.digest().isPresent() ? "manifest " : "tag ")
                  + qualifier(reference)
                  + " in repository "
                  + reference.path()
                  + " (check the name and tag)");
        }
        listener.accept(
            new TransferEvent(TransferEvent.Kind.MIRROR_SKIPPED, candidate.canonical(), null, 0));
      } catch (RegistryAccessException e) {
        if (!isMirror || e.kind() == Kind.PROTOCOL) {
          throw e;
        }
        listener.accept(
            new TransferEvent(TransferEvent.Kind.MIRROR_SKIPPED, candidate.canonical(), null, 0));
      }
    }
    throw new IllegalStateException("the origin is always the last candidate");
  }

  private Optional<PulledImage> pullFrom(ImageName reference, ImageName source, Platform platform)
      throws IOException {
    Registry registry = registry(source.domain());
    String repository = source.path();
    Optional<ContentBlob> top = registry.manifest(repository, qualifier(source));
    if (top.isEmpty()) {
      return Optional.empty();
    }
    ContentBlob manifest = top.get();
    Optional<Digest> index = Optional.empty();
    if (MediaTypes.isIndex(manifest.mediaType())) {
      ContentBlob indexBlob = manifest;
      Descriptor chosen = choose(ImageIndex.parse(indexBlob.bytes()), platform, source);
      manifest =
          registry
              .manifest(repository, chosen.digest().toString())
              .orElseThrow(
                  () ->
                      new RegistryAccessException(
                          Kind.PROTOCOL,
                          source
                              + " lists "
                              + chosen.digest()
                              + " for "
                              + platform.os()
                              + "/"
                              + platform.architecture()
                              + " but the registry does not have it"));
      store.putBlob(indexBlob);
      index = Optional.of(indexBlob.digest());
    }
    if (!MediaTypes.isManifest(manifest.mediaType())) {
      throw new RegistryAccessException(
          Kind.PROTOCOL,
          source + " is a " + manifest.mediaType() + ", not an image manifest Strata can use");
    }
    ImageManifest parsed = ImageManifest.parse(manifest.bytes());
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(parsed.config());
    blobs.addAll(parsed.layers());
    for (Descriptor blob : blobs) {
      fetchBlob(registry, repository, blob, source);
    }
    store.putBlob(manifest);
    remember(registry.host(), repository, blobs);
    listener.accept(
        new TransferEvent(
            TransferEvent.Kind.MANIFEST,
            source.canonical(),
            manifest.digest(),
            manifest.bytes().length));
    Map<String, String> annotations = new TreeMap<>();
    index.ifPresent(d -> annotations.put(OciLayoutStore.SOURCE_INDEX, d.toString()));
    Descriptor descriptor =
        new Descriptor(
            manifest.mediaType(),
            manifest.digest(),
            manifest.bytes().length,
            platform,
            annotations);
    store.tag(reference.canonical(), descriptor);
    listener.accept(
        new TransferEvent(
            TransferEvent.Kind.TAGGED,
            reference.canonical(),
            manifest.digest(),
            manifest.bytes().length));
    return Optional.of(new PulledImage(reference, source, descriptor, index));
  }

  static Descriptor choose(ImageIndex index, Platform platform, ImageName source)
      throws RegistryAccessException {
    List<String> offered = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      Platform p = d.platform();
      if (p == null) {
        continue;
      }
      if (p.os().equals(platform.os())
          && p.architecture().equals(platform.architecture())
          && (platform.variant() == null || platform.variant().equals(p.variant()))) {
        return d;
      }
      offered.add(p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant()));
    }
    throw new RegistryAccessException(
        Kind.NOT_FOUND,
        source
            + " has no "
            + platform.os()
            + "/"
            + platform.architecture()
            + " image; it offers "
            + (offered.isEmpty() ? "no platforms" : String.join(", ", offered)));
  }

  /** Downloads one blob into the store (unless there), retrying whole-blob on transient failure. */
  private void fetchBlob(Registry registry, String repository, Descriptor blob, ImageName source)
      throws IOException {
    if (store.hasBlob(blob.digest())) {
      listener.accept(
          new TransferEvent(
              TransferEvent.Kind.BLOB_CACHED, source.canonical(), blob.digest(), blob.size()));
      return;
    }
    RetryPolicy retry = connector.retryPolicy();
    long delay = retry.firstDelay().toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        streamIntoStore(registry, repository, blob.digest());
        break;
      } catch (RegistryAccessException e) {
        if (e.kind() != Kind.UNREACHABLE || attempt >= retry.attempts()) {
          throw e;
        }
      }
      sleep(delay);
      delay *= 2;
    }
    listener.accept(
        new TransferEvent(
            TransferEvent.Kind.BLOB_PULLED, source.canonical(), blob.digest(), blob.size()));
  }

  /**
   * jib writes blobs to a stream; the store reads one (and verifies and renames it), so a pipe
   * joins them without a second copy on disk.
   */
  private void streamIntoStore(Registry registry, String repository, Digest digest)
      throws IOException {
    AtomicReference<IOException> downloadFailure = new AtomicReference<>();
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread download =
        new Thread(
            () -> {
              try (out) {
                registry.pullBlob(repository, digest, out);
              } catch (IOException e) {
                downloadFailure.set(e);
              }
            },
            "strata-pull-" + digest.hex().substring(0, 12));
    download.setDaemon(true);
    download.start();
    IOException storeFailure = null;
    try (in) {
      store.putBlob(digest, in);
    } catch (IOException e) {
      storeFailure = e;
    }
    // Closing the read end (above) unblocks a download still writing after a store failure.
    try {
      download.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pulling " + digest, e);
    }
    if (storeFailure != null) {
      // A short or broken download shows up in the store as a digest mismatch: report its cause.
      throw downloadFailure.get() != null ? downloadFailure.get() : storeFailure;
    }
  }

  /**
   * Pushes the store image {@code storeRef} to {@code remote}: blobs (skipped when present, mounted
   * when another repository on that registry has them), then each manifest by digest, then the tag.
   * When {@code remote} carries a digest it must be the image's, and no tag is set.
   */
  public PushedImage push(String storeRef, ImageName remote) throws IOException {
    Descriptor top =
        store
            .resolve(storeRef)
            .orElseThrow(
                () ->
                    new RegistryAccessException(
                        Kind.NOT_FOUND,
                        "no image '"
                            + storeRef
                            + "' in the store "
                            + store.root()
                            + " (build or pull it first)"));
    return push(top, storeRef, remote);
  }

  /**
   * Pushes the stored manifest or index {@code top} (named {@code storeRef} in messages) to {@code
   * remote}, as {@link #push(String, ImageName)} does; for images the store holds without a ref of
   * their own, such as the platform manifest of a pulled index.
   */
  public PushedImage push(Descriptor top, String storeRef, ImageName remote) throws IOException {
    Registry registry = registry(remote.domain());
    String repository = remote.path();
    if (remote.digest().isPresent() && !remote.digest().get().equals(top.digest().toString())) {
      throw new RegistryAccessException(
          Kind.PROTOCOL,
          "cannot push "
              + storeRef
              + " ("
              + top.digest()
              + ") as "
              + remote
              + ": the digest differs");
    }
    Map<Digest, BlobPush> outcomes = new LinkedHashMap<>();
    ContentBlob topBytes = pushTree(registry, repository, top, remote, outcomes);
    if (remote.tag().isPresent()) {
      registry.pushManifest(repository, remote.tag().get(), topBytes);
      listener.accept(
          new TransferEvent(
              TransferEvent.Kind.TAGGED, remote.canonical(), top.digest(), top.size()));
    }
    return new PushedImage(remote, top.digest(), outcomes);
  }

  private ContentBlob pushTree(
      Registry registry,
      String repository,
      Descriptor node,
      ImageName remote,
      Map<Digest, BlobPush> outcomes)
      throws IOException {
    ContentBlob bytes = readStored(node);
    if (MediaTypes.isIndex(node.mediaType())) {
      for (Descriptor child : ImageIndex.parse(bytes.bytes()).manifests()) {
        if (!store.hasBlob(child.digest())) {
          throw new RegistryAccessException(
              Kind.NOT_FOUND,
              "cannot push "
                  + remote
                  + ": its index names "
                  + child.digest()
                  + " which is not in the store (an image pulled for one platform is pushed by"
                  + " its platform manifest, not its index)");
        }
        pushTree(registry, repository, child, remote, outcomes);
      }
    } else if (MediaTypes.isManifest(node.mediaType())) {
      ImageManifest manifest = ImageManifest.parse(bytes.bytes());
      List<Descriptor> blobs = new ArrayList<>();
      blobs.add(manifest.config());
      blobs.addAll(manifest.layers());
      Map<Digest, List<String>> storeLocations = storeLocations(registry.host(), repository);
      for (Descriptor blob : blobs) {
        if (outcomes.containsKey(blob.digest())) {
          continue;
        }
        if (!store.hasBlob(blob.digest())) {
          throw new RegistryAccessException(
              Kind.NOT_FOUND,
              "cannot push " + remote + ": blob " + blob.digest() + " is missing from the store");
        }
        Set<String> mountFrom = new LinkedHashSet<>();
        mountFrom.addAll(
            knownLocations
                .getOrDefault(registry.host(), Map.of())
                .getOrDefault(blob.digest(), Set.of()));
        mountFrom.addAll(storeLocations.getOrDefault(blob.digest(), List.of()));
        mountFrom.remove(repository);
        BlobPush outcome =
            registry.pushBlob(
                repository,
                blob.digest(),
                BlobSource.of(store.blobPath(blob.digest())),
                List.copyOf(mountFrom));
        outcomes.put(blob.digest(), outcome);
        listener.accept(
            new TransferEvent(eventKind(outcome), remote.canonical(), blob.digest(), blob.size()));
      }
      remember(registry.host(), repository, blobs);
    } else {
      throw new RegistryAccessException(
          Kind.PROTOCOL,
          "cannot push " + node.digest() + ": unknown media type " + node.mediaType());
    }
    registry.pushManifest(repository, node.digest().toString(), bytes);
    listener.accept(
        new TransferEvent(
            TransferEvent.Kind.MANIFEST, remote.canonical(), node.digest(), node.size()));
    return bytes;
  }

  private static TransferEvent.Kind eventKind(BlobPush outcome) {
    return switch (outcome) {
      case EXISTED -> TransferEvent.Kind.BLOB_EXISTED;
      case MOUNTED -> TransferEvent.Kind.BLOB_MOUNTED;
      case UPLOADED -> TransferEvent.Kind.BLOB_UPLOADED;
    };
  }

  private ContentBlob readStored(Descriptor descriptor) throws IOException {
    return ContentBlob.of(
        descriptor.mediaType(), Files.readAllBytes(store.blobPath(descriptor.digest())));
  }

  /** Blobs of store images whose refs name another repository on {@code host}. */
  private Map<Digest, List<String>> storeLocations(String host, String repository)
      throws IOException {
    Map<Digest, List<String>> locations = new HashMap<>();
    for (Map.Entry<String, Descriptor> ref : store.refs().entrySet()) {
      Optional<ImageName> name = ImageName.parse(ref.getKey());
      Descriptor d = ref.getValue();
      if (name.isEmpty()
          || !name.get().domain().equals(host)
          || name.get().path().equals(repository)
          || !MediaTypes.isManifest(d.mediaType())
          || !store.hasBlob(d.digest())) {
        continue;
      }
      ImageManifest manifest = ImageManifest.parse(Files.readAllBytes(store.blobPath(d.digest())));
      List<Descriptor> blobs = new ArrayList<>(manifest.layers());
      blobs.add(manifest.config());
      for (Descriptor blob : blobs) {
        locations.computeIfAbsent(blob.digest(), k -> new ArrayList<>()).add(name.get().path());
      }
    }
    return locations;
  }

  private void remember(String host, String repository, List<Descriptor> blobs) {
    Map<Digest, Set<String>> byBlob = knownLocations.computeIfAbsent(host, h -> new HashMap<>());
    for (Descriptor blob : blobs) {
      byBlob.computeIfAbsent(blob.digest(), d -> new LinkedHashSet<>()).add(repository);
    }
  }

  /**
   * The connection this transfer uses for {@code host} (opened on first use, closed with the
   * transfer), for callers that work on what it pushed, such as signing.
   */
  public Registry registry(String host) throws RegistryAccessException {
    Registry existing = registries.get(host);
    if (existing == null) {
      existing = connector.connect(host);
      registries.put(host, existing);
    }
    return existing;
  }

  static String qualifier(ImageName name) {
    return name.digest().orElseGet(() -> name.tag().orElse("latest"));
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Registry registry : registries.values()) {
      try {
        registry.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    registries.clear();
    if (first != null) {
      throw first;
    }
  }
}
