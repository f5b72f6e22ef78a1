package dev.strata.packages;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An RPM header as rpmdb stores it (the blob of one package, without the lead and the header
 * magic): a big-endian index count and data length, the index entries (tag, type, offset, count, 16
 * bytes each), then the data store. Only the tags the catalog needs are decoded.
 */
public final class RpmHeader {
  /** Tag numbers from rpm's {@code rpmtag.h}. */
  public static final int NAME = 1000;

  public static final int VERSION = 1001;
  public static final int RELEASE = 1002;
  public static final int EPOCH = 1003;
  public static final int LICENSE = 1014;
  public static final int ARCH = 1022;
  public static final int SOURCERPM = 1044;

  /** Type numbers from rpm's {@code rpmtag.h}. */
  static final int TYPE_INT32 = 4;

  static final int TYPE_STRING = 6;
  static final int TYPE_STRING_ARRAY = 8;
  static final int TYPE_I18NSTRING = 9;

  private static final int MAX_ENTRIES = 0xffff;
  private static final int MAX_DATA = 256 * 1024 * 1024;

  private final Map<Integer, Object> values;

  private RpmHeader(Map<Integer, Object> values) {
    this.values = values;
  }

  /**
   * Decodes a header blob.
   *
   * @throws IllegalArgumentException when the blob is truncated or its index points outside it
   */
  public static RpmHeader parse(byte[] blob) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(blob);
      int entries = buffer.getInt();
      int dataLength = buffer.getInt();
      if (entries < 0 || entries > MAX_ENTRIES || dataLength < 0 || dataLength > MAX_DATA) {
        throw new IllegalArgumentException(
            "RPM header claims " + entries + " entries and " + dataLength + " data bytes");
      }
      int dataStart = 8 + entries * 16;
      if (blob.length < dataStart + dataLength) {
        throw new IllegalArgumentException(
            "RPM header is truncated: "
                + blob.length
                + " bytes, its index needs "
                + (dataStart + dataLength));
      }
      Map<Integer, Object> values = new HashMap<>();
      for (int i = 0; i < entries; i++) {
        int tag = buffer.getInt();
        int type = buffer.getInt();
        int offset = buffer.getInt();
        int count = buffer.getInt();
        if (offset < 0 || offset >= dataLength && count > 0) {
          throw new IllegalArgumentException(
              "RPM header tag " + tag + " points outside the data store (offset " + offset + ")");
        }
        switch (type) {
          case TYPE_INT32 -> {
            if (count > 0 && offset + 4 <= dataLength) {
              values.put(tag, ByteBuffer.wrap(blob, dataStart + offset, 4).getInt());
            }
          }
          case TYPE_STRING, TYPE_STRING_ARRAY, TYPE_I18NSTRING -> {
            // For arrays the first string is the one wanted (the C locale for I18N strings).
            values.put(tag, cString(blob, dataStart + offset, dataStart + dataLength, tag));
          }
          default -> {
            // Binary, integer arrays of other widths: nothing the inventory needs.
          }
        }
      }
      return new RpmHeader(values);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("RPM header is truncated (" + blob.length + " bytes)", e);
    }
  }

  private static String cString(byte[] blob, int start, int end, int tag) {
    int nul = start;
    while (nul < end && blob[nul] != 0) {
      nul++;
    }
    if (nul == end) {
      throw new IllegalArgumentException("RPM header tag " + tag + ": unterminated string");
    }
    return new String(blob, start, nul - start, StandardCharsets.UTF_8);
  }

  /** A string tag's value. */
  public Optional<String> string(int tag) {
    return values.get(tag) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** An INT32 tag's (first) value. */
  public Optional<Integer> int32(int tag) {
    return values.get(tag) instanceof Integer i ? Optional.of(i) : Optional.empty();
  }
}
