package dev.strata.disk.build;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes the GPT of {@link DiskLayout} onto a disk file (UEFI 2.10 §5.3): a protective MBR, the
 * primary header and 128 entries after it, their backup at the end of the disk. Written here rather
 * than by sgdisk, which on every run calls {@code sync()} for the whole host and sleeps a second so
 * the kernel can re-read a partition table a file does not have. Tests read it back with sgdisk.
 */
final class GptTable {
  /** The BIOS boot partition type (a placeholder: BIOS boot is not installed). */
  static final UUID BIOS_BOOT = UUID.fromString("21686148-6449-6e6f-744e-656564454649");

  static final UUID EFI_SYSTEM = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");

  /** "Linux x86-64 root (/)" of the Discoverable Partitions Specification. */
  static final UUID LINUX_ROOT_X86_64 = UUID.fromString("4f68bce3-e8cd-4db1-96e7-fbcaf984b709");

  private static final int SECTOR = DiskLayout.SECTOR;
  private static final int ENTRIES = 128;
  private static final int ENTRY_SIZE = 128;
  private static final int ENTRY_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR; // 32
  private static final int HEADER_SIZE = 92;

  private GptTable() {}

  static void write(Path disk, DiskLayout layout, DiskIdentity ids) throws IOException {
    long last = layout.totalSectors() - 1;
    ByteBuffer entries = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    entry(
        entries,
        0,
        BIOS_BOOT,
        UUID.randomUUID(),
        layout.biosStart(),
        layout.biosEnd(),
        "BIOS-BOOT");
    entry(
        entries,
        1,
        EFI_SYSTEM,
        ids.espPartUuid(),
        layout.espStart(),
        layout.espEnd(),
        "EFI-SYSTEM");
    entry(
        entries,
        2,
        LINUX_ROOT_X86_64,
        ids.rootPartUuid(),
        layout.rootStart(),
        layout.rootEnd(),
        "root");
    long entriesCrc = crc(entries.array(), entries.capacity());
    long firstUsable = 2 + ENTRY_SECTORS;
    long lastUsable = last - 1 - ENTRY_SECTORS;
    long backupEntries = last - ENTRY_SECTORS;
    try (FileChannel file = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      put(file, 0, protectiveMbr(layout.totalSectors()));
      put(file, SECTOR, header(1, last, 2, firstUsable, lastUsable, ids.diskGuid(), entriesCrc));
      put(file, 2L * SECTOR, entries.array());
      put(file, backupEntries * SECTOR, entries.array());
      put(
          file,
          last * SECTOR,
          header(last, 1, backupEntries, firstUsable, lastUsable, ids.diskGuid(), entriesCrc));
    }
  }

  private static byte[] protectiveMbr(long totalSectors) {
    ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    mbr.position(446);
    mbr.put((byte) 0x00); // not bootable
    mbr.put(new byte[] {0x00, 0x02, 0x00}); // CHS of LBA 1
    mbr.put((byte) 0xEE); // GPT protective
    mbr.put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    mbr.putInt(1);
    mbr.putInt((int) Math.min(totalSectors - 1, 0xFFFFFFFFL));
    mbr.position(510);
    mbr.put((byte) 0x55).put((byte) 0xAA);
    return mbr.array();
  }

  private static byte[] header(
      long myLba,
      long alternateLba,
      long entriesLba,
      long firstUsable,
      long lastUsable,
      UUID diskGuid,
      long entriesCrc) {
    ByteBuffer h = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    h.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
    h.putInt(0x00010000); // revision 1.0
    h.putInt(HEADER_SIZE);
    h.putInt(0); // header CRC, filled below
    h.putInt(0); // reserved
    h.putLong(myLba);
    h.putLong(alternateLba);
    h.putLong(firstUsable);
    h.putLong(lastUsable);
    guid(h, diskGuid);
    h.putLong(entriesLba);
    h.putInt(ENTRIES);
    h.putInt(ENTRY_SIZE);
    h.putInt((int) entriesCrc);
    h.putInt(16, (int) crc(h.array(), HEADER_SIZE));
    return h.array();
  }

  private static void entry(
      ByteBuffer entries, int index, UUID type, UUID unique, long first, long last, String name) {
    entries.position(index * ENTRY_SIZE);
    guid(entries, type);
    guid(entries, unique);
    entries.putLong(first);
    entries.putLong(last);
    entries.putLong(0); // attributes
    byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
    entries.put(utf16, 0, Math.min(utf16.length, 72));
  }

  /** A GUID in the mixed-endian form UEFI stores: the first three fields little-endian. */
  private static void guid(ByteBuffer out, UUID uuid) {
    long msb = uuid.getMostSignificantBits();
    out.putInt((int) (msb >>> 32));
    out.putShort((short) (msb >>> 16));
    out.putShort((short) msb);
    ByteBuffer rest = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
    rest.putLong(uuid.getLeastSignificantBits());
    out.put(rest.array());
  }

  private static long crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }

  private static void put(FileChannel file, long offset, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      offset += file.write(buffer, offset);
    }
  }
}
