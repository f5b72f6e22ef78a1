package dev.strata.disk.build;

import dev.strata.disk.config.ByteSize;

/**
 * The GPT layout of a disk image, in 512-byte sectors, as bootc install and osbuild make it for
 * x86_64: a 1 MiB BIOS boot partition at 1 MiB, the EFI system partition (512 MiB by default) after
 * it, and the root partition from the next MiB to the last usable sector (the backup GPT takes the
 * last 33).
 */
public record DiskLayout(long totalSectors, long espSectors) {
  public static final int SECTOR = 512;
  public static final long MIB_SECTORS = (1L << 20) / SECTOR;

  /** bootc's {@code EFIPN_SIZE_MB}. */
  public static final long DEFAULT_ESP_BYTES = 512L << 20;

  /** The least root partition the builder makes. */
  public static final long MIN_ROOT_BYTES = 256L << 20;

  private static final long BIOS_START = MIB_SECTORS;
  private static final long GPT_BACKUP_SECTORS = 33;

  public DiskLayout {
    if (espSectors < 64 * MIB_SECTORS || espSectors % MIB_SECTORS != 0) {
      throw new IllegalArgumentException(
          "the EFI system partition must be a whole number of MiB, at least 64 MiB; got "
              + ByteSize.format(espSectors * SECTOR));
    }
    if (totalSectors % MIB_SECTORS != 0) {
      throw new IllegalArgumentException(
          "the disk size must be a whole number of MiB; got " + totalSectors * SECTOR + " bytes");
    }
    if (rootSectorsOf(totalSectors, espSectors) * SECTOR < MIN_ROOT_BYTES) {
      throw new IllegalArgumentException(
          "a disk of "
              + ByteSize.format(totalSectors * SECTOR)
              + " leaves the root partition less than "
              + ByteSize.format(MIN_ROOT_BYTES)
              + "; give a larger --size");
    }
  }

  /**
   * The layout of a disk of {@code totalBytes} (rounded up to a MiB) and an ESP of {@code
   * espBytes}.
   */
  public static DiskLayout of(long totalBytes, long espBytes) {
    long mib = 1L << 20;
    return new DiskLayout(
        (totalBytes + mib - 1) / mib * MIB_SECTORS, (espBytes + mib - 1) / mib * MIB_SECTORS);
  }

  /** The smallest layout whose root partition holds {@code rootBytes}. */
  public static DiskLayout forRoot(long rootBytes, long espBytes) {
    long mib = 1L << 20;
    long rootMib = (rootBytes + mib - 1) / mib;
    long espMib = (espBytes + mib - 1) / mib;
    // BIOS boot at 1 MiB, its 1 MiB, the ESP, the root, and one more MiB for the backup GPT
    return new DiskLayout((2 + espMib + rootMib + 1) * MIB_SECTORS, espMib * MIB_SECTORS);
  }

  public long totalBytes() {
    return totalSectors * SECTOR;
  }

  public long biosStart() {
    return BIOS_START;
  }

  public long biosEnd() {
    return BIOS_START + MIB_SECTORS - 1;
  }

  public long espStart() {
    return biosEnd() + 1;
  }

  public long espEnd() {
    return espStart() + espSectors - 1;
  }

  public long rootStart() {
    return espEnd() + 1;
  }

  /** The last usable sector: the backup GPT header and entries take the last 33. */
  public long rootEnd() {
    return totalSectors - GPT_BACKUP_SECTORS - 1;
  }

  public long rootSectors() {
    return rootEnd() - rootStart() + 1;
  }

  private static long rootSectorsOf(long total, long esp) {
    return total - GPT_BACKUP_SECTORS - 1 - (2 * MIB_SECTORS + esp) + 1;
  }
}
