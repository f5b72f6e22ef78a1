package dev.strata.bridge.run;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.oci.Digest;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persistent directories behind {@code RUN --mount=type=cache}, one per id below a store
 * folder, handed out as {@code sharing} says: {@code shared} to every RUN at once, {@code locked}
 * to one RUN at a time (others wait), {@code private} to one RUN at a time with a further instance
 * created for the others. File locks make this hold across Strata processes too.
 */
final class CacheVolumes {
  /** Locked instances held by this JVM (FileLock refuses a second lock from the same JVM). */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path root;

  CacheVolumes(Path root) {
    this.root = root;
  }

  /** A directory handed out for one RUN; {@link #close()} gives it back. */
  static final class Lease implements AutoCloseable {
    final Path dir;
    private final List<AutoCloseable> held;

    Lease(Path dir, List<AutoCloseable> held) {
      this.dir = dir;
      this.held = held;
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
    String key = Digest.sha256(cache.id().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
    Files.createDirectories(root);
    if (cache.sharing() == CacheSharing.SHARED) {
      return new Lease(instance(root.resolve(key), cache), List.of());
    }
    for (int n = 0; ; n++) {
      Path dir = root.resolve(n == 0 ? key : key + "-" + n);
      List<AutoCloseable> held = new ArrayList<>();
      boolean wait = cache.sharing() == CacheSharing.LOCKED;
      if (lock(dir, wait, held)) {
        return new Lease(instance(dir, cache), held);
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

  private static Path instance(Path dir, SandboxMount.Cache cache) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path fresh = Files.createTempDirectory(dir.getParent(), ".new-");
      Posix.lchown(fresh, cache.uid(), cache.gid());
      Posix.chmod(fresh, cache.mode());
      try {
        Files.move(fresh, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException raced) {
        Files.deleteIfExists(fresh);
      }
    }
    return dir;
  }
}
