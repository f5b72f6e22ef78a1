package dev.strata.bridge.run;

import dev.strata.bridge.fs.FileTrees;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.dsl.instructions.CacheSharing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persistent directories behind {@code RUN --mount=type=cache}, one per id and {@link
 * CacheSeed} below a store folder, handed out as {@code sharing} says: {@code shared} to every RUN
 * at once, {@code locked} to one RUN at a time (others wait), {@code private} to one RUN at a time
 * with a further instance created for the others. File locks make this hold across Strata processes
 * too.
 *
 * <p>An instance seeded from another stage or image ({@code from=}) keeps only its changes: an
 * overlay upper and work directory over that rootfs's layers, as BuildKit keeps a cache mount as a
 * mutable snapshot on its input. One overlay upper cannot serve two mounts at once, so a seeded
 * {@code shared} cache is handed to one RUN at a time, like {@code locked}.
 */
final class CacheVolumes {
  /** Locked instances held by this JVM (FileLock refuses a second lock from the same JVM). */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path root;

  CacheVolumes(Path root) {
    this.root = root;
  }

  /**
   * A directory handed out for one RUN; {@link #close()} gives it back. For a layered seed, {@code
   * dir} holds the overlay's {@code upper} and {@code work} directories.
   */
  static final class Lease implements AutoCloseable {
    final Path dir;
    private final CacheSeed seed;
    private final List<AutoCloseable> held;

    Lease(Path dir, CacheSeed seed, List<AutoCloseable> held) {
      this.dir = dir;
      this.seed = seed;
      this.held = held;
    }

    /** The overlay upper directory of a layered instance. */
    Path upper() {
      return dir.resolve("upper");
    }

    /** The overlay work directory of a layered instance. */
    Path work() {
      return dir.resolve("work");
    }

    /** A path inside the instance as the RUN sees it, symlinks resolved inside it. */
    record Entry(String path, boolean directory) {}

    /**
     * Where {@code source} lands inside the instance (its seed's layers with its changes on top),
     * symlinks resolved inside it, so a bind of it cannot leave the instance.
     */
    Entry resolve(String source, String from) throws IOException {
      List<Path> layers = new ArrayList<>(seed.layers());
      layers.add(seed.layered() ? upper() : dir);
      RootfsView view = RootfsView.ofDirectories(layers);
      String path = view.resolve(source, true);
      if (path.equals("/")) {
        return new Entry(path, true);
      }
      Optional<Path> file = view.lookup(path);
      if (file.isEmpty()) {
        throw new RunSetupException(
            "cache mount source '"
                + source
                + "' does not exist in "
                + (from.isEmpty()
                    ? "the cache (without from= a cache starts empty; an earlier RUN must create"
                        + " it)"
                    : from));
      }
      return new Entry(path, Files.isDirectory(file.get()));
    }

    @Override
    public void close() throws IOException {
      for (AutoCloseable c : held) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IOException("releasing cache " + dir, e);
        }
      }
    }
  }

  Lease acquire(SandboxMount.Cache cache) throws IOException {
    return acquire(cache, CacheTurns.Turn.ANY);
  }

  /**
   * The instance {@code cache} names, for a RUN of {@code turn}'s node: a locked one is taken after
   * any higher-priority sibling that claims it (see {@link CacheTurns}).
   */
  Lease acquire(SandboxMount.Cache cache, CacheTurns.Turn turn) throws IOException {
    CacheSeed seed = cache.seed();
    // An unseeded cache keeps the key it always had: its id alone.
    String material = seed.key().isEmpty() ? cache.id() : cache.id() + "\0" + seed.key();
    String key = Digest.sha256(material.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
    Files.createDirectories(root);
    if (cache.sharing() == CacheSharing.SHARED && !seed.layered()) {
      return new Lease(instance(root.resolve(key), seed), seed, List.of());
    }
    boolean wait = cache.sharing() != CacheSharing.PRIVATE;
    long asked = System.nanoTime();
    if (wait) {
      try {
        turn.await(cache.id());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for cache " + cache.id(), e);
      }
    }
    for (int n = 0; ; n++) {
      Path dir = root.resolve(n == 0 ? key : key + "-" + n);
      List<AutoCloseable> held = new ArrayList<>();
      if (lock(dir, wait, held)) {
        turn.waited(System.nanoTime() - asked);
        turn.passed(cache.id());
        return new Lease(instance(dir, seed), seed, held);
      }
    }
  }

  private static boolean lock(Path dir, boolean wait, List<AutoCloseable> held) throws IOException {
    Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
    Path key = lockFile.toAbsolutePath();
    synchronized (HELD) {
      while (HELD.contains(key)) {
        if (!wait) {
          return false;
        }
        try {
          HELD.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for cache " + dir, e);
        }
      }
      HELD.add(key);
    }
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock fileLock = wait ? channel.lock() : channel.tryLock();
    if (fileLock == null) {
      channel.close();
      release(key);
      return false;
    }
    held.add(fileLock);
    held.add(channel);
    held.add(() -> release(key));
    return true;
  }

  private static void release(Path key) {
    synchronized (HELD) {
      HELD.remove(key);
      HELD.notifyAll();
    }
  }

  /** The instance at {@code dir}, made from {@code seed} first if there is none yet. */
  private static Path instance(Path dir, CacheSeed seed) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path fresh = Files.createTempDirectory(dir.getParent(), ".new-");
      Posix.chmod(fresh, 0755);
      Path top = fresh;
      if (seed.layered()) {
        top = Files.createDirectory(fresh.resolve("upper"));
        Files.createDirectory(fresh.resolve("work"));
        Posix.chmod(top, 0755);
      }
      if (seed.folder().isPresent()) {
        CacheSeed.Folder folder = seed.folder().get();
        if (!RootfsView.ofDirectories(seed.layers()).exists(folder.path())) {
          Path made = top.resolve(folder.path().substring(1));
          Files.createDirectories(made.getParent());
          Files.createDirectory(made);
          Posix.lchown(made, folder.uid(), folder.gid());
          Posix.chmod(made, folder.mode());
        }
      }
      try {
        Files.move(fresh, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException raced) {
        FileTrees.delete(fresh);
      }
    }
    return dir;
  }
}
