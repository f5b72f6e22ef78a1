package dev.strata.bridge.registry;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.RegistryAccessException.Kind;
import dev.strata.graph.ImageName;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the digest an image reference names on its registry now, without pulling anything: one
 * manifest request (mirrors first, as pulls do); for a multi-platform index the platform's entry is
 * read from the index itself, so no second request is needed.
 */
public final class DigestResolver implements Closeable {
  private final RegistryConnector connector;
  private final Mirrors mirrors;
  private final Map<String, Registry> registries = new HashMap<>();

  public DigestResolver(RegistryConnector connector, Mirrors mirrors) {
    this.connector = connector;
    this.mirrors = mirrors;
  }

  /**
   * The current digest of {@code reference} for {@code platform}; empty when its registry answers
   * that it has no such image. A mirror that fails or lacks the image is skipped; a failure of the
   * image's own registry is thrown ({@link RegistryAccessException} says which).
   */
  public Optional<RemoteDigest> resolve(ImageName reference, Platform platform) throws IOException {
    for (ImageName candidate : mirrors.candidates(reference)) {
      boolean isMirror = !candidate.equals(reference);
      try {
        Optional<RemoteDigest> found = resolveAt(reference, candidate, platform);
        if (found.isPresent() || !isMirror) {
          return found;
        }
      } catch (RegistryAccessException e) {
        if (!isMirror || e.kind() == Kind.PROTOCOL) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("the origin is always the last candidate");
  }

  private Optional<RemoteDigest> resolveAt(ImageName reference, ImageName source, Platform platform)
      throws IOException {
    Optional<ContentBlob> top =
        registry(source.domain()).manifest(source.path(), ImageTransfer.qualifier(source));
    if (top.isEmpty()) {
      return Optional.empty();
    }
    ContentBlob blob = top.get();
    if (MediaTypes.isIndex(blob.mediaType())) {
      Descriptor chosen = ImageTransfer.choose(ImageIndex.parse(blob.bytes()), platform, source);
      return Optional.of(
          new RemoteDigest(reference, source, chosen.digest(), Optional.of(blob.digest())));
    }
    if (!MediaTypes.isManifest(blob.mediaType())) {
      throw new RegistryAccessException(
          Kind.PROTOCOL,
          source + " is a " + blob.mediaType() + ", not an image manifest Strata can use");
    }
    return Optional.of(new RemoteDigest(reference, source, blob.digest(), Optional.empty()));
  }

  private Registry registry(String host) throws RegistryAccessException {
    Registry existing = registries.get(host);
    if (existing == null) {
      existing = connector.connect(host);
      registries.put(host, existing);
    }
    return existing;
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
