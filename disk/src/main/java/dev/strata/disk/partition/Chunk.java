package dev.strata.disk.partition;

import java.nio.file.Path;

/**
 * A piece of a filesystem to write at a byte offset from the start of its partition; whatever no
 * chunk covers stays zero.
 */
public sealed interface Chunk {
  long offset();

  long length();

  /** Bytes built in memory (metadata, directories, small files written by the build). */
  record Bytes(long offset, byte[] data) implements Chunk {
    @Override
    public long length() {
      return data.length;
    }
  }

  /** {@code length} bytes of a host file from its byte {@code from}. */
  record HostData(long offset, Path path, long from, long length) implements Chunk {}
}
