package dev.strata.bridge.tar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Field offsets and number encodings of the 512-byte ustar header block. */
final class UstarHeader {
  static final int BLOCK = 512;
  static final int NAME = 0;
  static final int NAME_LEN = 100;
  static final int MODE = 100;
  static final int UID = 108;
  static final int GID = 116;
  static final int SIZE = 124;
  static final int MTIME = 136;
  static final int CHKSUM = 148;
  static final int TYPEFLAG = 156;
  static final int LINKNAME = 157;
  static final int MAGIC = 257;
  static final int UNAME = 265;
  static final int GNAME = 297;
  static final int DEVMAJOR = 329;
  static final int DEVMINOR = 337;
  static final int PREFIX = 345;
  static final int PREFIX_LEN = 155;

  private UstarHeader() {}

  /** Writes {@code value} as zero-padded octal plus NUL; false if it does not fit. */
  static boolean putOctal(byte[] block, int offset, int length, long value) {
    String octal = Long.toOctalString(value);
    if (value < 0 || octal.length() > length - 1) {
      return false;
    }
    String padded = "0".repeat(length - 1 - octal.length()) + octal;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
    block[offset + length - 1] = 0;
    return true;
  }

  /** Copies {@code bytes} into a NUL-padded field; false if they do not fit. */
  static boolean putBytes(byte[] block, int offset, int length, byte[] bytes) {
    if (bytes.length > length) {
      return false;
    }
    System.arraycopy(bytes, 0, block, offset, bytes.length);
    return true;
  }

  /** Fills the checksum field: the sum of all bytes with the field itself read as spaces. */
  static void putChecksum(byte[] block) {
    putOctal(block, CHKSUM, 7, checksum(block));
    block[CHKSUM + 7] = ' ';
  }

  static long checksum(byte[] block) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= CHKSUM && i < CHKSUM + 8) ? ' ' : (block[i] & 0xff);
    }
    return sum;
  }

  /** Reads an octal field, or GNU's base-256 form (high bit of the first byte set). */
  static long number(byte[] block, int offset, int length) throws IOException {
    if ((block[offset] & 0x80) != 0) {
      long value = block[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (block[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    boolean any = false;
    for (int i = offset; i < offset + length; i++) {
      byte b = block[i];
      if (b == 0 || (b == ' ' && any)) {
        break;
      }
      if (b == ' ') {
        continue;
      }
      if (b < '0' || b > '7') {
        throw new IOException("corrupt octal field at header offset " + (offset));
      }
      value = value * 8 + (b - '0');
      any = true;
    }
    return value;
  }

  /** A NUL-terminated string field as raw bytes. */
  static byte[] bytes(byte[] block, int offset, int length) {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    byte[] out = new byte[end - offset];
    System.arraycopy(block, offset, out, 0, out.length);
    return out;
  }
}
