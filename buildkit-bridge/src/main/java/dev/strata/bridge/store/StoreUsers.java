package dev.strata.bridge.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The processes using a store, as POSIX record locks on its {@code .users} file: each process holds
 * a shared lock from its first {@link OciLayoutStore#open} to its exit, and a collection holds the
 * exclusive one. A JVM holds at most one lock per store (Java refuses overlapping locks within a
 * process), so taking the exclusive lock first gives up this JVM's shared one, and the shared lock
 * is taken again afterwards.
 */
final class StoreUsers {
  private static final String FILE = ".users";
  private static final Map<Path, FileLock> SHARED = new HashMap<>();

  private StoreUsers() {}

  /** Marks this process as a user of the store at {@code root}, once per JVM. */
  static synchronized void join(Path root) throws IOException {
    if (!SHARED.containsKey(root)) {
      SHARED.put(root, channel(root).lock(0, Long.MAX_VALUE, true));
    }
  }

  static synchronized <T> T exclusively(
      Path root, OciLayoutStore.StoreAction<T> action, Runnable waiting) throws IOException {
    FileLock shared = SHARED.remove(root);
    if (shared != null) {
      shared.channel().close();
    }
    try (FileChannel channel = channel(root)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        waiting.run();
        lock = channel.lock();
      }
      try {
        return action.run();
      } finally {
        lock.release();
      }
    } finally {
      join(root);
    }
  }

  private static FileChannel channel(Path root) throws IOException {
    return FileChannel.open(
        root.resolve(FILE),
        StandardOpenOption.CREATE,
        StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }
}
