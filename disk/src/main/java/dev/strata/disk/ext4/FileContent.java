package dev.strata.disk.ext4;

import java.nio.file.Path;

/** Where the bytes of a regular file come from: a host file, or bytes held in memory. */
public sealed interface FileContent {
  /** The file's length in bytes. */
  long size();

  /** The bytes of {@code path} on the host, {@code size} long (read when written, not before). */
  record HostFile(Path path, long size) implements FileContent {}

  /** Bytes held in memory (a file a disk build writes itself, such as /etc/fstab). */
  record InMemory(byte[] bytes) implements FileContent {
    public InMemory {
      bytes = bytes.clone();
    }

    @Override
    public long size() {
      return bytes.length;
    }
  }
}
