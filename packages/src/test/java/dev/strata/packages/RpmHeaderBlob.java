package dev.strata.packages;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds an rpmdb header blob by hand: index entries and a data store, big-endian. */
final class RpmHeaderBlob {
  private final List<int[]> index = new ArrayList<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  RpmHeaderBlob string(int tag, String value) {
    index.add(new int[] {tag, RpmHeader.TYPE_STRING, data.size(), 1});
    data.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    data.write(0);
    return this;
  }

  RpmHeaderBlob i18n(int tag, String value) {
    index.add(new int[] {tag, RpmHeader.TYPE_I18NSTRING, data.size(), 1});
    data.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    data.write(0);
    return this;
  }

  RpmHeaderBlob int32(int tag, int value) {
    while (data.size() % 4 != 0) {
      data.write(0); // INT32 data is 4-byte aligned in the store.
    }
    index.add(new int[] {tag, RpmHeader.TYPE_INT32, data.size(), 1});
    data.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
    return this;
  }

  byte[] bytes() {
    ByteBuffer out = ByteBuffer.allocate(8 + index.size() * 16 + data.size());
    out.putInt(index.size()).putInt(data.size());
    for (int[] entry : index) {
      for (int field : entry) {
        out.putInt(field);
      }
    }
    out.put(data.toByteArray());
    return out.array();
  }
}
