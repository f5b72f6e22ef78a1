package dev.strata.bridge.store;

import dev.strata.bridge.fs.AtomicFile;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local image store: an OCI image layout (readable by {@code skopeo}/{@code podman} as {@code
 * oci:DIR:REF}) with content-addressed blobs verified on write, refs in {@code index.json} by the
 * {@code org.opencontainers.image.ref.name} annotation, temp+rename writes, and an exclusive file
 * lock around every change so two builds on one store stay correct.
 *
 * <p>Every process that opens a store holds a shared lock on its {@code .users} file until it exits
 * (the kernel drops it when the process dies, however it dies). Collection ({@link #exclusively})
 * takes that lock exclusively, so it never removes a blob, step record or extracted layer that a
 * running build has written and not yet tagged, or is using as a RUN's lower layer.
 */
public final class OciLayoutStore {
  /** The annotation that names an image in an OCI layout's index. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /**
   * On a ref pulled from a multi-platform image: the digest of the index it was resolved from,
   * whose exact bytes are kept in the store (and by gc) beside the platform manifest.
   */
  public static final String SOURCE_INDEX = "dev.strata.source.index";

  private final Path root;

  private OciLayoutStore(Path root) {
    this.root = root;
  }

  /**
   * Opens (creating if needed) the store at {@code root}. The root is made absolute: the RUN
   * sandbox links into the store, and a relative link target would resolve against the link.
   */
  public static OciLayoutStore open(Path given) throws IOException {
    Path root = given.toAbsolutePath().normalize();
    OciLayoutStore store = new OciLayoutStore(root);
    Files.createDirectories(root.resolve("blobs/sha256"));
    StoreUsers.join(root);
    store.locked(
        () -> {
          if (!Files.exists(root.resolve("oci-layout"))) {
            AtomicFile.write(
                root.resolve("oci-layout"),
                "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
          }
          if (!Files.exists(root.resolve("index.json"))) {
            AtomicFile.write(
                root.resolve("index.json"), new ImageIndex(List.of(), Map.of()).render().bytes());
          }
          return null;
        });
    return store;
  }

  /** {@code $XDG_DATA_HOME/strata}, or {@code ~/.local/share/strata}. */
  public static Path defaultRoot() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path data =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".local", "share")
            : Path.of(xdg);
    return data.resolve("strata");
  }

  public Path root() {
    return root;
  }

  /** The path of a blob, whether present or not. */
  public Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  public boolean hasBlob(Digest digest) {
    return Files.exists(blobPath(digest));
  }

  /**
   * Stores a rendered document; one already stored (its digest names its bytes) is left as it is,
   * as a rebuild that reuses everything renders the same configs and manifests again.
   */
  public Descriptor putBlob(ContentBlob blob) throws IOException {
    if (!hasBlob(blob.digest())) {
      putBlob(blob.digest(), new java.io.ByteArrayInputStream(blob.bytes()));
    }
    return blob.descriptor();
  }

  /**
   * Stores a blob from a stream, refusing it (and keeping nothing) unless its bytes hash to {@code
   * expected}. Returns its size.
   */
  public long putBlob(Digest expected, InputStream content) throws IOException {
    Path target = blobPath(expected);
    Path temp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
    try {
      MessageDigest sha = Digest.newSha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
        size = content.transferTo(out);
      }
      Digest actual = Digest.fromHash(sha.digest());
      if (!actual.equals(expected)) {
        throw new IOException(
            "blob content is " + actual + ", expected " + expected + "; not stored");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return size;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Stores the file {@code file} as a blob, refusing it unless its bytes hash to {@code expected}:
   * it is renamed into place when it is on the store's filesystem (no copy), copied otherwise, and
   * is gone afterwards either way. Returns its size.
   */
  public long moveBlob(Digest expected, Path file) throws IOException {
    Path target = blobPath(expected);
    MessageDigest sha = Digest.newSha256();
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        size += n;
      }
    }
    Digest actual = Digest.fromHash(sha.digest());
    if (!actual.equals(expected)) {
      Files.deleteIfExists(file);
      throw new IOException(
          "blob content is " + actual + ", expected " + expected + "; not stored");
    }
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try (InputStream in = Files.newInputStream(file)) {
        putBlob(expected, in);
      }
      Files.deleteIfExists(file);
    }
    return size;
  }

  /**
   * Points {@code ref} (e.g. {@code corp/base:latest}) at a manifest already in the store; when it
   * points there already, index.json is left as it is.
   */
  public void tag(String ref, Descriptor manifest) throws IOException {
    if (!hasBlob(manifest.digest())) {
      throw new IOException(
          "cannot tag " + ref + ": manifest " + manifest.digest() + " is not stored");
    }
    Descriptor tagged = manifest.withAnnotation(REF_NAME, ref);
    locked(
        () -> {
          List<Descriptor> kept = new ArrayList<>();
          List<Descriptor> before = new ArrayList<>();
          for (Descriptor d : index().manifests()) {
            (ref.equals(d.annotations().get(REF_NAME)) ? before : kept).add(d);
          }
          if (before.size() == 1 && sameTarget(before.get(0), tagged)) {
            return null; // tagged so already, by a build that made the same image
          }
          kept.add(tagged);
          AtomicFile.write(
              root.resolve("index.json"), new ImageIndex(kept, Map.of()).render().bytes());
          return null;
        });
  }

  /**
   * Whether two descriptors are equal, compared field by field: a record's own equals costs its
   * first use in the process (a few ms), more than the index write this spares.
   */
  private static boolean sameTarget(Descriptor a, Descriptor b) {
    return a.mediaType().equals(b.mediaType())
        && a.digest().equals(b.digest())
        && a.size() == b.size()
        && a.platform() == null
        && b.platform() == null
        && a.annotations().equals(b.annotations());
  }

  /** The manifest descriptor {@code ref} names, if any. */
  public Optional<Descriptor> resolve(String ref) throws IOException {
    return index().manifests().stream()
        .filter(d -> ref.equals(d.annotations().get(REF_NAME)))
        .findFirst();
  }

  /** The bytes of a stored blob (small documents: configs, manifests). */
  public byte[] readBlob(Digest digest) throws IOException {
    if (!hasBlob(digest)) {
      throw new IOException("blob " + digest + " is missing from the store " + root);
    }
    return Files.readAllBytes(blobPath(digest));
  }

  /** Every ref in the store with the descriptor it points at, in index order. */
  public Map<String, Descriptor> refs() throws IOException {
    Map<String, Descriptor> refs = new java.util.LinkedHashMap<>();
    for (Descriptor d : index().manifests()) {
      String name = d.annotations().get(REF_NAME);
      if (name != null) {
        refs.put(name, d);
      }
    }
    return refs;
  }

  /** Deletes every blob no ref reaches (through manifests, indexes and configs); returns them. */
  public List<Digest> gc() throws IOException {
    return gc(Set.of());
  }

  /**
   * Deletes every blob that no ref reaches and that is not in {@code alsoKeep} (blobs another part
   * of Strata still needs, such as cached build steps); returns them.
   */
  public List<Digest> gc(Set<Digest> alsoKeep) throws IOException {
    return locked(
        () -> {
          Set<Digest> live = new HashSet<>(alsoKeep);
          for (Descriptor d : index().manifests()) {
            mark(d, live);
          }
          List<Digest> removed = new ArrayList<>();
          try (Stream<Path> blobs = Files.list(root.resolve("blobs/sha256"))) {
            for (Path p : blobs.toList()) {
              String name = p.getFileName().toString();
              if (name.startsWith(".incoming-")) {
                continue; // another process may be writing it
              }
              Digest digest = new Digest("sha256", name);
              if (!live.contains(digest)) {
                Files.delete(p);
                removed.add(digest);
              }
            }
          }
          return removed;
        });
  }

  /** Every blob a ref reaches: manifests, indexes, configs and layers. */
  public Set<Digest> reachable() throws IOException {
    Set<Digest> live = new HashSet<>();
    for (Descriptor d : index().manifests()) {
      mark(d, live);
    }
    return live;
  }

  private void mark(Descriptor d, Set<Digest> live) throws IOException {
    if (!live.add(d.digest()) || !hasBlob(d.digest())) {
      return;
    }
    String sourceIndex = d.annotations().get(SOURCE_INDEX);
    if (sourceIndex != null) {
      live.add(Digest.parse(sourceIndex));
    }
    byte[] bytes;
    if (MediaTypes.isIndex(d.mediaType())) {
      bytes = Files.readAllBytes(blobPath(d.digest()));
      for (Descriptor child : ImageIndex.parse(bytes).manifests()) {
        mark(child, live);
      }
    } else if (MediaTypes.isManifest(d.mediaType())) {
      bytes = Files.readAllBytes(blobPath(d.digest()));
      ImageManifest manifest = ImageManifest.parse(bytes);
      live.add(manifest.config().digest());
      for (Descriptor layer : manifest.layers()) {
        live.add(layer.digest());
      }
    }
  }

  private ImageIndex index() throws IOException {
    return ImageIndex.parse(Files.readAllBytes(root.resolve("index.json")));
  }

  /** Work on the store that must exclude other processes for all of its duration. */
  public interface StoreAction<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code action} while no other process has this store open, waiting for those that have;
   * {@code waiting} is called once before a wait. Other threads of this JVM are not excluded.
   */
  public <T> T exclusively(StoreAction<T> action, Runnable waiting) throws IOException {
    return StoreUsers.exclusively(root, action, waiting);
  }

  // FileLock excludes other processes; the synchronized block excludes other threads of this JVM,
  // which FileLock does not (it throws OverlappingFileLockException instead).
  private static final Object JVM_LOCK = new Object();

  @SuppressWarnings("try") // the lock is held by being open, never referenced
  private <T> T locked(StoreAction<T> action) throws IOException {
    synchronized (JVM_LOCK) {
      try (FileChannel channel =
              FileChannel.open(
                  root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        return action.run();
      }
    }
  }
}
