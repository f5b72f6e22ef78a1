package dev.strata.disk.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A VFAT long name: which names FAT can hold, and the 32-byte entries that carry one (13 UTF-16
 * code units each, written last part first, each with the checksum of the short name they belong
 * to).
 */
final class LongName {
  static final int MAX_UNITS = 255;
  static final int UNITS_PER_ENTRY = 13;
  static final int ATTR_LONG_NAME = 0x0F;
  private static final int LAST = 0x40;
  private static final int[] UNIT_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

  private LongName() {}

  /** Fails unless FAT can hold {@code name} as it is; {@code path} says where, for the error. */
  static void check(String name, String path) throws FatException {
    String problem = null;
    if (name.equals(".") || name.equals("..")) {
      problem = "'.' and '..' name the folder itself and its parent";
    } else if (name.length() > MAX_UNITS) {
      problem = "it is " + name.length() + " UTF-16 code units long; FAT holds at most 255";
    } else if (name.endsWith(".") || name.endsWith(" ")) {
      problem = "FAT drops a trailing dot or space, so the name would change";
    } else {
      for (int i = 0; i < name.length() && problem == null; i++) {
        char c = name.charAt(i);
        if (c < 0x20 || c == 0x7F) {
          problem = "it holds the control character U+" + String.format("%04X", (int) c);
        } else if ("\"*/:<>?\\|".indexOf(c) >= 0) {
          problem = "FAT names cannot hold '" + c + "' (nor any of \"*/:<>?\\|)";
        } else if (Character.isHighSurrogate(c)
            ? i + 1 == name.length() || !Character.isLowSurrogate(name.charAt(++i))
            : Character.isLowSurrogate(c)) {
          problem = "it is not valid UTF-16 text (a lone surrogate)";
        }
      }
    }
    if (problem != null) {
      throw new FatException("FAT cannot hold the name '" + name + "' in " + path + ": " + problem);
    }
  }

  /** How many 32-byte entries carry {@code name}. */
  static int entries(String name) {
    return (name.length() + UNITS_PER_ENTRY - 1) / UNITS_PER_ENTRY;
  }

  /** Writes the entries carrying {@code name} into {@code dir}, for a short name's checksum. */
  static void write(ByteBuffer dir, String name, int checksum) {
    int count = entries(name);
    for (int seq = count; seq >= 1; seq--) {
      ByteBuffer e = dir.slice(dir.position(), DirectoryEntry.SIZE).order(ByteOrder.LITTLE_ENDIAN);
      e.put(0, (byte) (seq == count ? seq | LAST : seq));
      e.put(11, (byte) ATTR_LONG_NAME);
      e.put(13, (byte) checksum);
      int from = (seq - 1) * UNITS_PER_ENTRY;
      for (int k = 0; k < UNITS_PER_ENTRY; k++) {
        int at = from + k;
        // the name ends with one NUL unless it fills the entry; what follows is 0xFFFF
        char unit = at < name.length() ? name.charAt(at) : at == name.length() ? 0 : (char) 0xFFFF;
        e.putChar(UNIT_OFFSETS[k], unit);
      }
      dir.position(dir.position() + DirectoryEntry.SIZE);
    }
  }
}
