package dev.strata.disk.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reserved sectors a FAT32 filesystem starts with, as one block: the boot sector (BIOS
 * parameter block and extended boot record) at sector 0, the FSInfo sector (free cluster count and
 * where to look for the next free one) at 1, and their backups at 6 and 7; the other reserved
 * sectors are zero. The boot code only halts: a GPT disk boots from its ESP through UEFI, never
 * through this sector.
 */
final class BootSector {
  static final int BACKUP = 6;
  static final int MEDIA_FIXED = 0xF8;
  private static final int FSINFO = 1;
  private static final int ROOT_CLUSTER = 2;

  /** {@code cli; hlt; jmp hlt} at the boot code's start, where the jump at byte 0 leads. */
  private static final byte[] HALT = {(byte) 0xFA, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};

  private static final int CODE = 0x5A;

  private BootSector() {}

  /** Sectors 0 to 7: boot sector, FSInfo, and their copies at {@link #BACKUP}. */
  static byte[] reserved(FatGeometry g, FatOptions options, long freeClusters, long nextFree) {
    ByteBuffer b =
        ByteBuffer.allocate((BACKUP + 2) * FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    byte[] boot = boot(g, options);
    byte[] info = fsInfo(freeClusters, nextFree);
    b.put(0, boot).put(FSINFO * FatGeometry.SECTOR, info);
    b.put(BACKUP * FatGeometry.SECTOR, boot).put((BACKUP + FSINFO) * FatGeometry.SECTOR, info);
    return b.array();
  }

  private static byte[] boot(FatGeometry g, FatOptions options) {
    ByteBuffer b = ByteBuffer.allocate(FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, new byte[] {(byte) 0xEB, (byte) (CODE - 2), (byte) 0x90});
    // the name Microsoft's specification recommends: some old FAT drivers look at it
    b.put(3, "MSWIN4.1".getBytes(StandardCharsets.US_ASCII));
    b.putShort(11, (short) FatGeometry.SECTOR);
    b.put(13, (byte) g.sectorsPerCluster());
    b.putShort(14, (short) g.reservedSectors());
    b.put(16, (byte) FatGeometry.FATS);
    // 17: root entries and 19: 16-bit total sectors are 0 on FAT32; 22: the 16-bit FAT size too
    b.put(21, (byte) MEDIA_FIXED);
    b.putShort(24, (short) g.sectorsPerTrack());
    b.putShort(26, (short) g.heads());
    b.putInt(28, (int) options.hiddenSectors());
    b.putInt(32, (int) g.totalSectors());
    b.putInt(36, (int) g.fatSectors());
    // 40: flags 0 (both FATs kept in step), 42: version 0.0
    b.putInt(44, ROOT_CLUSTER);
    b.putShort(48, (short) FSINFO);
    b.putShort(50, (short) BACKUP);
    b.put(64, (byte) 0x80); // a hard disk
    b.put(66, (byte) 0x29); // the volume id, label and type follow
    b.putInt(67, options.volumeId());
    b.put(71, label(options.label()));
    b.put(82, "FAT32   ".getBytes(StandardCharsets.US_ASCII));
    b.put(CODE, HALT);
    b.putShort(510, (short) 0xAA55);
    return b.array();
  }

  private static byte[] fsInfo(long freeClusters, long nextFree) {
    ByteBuffer b = ByteBuffer.allocate(FatGeometry.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 0x41615252); // "RRaA"
    b.putInt(484, 0x61417272); // "rrAa"
    b.putInt(488, (int) freeClusters);
    b.putInt(492, (int) nextFree);
    b.putInt(508, 0xAA550000);
    return b.array();
  }

  /** The label as the 11 space-padded bytes of the boot sector and the root's label entry. */
  static byte[] label(String label) {
    byte[] padded = new byte[11];
    Arrays.fill(padded, (byte) ' ');
    System.arraycopy(label.getBytes(StandardCharsets.US_ASCII), 0, padded, 0, label.length());
    return padded;
  }
}
