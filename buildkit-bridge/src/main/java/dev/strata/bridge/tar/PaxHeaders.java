package dev.strata.bridge.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * PAX extended header records ({@code "<len> <key>=<value>\n"}) with raw byte values. Hand-written
 * because commons-compress re-encodes values as UTF-8, which corrupts binary {@code
 * SCHILY.xattr.security.capability} values (bytes &ge; 0x80, even {@code \n}).
 */
final class PaxHeaders {
  static final String XATTR_PREFIX = "SCHILY.xattr.";

  private PaxHeaders() {}

  /** Encodes records in key order, so equal inputs give equal bytes. */
  static byte[] encode(SortedMap<String, byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> record : records.entrySet()) {
      byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = record.getValue();
      // The length counts its own digits: grow until the digits stop changing.
      int body = 1 + key.length + 1 + value.length + 1;
      int length = body + 1;
      while (length != body + Integer.toString(length).length()) {
        length = body + Integer.toString(length).length();
      }
      out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(value);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Decodes records; a later record of the same key wins, as POSIX says. */
  static Map<String, byte[]> decode(byte[] data) throws IOException {
    Map<String, byte[]> records = new LinkedHashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // some writers pad the header with NULs
      }
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("corrupt PAX record length at byte " + pos);
      }
      int end = pos + length;
      if (length <= 0 || end > data.length || data[end - 1] != '\n') {
        throw new IOException("corrupt PAX record at byte " + pos);
      }
      int equals = space + 1;
      while (equals < end && data[equals] != '=') {
        equals++;
      }
      if (equals >= end) {
        throw new IOException("PAX record without '=' at byte " + pos);
      }
      String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
      records.put(key, Arrays.copyOfRange(data, equals + 1, end - 1));
      pos = end;
    }
    return records;
  }
}
