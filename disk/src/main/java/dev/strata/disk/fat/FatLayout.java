package dev.strata.disk.fat;

import dev.strata.disk.partition.Chunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything of a FAT32 filesystem goes, planned before anything is written: the folders
 * first (the root at cluster 2, then every folder below it, depth first), then the files in the
 * same order, each in one run of clusters (written once, so never fragmented). The result is the
 * list of {@link Chunk}s to write in offset order; everything else stays zero.
 */
final class FatLayout {
  /** End of a cluster chain, as mkfs.vfat marks the root's. */
  static final int END_OF_CHAIN = 0x0FFFFFF8;

  private static final byte[] DOT = BootSector.label(".");
  private static final byte[] DOT_DOT = BootSector.label("..");

  /** A FAT folder has at most 65536 32-byte entries. */
  private static final int MAX_SLOTS = 65536;

  /** A folder to write, with the short names of its entries. */
  private record FolderPlan(
      String path,
      FatNode.Folder node,
      FolderPlan parent,
      List<FatNode.Named> entries,
      List<ShortName> shortNames,
      int slots) {
    boolean isRoot() {
      return parent == null;
    }
  }

  private final FatGeometry geometry;
  private final List<Chunk> chunks = new ArrayList<>();
  private long usedClusters;

  private FatLayout(FatGeometry geometry) {
    this.geometry = geometry;
  }

  List<Chunk> chunks() {
    return chunks;
  }

  FatGeometry geometry() {
    return geometry;
  }

  long usedClusters() {
    return usedClusters;
  }

  /** Plans {@code tree} into a filesystem of {@code geometry}. */
  static FatLayout plan(FatTree tree, FatGeometry geometry, FatOptions options)
      throws FatException {
    List<FolderPlan> folders = new ArrayList<>();
    List<Long> fileSizes = new ArrayList<>();
    collect(tree.root(), "/", null, folders, fileSizes);
    long needed = clustersNeeded(folders, fileSizes, geometry.clusterBytes());
    if (needed > geometry.clusters()) {
      throw tooSmall(folders, fileSizes, geometry);
    }
    FatLayout layout = new FatLayout(geometry);
    layout.place(folders, options);
    return layout;
  }

  private void place(List<FolderPlan> folders, FatOptions options) {
    int clusterBytes = geometry.clusterBytes();
    Map<FatNode, Long> start = new IdentityHashMap<>();
    List<long[]> runs = new ArrayList<>();
    long next = 2;
    for (FolderPlan f : folders) {
      long count = clusters(f.slots() * (long) DirectoryEntry.SIZE, clusterBytes);
      start.put(f.node(), next);
      runs.add(new long[] {next, count});
      next += count;
    }
    for (FolderPlan f : folders) {
      for (FatNode.Named e : f.entries()) {
        long size = size(e.node());
        if (size > 0) {
          long count = clusters(size, clusterBytes);
          start.put(e.node(), next);
          runs.add(new long[] {next, count});
          next += count;
        }
      }
    }
    usedClusters = next - 2;

    DirectoryEntry.Stamp stamp = DirectoryEntry.Stamp.of(options.time());
    long free = geometry.clusters() - usedClusters;
    long nextFree = free > 0 ? next : 0xFFFFFFFFL;
    chunks.add(new Chunk.Bytes(0, BootSector.reserved(geometry, options, free, nextFree)));
    byte[] fat = fat(runs, next);
    for (int i = 0; i < FatGeometry.FATS; i++) {
      chunks.add(new Chunk.Bytes(geometry.fatOffset(i), fat));
    }
    for (FolderPlan f : folders) {
      long own = start.get(f.node());
      ByteBuffer dir =
          ByteBuffer.allocate(
                  (int)
                      (clusters(f.slots() * (long) DirectoryEntry.SIZE, clusterBytes)
                          * clusterBytes))
              .order(ByteOrder.LITTLE_ENDIAN);
      if (f.isRoot()) {
        DirectoryEntry.write(
            dir, BootSector.label(options.label()), DirectoryEntry.ATTR_VOLUME_ID, 0, 0, 0, stamp);
      } else {
        // ".." of a folder in the root names cluster 0, whatever the root's cluster is
        long parent = f.parent().isRoot() ? 0 : start.get(f.parent().node());
        DirectoryEntry.write(dir, DOT, DirectoryEntry.ATTR_DIRECTORY, 0, own, 0, stamp);
        DirectoryEntry.write(dir, DOT_DOT, DirectoryEntry.ATTR_DIRECTORY, 0, parent, 0, stamp);
      }
      for (int i = 0; i < f.entries().size(); i++) {
        FatNode.Named e = f.entries().get(i);
        ShortName shortName = f.shortNames().get(i);
        if (shortName.needsLongName()) {
          LongName.write(dir, e.name(), shortName.checksum());
        }
        boolean folder = e.node() instanceof FatNode.Folder;
        DirectoryEntry.write(
            dir,
            shortName.bytes(),
            folder ? DirectoryEntry.ATTR_DIRECTORY : DirectoryEntry.ATTR_ARCHIVE,
            shortName.caseFlags(),
            start.getOrDefault(e.node(), 0L),
            size(e.node()),
            stamp);
      }
      chunks.add(new Chunk.Bytes(geometry.clusterOffset(own), dir.array()));
    }
    for (FolderPlan f : folders) {
      for (FatNode.Named e : f.entries()) {
        Long at = start.get(e.node());
        if (e.node() instanceof FatNode.HostFile h && at != null) {
          chunks.add(new Chunk.HostData(geometry.clusterOffset(at), h.path(), 0, h.size()));
        } else if (e.node() instanceof FatNode.Bytes b && at != null) {
          chunks.add(new Chunk.Bytes(geometry.clusterOffset(at), b.data()));
        }
      }
    }
    chunks.sort(Comparator.comparingLong(Chunk::offset));
  }

