package dev.strata.disk.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.OptionalLong;

/**
 * The uncompressed size of a zstd blob from its frame headers (RFC 8878 §3.1.1): every frame's
 * Frame_Content_Size, summed; skippable frames (zstd:chunked's table of contents) add nothing. The
 * frames are walked block header by block header, so no data is decompressed. Unknown when a frame
 * does not record its size (a streamed zstd, e.g. {@code zstd -c} from a pipe) or the blob is not a
 * well-formed sequence of frames.
 */
final class ZstdContentSize {
  private static final int FRAME_MAGIC = 0xFD2FB528;
  private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;
  private static final int[] DICTIONARY_ID_BYTES = {0, 1, 2, 4};

  private final FileChannel in;
  private final long size;
  private final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

  private ZstdContentSize(FileChannel in) throws IOException {
    this.in = in;
    this.size = in.size();
  }

  /** Whether {@code head} starts with a zstd frame or a skippable frame. */
  static boolean isZstd(ByteBuffer head) {
    if (head.limit() < 4) {
      return false;
    }
    int magic = head.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    return magic == FRAME_MAGIC || (magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC;
  }

  /** The sum of the frames' content sizes, if every frame records one. */
  static OptionalLong of(FileChannel in) throws IOException {
    try {
      return new ZstdContentSize(in).walk();
    } catch (Truncated e) {
      return OptionalLong.empty();
    }
  }

  private OptionalLong walk() throws IOException {
    long at = 0;
    long total = 0;
    while (at < size) {
      int magic = (int) read(at, 4);
      if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
        at += 8 + read(at + 4, 4);
        continue;
      }
      if (magic != FRAME_MAGIC) {
        return OptionalLong.empty();
      }
      int descriptor = (int) read(at + 4, 1);
      int sizeFlag = descriptor >>> 6;
      boolean singleSegment = (descriptor & 0x20) != 0;
      boolean checksum = (descriptor & 0x04) != 0;
      long header =
          5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_BYTES[descriptor & 0x03]; // size field next
      int sizeBytes =
          switch (sizeFlag) {
            case 0 -> singleSegment ? 1 : 0;
            case 1 -> 2;
            case 2 -> 4;
            default -> 8;
          };
      if (sizeBytes == 0) {
        return OptionalLong.empty(); // this frame does not record its size
      }
      long content = read(at + header, sizeBytes);
      if (sizeBytes == 2) {
        content += 256;
      }
      if (content < 0) {
        return OptionalLong.empty();
      }
      total += content;
      at += header + sizeBytes;
      boolean last = false;
      while (!last) {
        long block = read(at, 3);
        last = (block & 1) != 0;
        int type = (int) (block >>> 1) & 3;
        long blockSize = block >>> 3;
        if (type == 3) {
          return OptionalLong.empty();
        }
        at += 3 + (type == 1 ? 1 : blockSize);
      }
      if (checksum) {
        at += 4;
      }
    }
    return at == size ? OptionalLong.of(total) : OptionalLong.empty();
  }

  /** The {@code count} little-endian bytes at {@code position}, which must lie in the blob. */
  private long read(long position, int count) throws IOException {
    if (position < 0 || position + count > size) {
      throw new Truncated();
    }
    buffer.clear().limit(count);
    while (buffer.hasRemaining()) {
      if (in.read(buffer, position + buffer.position()) < 0) {
        throw new Truncated();
      }
    }
    long value = 0;
    for (int i = count - 1; i >= 0; i--) {
      value = value << 8 | (buffer.get(i) & 0xff);
    }
    return value;
  }

  /** The blob ends inside a frame. */
  private static final class Truncated extends IOException {
    Truncated() {
      super("zstd blob ends inside a frame");
    }
  }
}
