package dev.strata.disk.fat;

import java.time.Instant;

/**
 * What a FAT32 filesystem is told besides its tree: the volume label (up to 11 characters of A-Z,
 * 0-9, space and {@code !#$%&'()-@^_`{}~}), the 32-bit volume id ({@code blkid} shows it as {@code
 * XXXX-XXXX}), the partition's first sector on the disk (the boot sector's hidden sectors) and the
 * time every entry is stamped with (FAT has no time zone: it is written as UTC).
 */
public record FatOptions(String label, int volumeId, long hiddenSectors, Instant time) {
  public FatOptions {
    if (label.isEmpty() || label.length() > 11) {
      throw new IllegalArgumentException(
          "a FAT volume label has 1 to 11 characters; got '" + label + "'");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c != ' ' && !ShortName.isShortChar(c)) {
        throw new IllegalArgumentException(
            "a FAT volume label holds only A-Z, 0-9, space and !#$%&'()-@^_`{}~; '"
                + label
                + "' has '"
                + c
                + "'");
      }
    }
    if (label.charAt(0) == ' ') {
      throw new IllegalArgumentException("a FAT volume label cannot start with a space");
    }
    if (hiddenSectors < 0 || hiddenSectors > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(
          "the partition's first sector must fit 32 bits; got " + hiddenSectors);
    }
  }

  /** The volume id from its hexadecimal form ({@code 1A2B3C4D}, as {@code mkfs.vfat -i} takes). */
  public static int volumeId(String hex) {
    if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
      throw new IllegalArgumentException("a FAT volume id is 1 to 8 hex digits; got '" + hex + "'");
    }
    return Integer.parseUnsignedInt(hex, 16);
  }
}
