package dev.strata.disk.fat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAT32 images written by {@link FatWriter}, read back by the tools that own the format: fsck.fat
 * finds nothing to fix, mtools lists the same names and copies out the same bytes, and mkfs.vfat
 * lays out a filesystem of the same size the same way.
 */
class FatWriterTest {
  static final long MIB = 1 << 20;
  static final Instant TIME = Instant.parse("2026-11-26T10:20:31.450Z");
  static final FatOptions OPTIONS = new FatOptions("EFI-SYSTEM", 0x1A2B3C4D, 0, TIME);

  @TempDir Path tmp;

  /** The ranges the writer reported, in order. */
  final List<long[]> written = new ArrayList<>();

  private Path image(FatTree tree, long bytes) throws IOException {
    return image(tree, bytes, OPTIONS);
  }

  private Path image(FatTree tree, long bytes, FatOptions options) throws IOException {
    Path image = Files.createTempFile(tmp, "fat", ".img");
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(bytes);
    }
    try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
      FatWriter.write(tree, ch, 0, bytes, options, (o, l) -> written.add(new long[] {o, l}));
    }
    return image;
  }

  private Path hostFile(String name, int bytes, long seed) throws IOException {
    byte[] data = new byte[bytes];
    new Random(seed).nextBytes(data);
    return Files.write(tmp.resolve(name), data);
  }

  @Test
  void anEmptyTreeIsACleanFilesystemWithTheLabelAndVolumeId() throws Exception {
    Path image = image(new FatTree(), 200 * MIB);
    FatTools.fsckClean(image);
    // mdir -/ calls an empty root "not found", as it does on mkfs.vfat's: list it plainly
    assertThat(FatTools.run(List.of("mdir", "-a", "-i", image.toString(), "::/"), true))
        .contains("Volume in drive : is EFI-SYSTEM")
        .contains("No files");
    assertThat(FatTools.info(image))
        .contains("serial number: 1A2B3C4D")
        .contains("label=\"EFI-SYSTEM \"")
        .contains("disk type=\"FAT32   \"");
  }

  @Test
  void theGeometryIsMkfsVfatsForTheSameSize() throws Exception {
    for (long mib : List.of(64L, 200L, 260L, 261L, 512L, 1000L, 1024L)) {
      Path ours = image(new FatTree(), mib * MIB);
      Path theirs = tmp.resolve("mkfs-" + mib + ".img");
      FatTools.run(
          List.of(
              "mkfs.vfat",
              "-C",
              "-F",
              "32",
              "-n",
              "EFI-SYSTEM",
              "-i",
              "1A2B3C4D",
              "-s",
              mib <= 260 ? "1" : "8",
              theirs.toString(),
              Long.toString(mib * 1024)),
          true);
      byte[] a = sector(ours, 0);
      byte[] b = sector(theirs, 0);
      // from bytes per sector to the file system type; the name at 3 and the boot code differ
      assertThat(Arrays.copyOfRange(a, 11, 90))
          .as("BIOS parameter block of %d MiB", mib)
          .isEqualTo(Arrays.copyOfRange(b, 11, 90));
      assertThat(Arrays.copyOfRange(sector(ours, 1), 484, 492))
          .as("FSInfo free count of %d MiB", mib)
          .isEqualTo(Arrays.copyOfRange(sector(theirs, 1), 484, 492));
      assertThat(sector(ours, 6)).isEqualTo(a);
      assertThat(sector(ours, 7)).isEqualTo(sector(ours, 1));
      FatTools.fsckClean(ours);
    }
  }

  @Test
  void clustersAre512BytesUpTo260MibAnd4KibAbove() throws Exception {
    assertThat(FatTools.fsckClean(image(new FatTree(), 200 * MIB)))
        .contains("512 bytes per cluster");
    assertThat(FatTools.fsckClean(image(new FatTree(), 512 * MIB)))
        .contains("4096 bytes per cluster");
  }

  @Test
  void namesNeedingLongNamesReadBackAsWritten() throws Exception {
    List<String> names =
        List.of(
            "a long file name with spaces.txt",
            "lower.txt",
            "UPPER.TXT",
            "MixedCase.Txt",
            "Ünïcødé файл.txt",
            "日本語のファイル名.conf",
            ".hidden",
            "name.with.many.dots.tar.gz",
            "a+b=c;d[1].txt",
            "x".repeat(255));
    FatTree tree = new FatTree();
    for (int i = 0; i < names.size(); i++) {
      tree.file("dir/" + names.get(i), ("content " + i).getBytes(StandardCharsets.UTF_8));
    }
    Path image = image(tree, 200 * MIB);
    FatTools.fsckClean(image);
    List<String> expected = new ArrayList<>(List.of("/dir/"));
    names.forEach(n -> expected.add("/dir/" + n));
    assertThat(FatTools.paths(image)).containsExactlyInAnyOrderElementsOf(expected);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).contains("[")) {
        continue; // mcopy takes [...] as a pattern
      }
      Path out = tmp.resolve("out" + i);
      FatTools.copyOut(image, "/dir/" + names.get(i), out);
      assertThat(Files.readString(out)).isEqualTo("content " + i);
    }
  }

  @Test
  void charactersBeyondTheBasicPlaneAreKeptAsSurrogatePairs() throws Exception {
    // mtools shows them as "_", so the entries themselves are read: 13 UTF-16 units each
    FatTree tree = new FatTree();
    tree.file("emoji 😀.txt", new byte[] {1});
    ByteBuffer root =
        ByteBuffer.wrap(cluster(image(tree, 200 * MIB), 2)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(root.get(32)).isEqualTo((byte) 0x41); // the last (and only) long-name entry
    assertThat(root.get(32 + 11)).isEqualTo((byte) 0x0F);
    StringBuilder name = new StringBuilder();
    for (int at : new int[] {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30}) {
      name.append(root.getChar(32 + at));
    }
    assertThat(name.toString()).isEqualTo("emoji 😀.txt\0");
    assertThat(FatTools.paths(image(tree, 200 * MIB))).containsExactly("/emoji __.txt");
  }

  @Test
  void namesThatFit83GetNoLongName() throws Exception {
    FatTree tree = new FatTree();
    tree.file("UPPER.TXT", new byte[] {1});
    tree.file("lower.txt", new byte[] {2});
    Path image = image(tree, 200 * MIB);
    // the label, then one entry each: no long-name entries before them
    ByteBuffer root = ByteBuffer.wrap(cluster(image, 2));
    assertThat(new String(root.array(), 32, 11, StandardCharsets.US_ASCII))
        .isEqualTo("UPPER   TXT");
    assertThat(root.get(32 + 12)).isEqualTo((byte) 0);
    assertThat(new String(root.array(), 64, 11, StandardCharsets.US_ASCII))
        .isEqualTo("LOWER   TXT");
    assertThat(root.get(64 + 12)).isEqualTo((byte) 0x18); // NT flags: base and extension lower
    assertThat(root.get(96)).isZero();
    assertThat(FatTools.paths(image)).containsExactlyInAnyOrder("/UPPER.TXT", "/lower.txt");
  }

  @Test
  void shortNamesNeverCollideInAFolder() throws Exception {
    FatTree tree = new FatTree();
    tree.file("LongFileName1.txt", "one".getBytes(StandardCharsets.UTF_8));
    tree.file("LongFileName2.txt", "two".getBytes(StandardCharsets.UTF_8));
    tree.file("LONGFI~1.TXT", "literal".getBytes(StandardCharsets.UTF_8));
    Path image = image(tree, 200 * MIB);
    FatTools.fsckClean(image);
    String listing = FatTools.listing(image);
    assertThat(listing)
        .containsPattern("LONGFI~1 TXT +7 ")
        .containsPattern("LONGFI~2 TXT +3 .*LongFileName1.txt")
        .containsPattern("LONGFI~3 TXT +3 .*LongFileName2.txt");
    for (String name : List.of("LongFileName1.txt", "LongFileName2.txt", "LONGFI~1.TXT")) {
      Path out = tmp.resolve(name);
      FatTools.copyOut(image, "/" + name, out);
    }
    assertThat(tmp.resolve("LongFileName1.txt")).hasContent("one");
    assertThat(tmp.resolve("LongFileName2.txt")).hasContent("two");
    assertThat(tmp.resolve("LONGFI~1.TXT")).hasContent("literal");
  }

  @Test
  void aFolderOf300FilesSpansSeveralClusters() throws Exception {
    FatTree tree = new FatTree();
    List<String> expected = new ArrayList<>(List.of("/many/"));
    for (int i = 0; i < 300; i++) {
      String name = String.format("Report number %03d.txt", i);
      tree.file("many/" + name, name.getBytes(StandardCharsets.UTF_8));
      expected.add("/many/" + name);
    }
    Path image = image(tree, 200 * MIB);
    FatTools.fsckClean(image);
    assertThat(FatTools.paths(image)).containsExactlyInAnyOrderElementsOf(expected);
    // 300 entries of 3 slots and "." and "..": 902 slots of 32 bytes, 57 clusters of 512 bytes
    ByteBuffer root = ByteBuffer.wrap(cluster(image, 2)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(root.array(), 32, 11, StandardCharsets.US_ASCII))
        .isEqualTo("MANY       ");
    assertThat(chain(image, root.getShort(32 + 26))).isEqualTo(57);
    for (int i : List.of(0, 150, 299)) {
      String name = String.format("Report number %03d.txt", i);
      Path out = tmp.resolve("r" + i);
      FatTools.copyOut(image, "/many/" + name, out);
      assertThat(out).hasContent(name);
    }
  }

  @Test
  void filesOfNoBytesOneClusterAndSeventyMibReadBackByteForByte() throws Exception {
    for (long size : List.of(200 * MIB, 512 * MIB)) {
      int cluster = size > 260 * MIB ? 4096 : 512;
      FatTree tree = new FatTree();
      tree.file("empty", new byte[0]);
      tree.file("one-cluster.bin", hostFile("one" + size, cluster, 1));
      tree.file("one-more.bin", hostFile("more" + size, cluster + 1, 2));
      tree.file("big/seventy.bin", hostFile("big" + size, (int) (70 * MIB), 3));
      Path image = image(tree, size);
      FatTools.fsckClean(image);
      for (String name : List.of("empty", "one-cluster.bin", "one-more.bin", "big/seventy.bin")) {
        Path out = tmp.resolve("copy-" + size + "-" + name.replace('/', '-'));
        FatTools.copyOut(image, "/" + name, out);
        Path source =
            switch (name) {
              case "empty" -> null;
              case "one-cluster.bin" -> tmp.resolve("one" + size);
              case "one-more.bin" -> tmp.resolve("more" + size);
              default -> tmp.resolve("big" + size);
            };
        if (source == null) {
          assertThat(Files.size(out)).isZero();
        } else {
          assertThat(Files.mismatch(out, source)).as(name).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void writtenAtAnOffsetItIsTheSameBytesAndLeavesWhatIsBeforeItAlone() throws Exception {
    FatTree tree = new FatTree();
    tree.file("EFI/BOOT/BOOTX64.EFI", hostFile("loader", 150_000, 4));
    tree.file("loader/loader.conf", "timeout 0\n".getBytes(StandardCharsets.UTF_8));
    tree.file("debian/6.1.0/initrd", hostFile("initrd", 3 << 20, 5));
    Path alone = image(tree, 64 * MIB);
    List<long[]> aloneRanges = new ArrayList<>(written);
    written.clear();

    long offset = 2 * MIB;
    Path disk = tmp.resolve("disk.raw");
    byte[] before = new byte[(int) offset];
    new Random(6).nextBytes(before);
    Files.write(disk, before);
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(offset + 64 * MIB + MIB);
    }
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      FatWriter.write(
          tree, ch, offset, 64 * MIB, OPTIONS, (o, l) -> written.add(new long[] {o, l}));
    }
    byte[] all = Files.readAllBytes(disk);
    assertThat(Arrays.copyOfRange(all, 0, (int) offset)).isEqualTo(before);
    assertThat(Arrays.copyOfRange(all, (int) offset, (int) (offset + 64 * MIB)))
        .isEqualTo(Files.readAllBytes(alone));
    assertThat(Arrays.copyOfRange(all, (int) (offset + 64 * MIB), all.length))
        .containsOnly((byte) 0);
    assertThat(written).hasSameSizeAs(aloneRanges);
    for (int i = 0; i < written.size(); i++) {
      assertThat(written.get(i)[0]).isEqualTo(aloneRanges.get(i)[0] + offset);
      assertThat(written.get(i)[1]).isEqualTo(aloneRanges.get(i)[1]);
    }
  }

  @Test
  void theReportedRangesCoverEveryByteThatIsNotZeroInOrder() throws Exception {
    FatTree tree = new FatTree();
    tree.file("EFI/BOOT/BOOTX64.EFI", hostFile("loader", 150_000, 7));
    tree.file("big.bin", hostFile("big", 5 << 20, 8));
    for (int i = 0; i < 40; i++) {
      tree.file("entries/Entry number " + i + ".conf", ("entry " + i).getBytes());
    }
    Path image = image(tree, 64 * MIB);
    byte[] all = Files.readAllBytes(image);
    boolean[] covered = new boolean[all.length];
    long end = 0;
    for (long[] r : written) {
      assertThat(r[0]).as("ranges in increasing order").isGreaterThanOrEqualTo(end);
      end = r[0] + r[1];
      Arrays.fill(covered, (int) r[0], (int) end, true);
    }
    for (int i = 0; i < all.length; i++) {
      if (!covered[i] && all[i] != 0) {
        throw new AssertionError("byte " + i + " is not zero but no reported range holds it");
      }
    }
    FatTools.fsckClean(image);
  }

  @Test
  void folderEntriesPointAtThemselvesAndTheirParent() throws Exception {
    FatTree tree = new FatTree();
    tree.file("a/b/c/deep.txt", "deep".getBytes(StandardCharsets.UTF_8));
    tree.directory("a/empty folder");
    Path image = image(tree, 200 * MIB);
    FatTools.fsckClean(image); // fsck.fat checks "." and ".." of every folder
    assertThat(FatTools.paths(image))
        .containsExactlyInAnyOrder(
            "/a/", "/a/b/", "/a/b/c/", "/a/b/c/deep.txt", "/a/empty folder/");
  }

  @Test
  void timesAreTheGivenTimeInUtc() throws Exception {
    FatTree tree = new FatTree();
    tree.file("f.txt", new byte[] {1});
    assertThat(FatTools.listing(image(tree, 200 * MIB)))
        .contains("f        txt         1 2026-11-26  10:20");
  }

  @Test
  void aTreeLargerThanThePartitionIsRefusedWithTheSizeThatFits() throws Exception {
    FatTree tree = new FatTree();
    tree.file("big.bin", hostFile("big", (int) (70 * MIB), 9));
    assertThatThrownBy(() -> image(tree, 64 * MIB))
        .isInstanceOf(FatException.class)
        .hasMessageContaining("do not fit the FAT32 filesystem: 1 files of 73400320 bytes")
        .hasMessageContaining("make the partition at least 72 MiB");
  }

  @Test
  void aPartitionTooSmallForFat32IsRefused() {
    assertThatThrownBy(() -> image(new FatTree(), 16 * MIB))
        .isInstanceOf(FatException.class)
        .hasMessageContaining("needs at least 65525 clusters")
        .hasMessageContaining("give it at least 33 MiB");
  }

  @Test
  void namesFatCannotHoldAreRefused() {
    FatTree tree = new FatTree();
    assertThatThrownBy(() -> tree.file("dir/a:b", new byte[0]))
        .isInstanceOf(FatException.class)
        .hasMessageContaining("FAT cannot hold the name 'a:b' in dir/a:b")
        .hasMessageContaining("cannot hold ':'");
    assertThatThrownBy(() -> tree.file("trailing.", new byte[0]))
        .hasMessageContaining("trailing dot or space");
    assertThatThrownBy(() -> tree.file("x".repeat(256), new byte[0]))
        .hasMessageContaining("256 UTF-16 code units long; FAT holds at most 255");
    assertThatThrownBy(() -> tree.file("tab\there", new byte[0]))
        .hasMessageContaining("control character U+0009");
  }

  @Test
  void namesThatDifferOnlyInCaseAreRefused() throws Exception {
    FatTree tree = new FatTree();
    tree.file("EFI/README", new byte[0]);
    assertThatThrownBy(() -> tree.file("efi/readme", new byte[0]))
        .isInstanceOf(FatException.class)
        .hasMessageContaining("cannot add efi/readme: its folder already holds 'EFI'");
    assertThatThrownBy(() -> tree.file("EFI/ReadMe", new byte[0]))
        .hasMessageContaining("its folder already holds 'README'");
    assertThatThrownBy(() -> tree.directory("EFI/README/sub"))
        .hasMessageContaining("already holds 'README'");
  }

  /** How many clusters the chain from {@code first} has, read from the first FAT. */
  private static int chain(Path image, long first) throws IOException {
    ByteBuffer boot = ByteBuffer.wrap(sector(image, 0)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long fat = boot.getShort(14) * 512L;
    int n = 1;
    for (long c = first; ; n++) {
      long next =
          ByteBuffer.wrap(read(image, fat + c * 4, 4))
                  .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                  .getInt()
              & 0x0FFFFFFF;
      if (next >= 0x0FFFFFF8) {
        return n;
      }
      assertThat(next).as("contiguous").isEqualTo(c + 1);
      c = next;
    }
  }

  private static byte[] sector(Path image, long sector) throws IOException {
    return read(image, sector * 512, 512);
  }

  /** Cluster {@code n} of a filesystem of 512-byte clusters. */
  private static byte[] cluster(Path image, long n) throws IOException {
    ByteBuffer boot = ByteBuffer.wrap(sector(image, 0)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long data = boot.getShort(14) + 2L * boot.getInt(36);
    return read(image, (data + (n - 2) * boot.get(13)) * 512, 512);
  }

  private static byte[] read(Path image, long offset, int length) throws IOException {
    try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(length);
      while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {}
      return b.array();
    }
  }
}
