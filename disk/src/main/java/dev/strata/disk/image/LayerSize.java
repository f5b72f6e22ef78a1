package dev.strata.disk.image;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.MediaTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The uncompressed size of a layer blob, read without decompressing it: a plain tar is its own
 * size; a zstd blob's frames record theirs ({@link ZstdContentSize}); a gzip member ends with
 * {@code ISIZE}, the uncompressed length modulo 2³² (RFC 1952 §2.3.1). A trailer smaller than the
 * compressed bytes is not the whole layer's length (several gzip members, or a wrapped count) and
 * is reported as unknown. A layer of 4 GiB or more whose count wrapped to a value still larger than
 * its blob cannot be told from a smaller one here; callers that later see more content than the
 * sizes add up to must not trust them.
 */
final class LayerSize {
  private static final int GZIP_TRAILER = 8;
  private static final int GZIP_HEADER = 10;

  private LayerSize() {}

  /** The uncompressed size of {@code layer} stored at {@code blob}, if it can be read cheaply. */
  static OptionalLong of(Descriptor layer, Path blob) throws IOException {
    try (FileChannel in = FileChannel.open(blob, StandardOpenOption.READ)) {
      long size = in.size();
      ByteBuffer magic = ByteBuffer.allocate(4);
      in.read(magic, 0);
      magic.flip();
      if (ZstdContentSize.isZstd(magic)) {
        return ZstdContentSize.of(in);
      }
      if (magic.limit() < 2 || (magic.get(0) & 0xff) != 0x1f || (magic.get(1) & 0xff) != 0x8b) {
        return MediaTypes.ociLayer(layer.mediaType()).equals(MediaTypes.LAYER_TAR)
            ? OptionalLong.of(size)
            : OptionalLong.empty(); // unknown
      }
      if (size < GZIP_HEADER + GZIP_TRAILER) {
        return OptionalLong.empty();
      }
      ByteBuffer trailer = ByteBuffer.allocate(GZIP_TRAILER).order(ByteOrder.LITTLE_ENDIAN);
      while (trailer.hasRemaining()) {
        if (in.read(trailer, size - GZIP_TRAILER + trailer.position()) < 0) {
          return OptionalLong.empty();
        }
      }
      long isize = Integer.toUnsignedLong(trailer.getInt(4));
      // deflate grows incompressible data only by its stored blocks' 5-byte headers (zlib cuts
      // them at 16 KiB or more: 0.03 %); a trailer well below the blob's size is not the length
      // of all of it
      return isize + isize / 256 + GZIP_HEADER + GZIP_TRAILER + 64 < size
          ? OptionalLong.empty()
          : OptionalLong.of(isize);
    }
  }
}