  /** The used part of one FAT (whole sectors): the two reserved entries, then every chain. */
  private static byte[] fat(List<long[]> runs, long next) {
    long bytes = (next * 4 + FatGeometry.SECTOR - 1) / FatGeometry.SECTOR * FatGeometry.SECTOR;
    ByteBuffer fat = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    fat.putInt(0, 0x0FFFFF00 | BootSector.MEDIA_FIXED);
    fat.putInt(4, 0x0FFFFFFF); // clean: no dirty or error bit cleared
    for (long[] run : runs) {
      long last = run[0] + run[1] - 1;
      for (long c = run[0]; c <= last; c++) {
        fat.putInt((int) (c * 4), c == last ? END_OF_CHAIN : (int) (c + 1));
      }
    }
    return fat.array();
  }

  private static void collect(
      FatNode.Folder node,
      String path,
      FolderPlan parent,
      List<FolderPlan> folders,
      List<Long> fileSizes)
      throws FatException {
    List<FatNode.Named> entries = node.entries();
    List<String> names = new ArrayList<>();
    for (FatNode.Named e : entries) {
      names.add(e.name());
    }
    List<ShortName> shortNames = ShortName.forFolder(names);
    long slots = 2; // "." and ".."; the root has its label entry instead
    for (int i = 0; i < entries.size(); i++) {
      slots +=
          1 + (shortNames.get(i).needsLongName() ? LongName.entries(entries.get(i).name()) : 0);
    }
    if (parent == null) {
      slots--;
    }
    if (slots > MAX_SLOTS) {
      throw new FatException(
          "the folder "
              + path
              + " needs "
              + slots
              + " directory entries (long names take one per 13 characters); FAT holds at most "
              + MAX_SLOTS
              + " in one folder");
    }
    FolderPlan folder = new FolderPlan(path, node, parent, entries, shortNames, (int) slots);
    folders.add(folder);
    for (FatNode.Named e : entries) {
      if (e.node() instanceof FatNode.Folder sub) {
        collect(sub, path + e.name() + "/", folder, folders, fileSizes);
      } else {
        fileSizes.add(size(e.node()));
      }
    }
  }

  private static long size(FatNode node) {
    if (node instanceof FatNode.HostFile h) {
      return h.size();
    }
    if (node instanceof FatNode.Bytes b) {
      return b.data().length;
    }
    return 0;
  }

  private static long clusters(long bytes, int clusterBytes) {
    return Math.max(1, (bytes + clusterBytes - 1) / clusterBytes);
  }

  private static long clustersNeeded(
      List<FolderPlan> folders, List<Long> fileSizes, int clusterBytes) {
    long n = 0;
    for (FolderPlan f : folders) {
      n += clusters(f.slots() * (long) DirectoryEntry.SIZE, clusterBytes);
    }
    for (long size : fileSizes) {
      n += size == 0 ? 0 : clusters(size, clusterBytes);
    }
    return n;
  }

  private static FatException tooSmall(
      List<FolderPlan> folders, List<Long> fileSizes, FatGeometry geometry) {
    int clusterBytes = geometry.clusterBytes();
    long needed = clustersNeeded(folders, fileSizes, clusterBytes);
    long fileBytes = fileSizes.stream().mapToLong(Long::longValue).sum();
    long partitionMib = geometry.totalSectors() * FatGeometry.SECTOR >> 20;
    String least = "";
    for (long mib = partitionMib + 1; mib <= (2L << 20); mib++) {
      try {
        FatGeometry g = FatGeometry.of(mib << 20);
        if (clustersNeeded(folders, fileSizes, g.clusterBytes()) <= g.clusters()) {
          least = "; make the partition at least " + mib + " MiB";
          break;
        }
      } catch (FatException e) {
        // a size FAT32 cannot take: try the next
      }
    }
    return new FatException(
        "the files do not fit the FAT32 filesystem: "
            + fileSizes.size()
            + " files of "
            + fileBytes
            + " bytes in "
            + folders.size()
            + " folders need "
            + needed
            + " clusters of "
            + clusterBytes
            + " bytes ("
            + ((needed * clusterBytes + (1 << 20) - 1) >> 20)
            + " MiB), and a partition of "
            + partitionMib
            + " MiB holds "
            + geometry.clusters()
            + least);
  }
}
