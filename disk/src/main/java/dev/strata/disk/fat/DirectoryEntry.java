package dev.strata.disk.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A 32-byte short directory entry: the 8.3 name, attributes, NT case flags, creation, access and
 * modification times, the first cluster and the size. Times are DOS local times; written as UTC
 * with FAT's 2-second resolution (the creation time keeps the odd second and the hundredths),
 * clamped to what FAT can hold (1980 to 2107).
 */
final class DirectoryEntry {
  static final int SIZE = 32;
  static final int ATTR_VOLUME_ID = 0x08;
  static final int ATTR_DIRECTORY = 0x10;
  static final int ATTR_ARCHIVE = 0x20;

  /** A time in FAT's fields. */
  record Stamp(int date, int time, int hundredths) {
    static Stamp of(Instant instant) {
      LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
      if (t.getYear() < 1980) {
        return new Stamp((1 << 5) | 1, 0, 0); // 1980-01-01 00:00:00
      }
      if (t.getYear() > 2107) {
        t = LocalDateTime.of(2107, 12, 31, 23, 59, 59);
      }
      int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
      int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
      int hundredths = (t.getSecond() % 2) * 100 + t.getNano() / 10_000_000;
      return new Stamp(date, time, hundredths);
    }
  }

  private DirectoryEntry() {}

  /** Writes one short entry at {@code dir}'s position and moves past it. */
  static void write(
      ByteBuffer dir,
      byte[] name,
      int attributes,
      int caseFlags,
      long cluster,
      long size,
      Stamp stamp) {
    ByteBuffer e = dir.slice(dir.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
    e.put(0, name);
    e.put(11, (byte) attributes);
    e.put(12, (byte) caseFlags);
    e.put(13, (byte) stamp.hundredths());
    e.putShort(14, (short) stamp.time());
    e.putShort(16, (short) stamp.date());
    e.putShort(18, (short) stamp.date()); // last access
    e.putShort(20, (short) (cluster >>> 16));
    e.putShort(22, (short) stamp.time());
    e.putShort(24, (short) stamp.date());
    e.putShort(26, (short) cluster);
    e.putInt(28, (int) size);
    dir.position(dir.position() + SIZE);
  }
}
