package dev.strata.trust.attachment;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.registry.BlobSource;
import dev.strata.bridge.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads and appends cosign attachments of one image in a registry. Appending is a read-modify-write
 * of the attachment manifest, serialised per image digest and kind within this process; another
 * process writing the same tag at the same moment can still lose a layer (the registry protocol
 * offers no compare-and-swap that distribution honours).
 */
public final class AttachmentStore {
  /** containers/image's cap on one signature layer; more is refused rather than read. */
  static final int MAX_LAYER_BYTES = 4 << 20;

  private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Registry registry;
  private final String repository;

  /** The attachments of images in {@code repository} on {@code registry}. */
  public AttachmentStore(Registry registry, String repository) {
    this.registry = registry;
    this.repository = repository;
  }

  /** The attachment manifest of {@code kind} for {@code image}; empty when there is none. */
  public Optional<AttachmentManifest> read(Digest image, AttachmentKind kind) throws IOException {
    Optional<ContentBlob> manifest = registry.manifest(repository, kind.tag(image));
    return manifest.map(m -> AttachmentManifest.parse(m.bytes()));
  }

  /** Downloads one attachment layer (at most 4 MiB, digest-verified by the registry layer). */
  public AttachedBlob fetch(Descriptor layer) throws IOException {
    if (layer.size() > MAX_LAYER_BYTES) {
      throw new IOException(
          "attachment layer " + layer.digest() + " is " + layer.size() + " bytes (limit 4 MiB)");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) layer.size());
    registry.pullBlob(repository, layer.digest(), new CappedOutput(bytes));
    return new AttachedBlob(layer, bytes.toByteArray());
  }

  /**
   * Appends {@code layers} to the attachment manifest of {@code kind} for {@code image}, keeping
   * every existing layer; layers already present are not added again. Returns the digest of the
   * manifest now at the tag.
   */
  public Digest append(Digest image, AttachmentKind kind, List<AttachedBlob> layers)
      throws IOException {
    String key = registry.host() + "/" + repository + "@" + image + "." + kind;
    ReentrantLock lock = LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      Optional<ContentBlob> current = registry.manifest(repository, kind.tag(image));
      AttachmentManifest before =
          current.map(m -> AttachmentManifest.parse(m.bytes())).orElse(AttachmentManifest.empty());
      AttachmentManifest after = before;
      List<AttachedBlob> added = new ArrayList<>();
      for (AttachedBlob layer : layers) {
        AttachmentManifest next = after.with(layer.descriptor());
        if (next != after) {
          added.add(layer);
          after = next;
        }
      }
      if (added.isEmpty() && current.isPresent()) {
        return current.get().digest();
      }
      for (AttachedBlob layer : added) {
        registry.pushBlob(
            repository, layer.descriptor().digest(), BlobSource.of(layer.bytes()), List.of());
      }
      ContentBlob config = after.config();
      registry.pushBlob(repository, config.digest(), BlobSource.of(config.bytes()), List.of());
      return registry.pushManifest(repository, kind.tag(image), after.manifest());
    } finally {
      lock.unlock();
    }
  }

  /** Refuses to buffer more than {@link #MAX_LAYER_BYTES}. */
  private static final class CappedOutput extends OutputStream {
    private final ByteArrayOutputStream out;

    CappedOutput(ByteArrayOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (out.size() + len > MAX_LAYER_BYTES) {
        throw new IOException("attachment layer exceeds 4 MiB");
      }
      out.write(b, off, len);
    }
  }
}
