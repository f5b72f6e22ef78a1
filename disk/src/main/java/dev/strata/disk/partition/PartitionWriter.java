package dev.strata.disk.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a filesystem's planned chunks into its partition of the disk file in offset order with few
 * system calls: small pieces (metadata, small files, the zeros between them) are gathered in one
 * buffer and written with one positional write; large files go disk to disk in the kernel ({@code
 * transferTo}). Reports each range once it is written, in increasing order, so a reader can follow
 * behind. The ext4 and FAT writers both write through it.
 */
public final class PartitionWriter {
  /** Told of each byte range of the disk file once it is final, in increasing order. */
  @FunctionalInterface
  public interface Progress {
    void written(long offset, long length) throws IOException;
  }

  /** Files from this size on are copied by the kernel, not through the buffer. */
  private static final long DIRECT = 1 << 20;

  private static final int BUFFER = 8 << 20;

  /** Largest run of zeros written through the buffer rather than left as a hole. */
  private static final long GAP = 64 << 10;

  private final FileChannel disk;
  private final long base;
  private final Progress progress;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
  private long bufferStart = -1;

  /** A writer into {@code disk} for a partition that starts at byte {@code base}. */
  public PartitionWriter(FileChannel disk, long base, Progress progress) {
    this.disk = disk;
    this.base = base;
    this.progress = progress;
  }

  /** Writes {@code chunks}, sorted by offset and not overlapping. */
  public void write(List<Chunk> chunks) throws IOException {
    for (Chunk c : chunks) {
      if (c instanceof Chunk.HostData h && h.length() >= DIRECT) {
        flush();
        transfer(h);
        continue;
      }
      if (c instanceof Chunk.Bytes b && b.length() > BUFFER) {
        flush();
        writeFully(ByteBuffer.wrap(b.data()), base + b.offset());
        continue;
      }
      long end = bufferStart + buffer.position();
      if (bufferStart < 0
          || c.offset() < end
          || c.offset() - end > GAP
          || c.offset() - end + c.length() > buffer.remaining()) {
        flush();
        bufferStart = c.offset();
      }
      while (bufferStart + buffer.position() < c.offset()) {
        buffer.put((byte) 0);
      }
      if (c instanceof Chunk.Bytes b) {
        buffer.put(b.data());
      } else {
        read((Chunk.HostData) c);
      }
    }
    flush();
  }

  private void read(Chunk.HostData h) throws IOException {
    try (FileChannel in = FileChannel.open(h.path(), StandardOpenOption.READ)) {
      int limit = buffer.limit();
      buffer.limit(buffer.position() + (int) h.length());
      long at = h.from();
      while (buffer.hasRemaining()) {
        int n = in.read(buffer, at);
        if (n < 0) {
          throw changed(h);
        }
        at += n;
      }
      buffer.limit(limit);
    }
  }

  private void transfer(Chunk.HostData h) throws IOException {
    try (FileChannel in = FileChannel.open(h.path(), StandardOpenOption.READ)) {
      if (in.size() < h.from() + h.length()) {
        throw changed(h);
      }
      long done = 0;
      disk.position(base + h.offset());
      while (done < h.length()) {
        long n = in.transferTo(h.from() + done, h.length() - done, disk);
        if (n <= 0) {
          throw changed(h);
        }
        done += n;
      }
    }
    progress.written(base + h.offset(), h.length());
  }

  private void flush() throws IOException {
    if (bufferStart < 0 || buffer.position() == 0) {
      buffer.clear();
      bufferStart = -1;
      return;
    }
    buffer.flip();
    writeFully(buffer, base + bufferStart);
    buffer.clear();
    bufferStart = -1;
  }

  private void writeFully(ByteBuffer bytes, long at) throws IOException {
    long length = bytes.remaining();
    while (bytes.hasRemaining()) {
      disk.write(bytes, at + bytes.position());
    }
    progress.written(at, length);
  }

  private static IOException changed(Chunk.HostData h) {
    return new IOException(
        h.path()
            + " became shorter than "
            + (h.from() + h.length())
            + " bytes while the disk was written");
  }
}
