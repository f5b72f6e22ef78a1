package dev.strata.disk.fat;

/**
 * The shape of a FAT32 filesystem of a partition's size, chosen as {@code mkfs.vfat -F 32}
 * (dosfstools 4.2) chooses it for an image file of that size: 512-byte sectors; Microsoft's cluster
 * table (512-byte clusters up to 260 MiB, 4 KiB up to 8 GiB, 8 KiB up to 16 GiB, 16 KiB up to 32
 * GiB, 32 KiB beyond); 32 reserved sectors; two FATs, each rounded up to whole clusters; the total
 * rounded down to whole tracks of the made-up geometry mkfs.vfat gives a file (SD-card heads and
 * sectors per track up to 256 MiB, LBA-assist beyond). The data area starts after the FATs; cluster
 * 2 is its first.
 */
record FatGeometry(
    long totalSectors,
    int sectorsPerCluster,
    int reservedSectors,
    long fatSectors,
    long clusters,
    int heads,
    int sectorsPerTrack) {
  static final int SECTOR = 512;
  static final int FATS = 2;

  /** Fewer clusters than this make a FAT16 by definition (Microsoft's FAT specification). */
  static final long MIN_CLUSTERS = 65525;

  /** The highest cluster number a FAT32 entry can address is 0x0FFFFFF6. */
  static final long MAX_CLUSTERS = 0x0FFFFFF5L;

  /** The geometry of a FAT32 filesystem filling {@code partitionBytes}. */
  static FatGeometry of(long partitionBytes) throws FatException {
    long sectors = partitionBytes / SECTOR;
    if (sectors > 0xFFFFFFFFL) {
      throw new FatException(
          "a FAT32 filesystem holds at most 2 TiB with 512-byte sectors; the partition is "
              + mib(partitionBytes)
              + " MiB");
    }
    long mib = partitionBytes >> 20;
    int perCluster =
        mib > 32 * 1024 ? 64 : mib > 16 * 1024 ? 32 : mib > 8 * 1024 ? 16 : mib > 260 ? 8 : 1;
    int heads;
    int perTrack;
    if (sectors <= 524288) {
      heads = sectors <= 32768 ? 2 : sectors <= 65536 ? 4 : sectors <= 262144 ? 8 : 16;
      perTrack = sectors <= 4096 ? 16 : 32;
    } else {
      heads =
          sectors <= 16 * 63 * 1024
              ? 16
              : sectors <= 32 * 63 * 1024 ? 32 : sectors <= 64 * 63 * 1024 ? 64 : 128;
      if (sectors > 128 * 63 * 1024) {
        heads = 255;
      }
      perTrack = 63;
    }
    long total = sectors / perTrack * perTrack;
    int reserved = (int) align(32, perCluster);
    long fatAndData = total - reserved;
    // as many clusters as the space holds with their two FAT entries, the first two entries
    // reserved; then counted again, the FATs rounded up to whole clusters
    long clusters = (fatAndData * SECTOR + FATS * 8) / ((long) perCluster * SECTOR + FATS * 4);
    long fatSectors = align(((clusters + 2) * 4 + SECTOR - 1) / SECTOR, perCluster);
    clusters = (fatAndData - FATS * fatSectors) / perCluster;
    if (fatAndData <= FATS * fatSectors || clusters < MIN_CLUSTERS) {
      throw new FatException(
          "a FAT32 filesystem needs at least "
              + MIN_CLUSTERS
              + " clusters; a partition of "
              + mib(partitionBytes)
              + " MiB holds "
              + Math.max(clusters, 0)
              + " of "
              + perCluster * SECTOR
              + " bytes: give it at least 33 MiB");
    }
    if (clusters > Math.min(MAX_CLUSTERS, fatSectors * SECTOR / 4 - 2)) {
      throw new FatException(
          "a FAT32 filesystem of " + mib(partitionBytes) + " MiB would have too many clusters");
    }
    return new FatGeometry(total, perCluster, reserved, fatSectors, clusters, heads, perTrack);
  }

  int clusterBytes() {
    return sectorsPerCluster * SECTOR;
  }

  /** The first sector of the data area (cluster 2). */
  long dataStart() {
    return reservedSectors + FATS * fatSectors;
  }

  /** The byte offset of {@code cluster} from the partition's start. */
  long clusterOffset(long cluster) {
    return (dataStart() + (cluster - 2) * sectorsPerCluster) * SECTOR;
  }

  /** The byte offset of FAT {@code index} (0 or 1). */
  long fatOffset(int index) {
    return (reservedSectors + index * fatSectors) * SECTOR;
  }

  private static long align(long sectors, int perCluster) {
    return (sectors + perCluster - 1) / perCluster * perCluster;
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
