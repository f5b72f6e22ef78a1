package dev.strata.disk.ext4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree with every file type, hardlinks, extended attributes, long and short symlinks, a file
 * larger than one extent, a folder of 5,000 names and a deep path, written into a region of a
 * sparse disk file and read back with e2fsck and debugfs; mkfs.ext4 -d of the same tree is the
 * reference for the file set. Needs root (owners, devices), as CI runs.
 */
class Ext4WriterTest {
  static final long OFFSET = 3L << 20;
  static final long FS_BYTES = 600L << 20;
  static final String LONG_TARGET = "/usr/lib/" + "x".repeat(80) + "/target";
  static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  static final long BIG = (128L << 20) + 12345;

  @TempDir static Path tmp;
  static Path source;
  static Path disk;
  static Debugfs fs;
  static Ext4Writer.Summary summary;
  static final List<long[]> reported = new ArrayList<>();

  @BeforeAll
  static void writeTheTree() throws Exception {
    source = tmp.resolve("tree");
    Files.createDirectories(source);
    file("etc/hostname", "box\n", 0644, 0, 0);
    file("empty", "", 0600, 1234, 5678);
    file("usr/bin/ping", "ELF-ish", 04755, 0, 0);
    Posix.lsetxattr(source.resolve("usr/bin/ping"), "security.capability", CAPABILITY);
    file("home/user/notes", "mine", 0640, 100000, 100001);
    Posix.lsetxattr(source.resolve("home/user/notes"), "user.comment", "hello".getBytes());
    file("big-xattrs", "x", 0644, 0, 0);
    Posix.lsetxattr(source.resolve("big-xattrs"), "user.big", new byte[1500]);
    Posix.lsetxattr(source.resolve("big-xattrs"), "trusted.other", "t".getBytes());
    Path sticky = Files.createDirectories(source.resolve("tmp"));
    Posix.chmod(sticky, 01777);
    file("links/a", "shared content", 0644, 7, 8);
    Files.createLink(source.resolve("links/b"), source.resolve("links/a"));
    Files.createLink(source.resolve("links/c"), source.resolve("links/a"));
    Files.createSymbolicLink(source.resolve("links/short"), Path.of("a"));
    Files.createSymbolicLink(source.resolve("links/long"), Path.of(LONG_TARGET));
    Files.createDirectories(source.resolve("dev"));
    Posix.mknod(source.resolve("dev/null"), Posix.S_IFCHR | 0666, 1, 3);
    Posix.mknod(source.resolve("dev/nvme"), Posix.S_IFBLK | 0660, 259, 300000);
    Posix.mknod(source.resolve("dev/fifo"), Posix.S_IFIFO | 0620, 0, 0);
    // mknod obeys the umask
    Posix.chmod(source.resolve("dev/null"), 0666);
    Posix.chmod(source.resolve("dev/nvme"), 0660);
    Posix.chmod(source.resolve("dev/fifo"), 0620);
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(source.resolve("dev/socket")));
    }
    Path many = Files.createDirectories(source.resolve("many"));
    for (int i = 0; i < 5000; i++) {
      Files.writeString(many.resolve("entry-with-a-longish-name-" + i), Integer.toString(i));
    }
    Path deep = source;
    for (int i = 0; i < 60; i++) {
      deep = deep.resolve("d" + i);
    }
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("bottom"), "deep");
    try (RandomAccessFile big = new RandomAccessFile(source.resolve("big").toFile(), "rw")) {
      big.setLength(BIG); // sparse: the image stores every block anyway
      big.seek(0);
      big.write("start".getBytes());
      big.seek(100L << 20);
      big.write("middle".getBytes());
      big.seek(BIG - 3);
      big.write("end".getBytes());
    }
    Posix.lutimes(source.resolve("etc/hostname"), 1700000000L, 123456789);
    Posix.lchown(source.resolve("etc"), 0, 0);

    disk = tmp.resolve("disk.raw");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(OFFSET + FS_BYTES + (1 << 20));
    }
    FileTree tree = DirectoryTree.read(source);
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      summary =
          Ext4Writer.write(
              tree,
              ch,
              OFFSET,
              FS_BYTES,
              new Ext4Options(UUID.randomUUID(), "root", UUID.randomUUID(), 1700000000L),
              (offset, length) -> reported.add(new long[] {offset, length}));
    }
    fs = new Debugfs(disk, OFFSET);
  }

  static void file(String rel, String text, int mode, int uid, int gid) throws IOException {
    Path p = source.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    Posix.lchown(p, uid, gid); // before chmod: chown clears setuid
    Posix.chmod(p, mode);
  }

  @Test
  void e2fsckFindsNothingToFix() throws Exception {
    assertThat(fs.fsck()).contains("Pass 5").doesNotContain("Fix");
  }

  @Test
  void theSuperblockCarriesTheFeaturesLabelAndAccurateFreeCounts() throws Exception {
    String header = Debugfs.run("dumpe2fs", "-h", disk + "?offset=" + OFFSET);
    assertThat(header)
        .contains("Filesystem volume name:   root")
        .containsPattern(
            "Filesystem features:\\s+has_journal ext_attr dir_index filetype extent flex_bg"
                + " sparse_super large_file huge_file dir_nlink extra_isize")
        .contains("Free blocks:              " + summary.freeBlocks())
        .contains("Inode size:\t          256")
        .contains("Total journal size:       16M")
        .contains("Journal start:            0");
    assertThat(summary.blocks()).isEqualTo(FS_BYTES / 4096);
  }

  @Test
  void rdumpReadsBackTheSameFilesOwnersAndContent() throws Exception {
    Path out = tmp.resolve("rdump");
    fs.rdump(out);
    assertThat(listing(out)).isEqualTo(listing(source));
    assertThat(Files.readAllBytes(out.resolve("many/entry-with-a-longish-name-4321")))
        .isEqualTo("4321".getBytes());
  }

  @Test
  void aFileLargerThanOneExtentKeepsEveryByte() throws Exception {
    Path out = tmp.resolve("big-out");
    Files.createDirectories(out);
    Debugfs.run("debugfs", "-R", "dump /big " + out.resolve("big"), disk + "?offset=" + OFFSET);
    assertThat(Files.size(out.resolve("big"))).isEqualTo(BIG);
    assertThat(Debugfs.run("cmp", source.resolve("big").toString(), out.resolve("big").toString()))
        .isEmpty();
    // more than one extent: one holds at most 32768 blocks (128 MiB)
    String extents = fs.stat("/big").raw().split("EXTENTS:")[1];
    assertThat(extents.split(", ").length).isGreaterThanOrEqualTo(2);
  }

  @Test
  void modesOwnersAndTimesAreAsOnDisk() throws Exception {
    assertThat(fs.stat("/usr/bin/ping").mode()).isEqualTo(04755);
    assertThat(fs.stat("/tmp").mode()).isEqualTo(01777);
    Debugfs.Stat notes = fs.stat("/home/user/notes");
    assertThat(notes.uid()).isEqualTo(100000);
    assertThat(notes.gid()).isEqualTo(100001);
    assertThat(notes.mode()).isEqualTo(0640);
    Debugfs.Stat empty = fs.stat("/empty");
    assertThat(empty.size()).isZero();
    assertThat(empty.uid()).isEqualTo(1234);
    // 1700000000 = 0x6553f100; 123456789 ns << 2 = 0x1d6f3454
    assertThat(fs.stat("/etc/hostname").mtime()).isEqualTo("0x6553f100:1d6f3454");
    Debugfs.Stat root = fs.stat("/");
    assertThat(root.uid()).isZero();
    assertThat(root.gid()).isZero();
  }

  @Test
  void hardlinksAreOneInodeWithItsLinkCount() throws Exception {
    Debugfs.Stat a = fs.stat("/links/a");
    assertThat(a.links()).isEqualTo(3);
    assertThat(fs.stat("/links/c").raw().lines().findFirst())
        .isEqualTo(a.raw().lines().findFirst());
  }

  @Test
  void symlinksShortInTheInodeLongInABlock() throws Exception {
    Debugfs.Stat shortLink = fs.stat("/links/short");
    assertThat(shortLink.type()).isEqualTo("symlink");
    assertThat(shortLink.raw()).contains("Fast link dest: \"a\"");
    Debugfs.Stat longLink = fs.stat("/links/long");
    assertThat(longLink.size()).isEqualTo(LONG_TARGET.length());
    assertThat(longLink.raw()).contains("EXTENTS");
    Path out = tmp.resolve("links-out");
    fs.rdump(out);
    assertThat(Files.readSymbolicLink(out.resolve("links/long")).toString()).isEqualTo(LONG_TARGET);
  }

  @Test
  void devicesFifosAndSocketsKeepTheirTypesAndNumbers() throws Exception {
    Debugfs.Stat nul = fs.stat("/dev/null");
    assertThat(nul.type()).isEqualTo("character special");
    assertThat(nul.device()).isEqualTo("01:03");
    assertThat(nul.mode()).isEqualTo(0666);
    Debugfs.Stat nvme = fs.stat("/dev/nvme");
    assertThat(nvme.type()).isEqualTo("block special");
    assertThat(nvme.device()).isEqualTo("259:300000");
    assertThat(fs.stat("/dev/fifo").type()).isEqualTo("FIFO");
    assertThat(fs.stat("/dev/fifo").mode()).isEqualTo(0620);
    assertThat(fs.stat("/dev/socket").type()).isEqualTo("socket");
  }

  @Test
  void extendedAttributesInTheInodeAndInABlock() throws Exception {
    assertThat(fs.xattr("/usr/bin/ping", "security.capability", tmp)).isEqualTo(CAPABILITY);
    assertThat(fs.stat("/usr/bin/ping").raw()).contains("File ACL: 0");
    assertThat(fs.xattr("/home/user/notes", "user.comment", tmp)).isEqualTo("hello".getBytes());
    assertThat(fs.xattr("/big-xattrs", "user.big", tmp)).isEqualTo(new byte[1500]);
    assertThat(fs.xattr("/big-xattrs", "trusted.other", tmp)).isEqualTo("t".getBytes());
    assertThat(fs.stat("/big-xattrs").raw()).doesNotContain("File ACL: 0");
  }

  @Test
  void aFolderOfFiveThousandNamesAndADeepPath() throws Exception {
    assertThat(fs.list("/many")).hasSize(5000).contains("entry-with-a-longish-name-4999");
    String deep = "/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9";
    for (int i = 10; i < 60; i++) {
      deep += "/d" + i;
    }
    assertThat(fs.stat(deep + "/bottom").size()).isEqualTo(4);
    assertThat(fs.stat("/many").links()).isEqualTo(2);
    assertThat(fs.stat("/").links()).isEqualTo(2 + 9); // 8 folders and lost+found
  }

  @Test
  void lostAndFoundIsInodeElevenAndTheJournalIsClean() throws Exception {
    assertThat(fs.stat("/lost+found").raw()).contains("Inode: 11 ").contains("Mode:  0700");
    String journal = Debugfs.run("debugfs", "-R", "logdump", disk + "?offset=" + OFFSET);
    assertThat(journal).contains("Journal starts at block 0");
  }

  @Test
  void writtenRangesAreReportedInOrderInsideTheRegion() {
    long end = 0;
    for (long[] r : reported) {
      assertThat(r[0]).isGreaterThanOrEqualTo(Math.max(end, OFFSET));
      end = r[0] + r[1];
    }
    assertThat(end).isLessThanOrEqualTo(OFFSET + FS_BYTES);
  }

  @Test
  void mkfsOfTheSameTreeHoldsTheSameFiles() throws Exception {
    Path reference = tmp.resolve("mkfs.img");
    Debugfs.run("mkfs.ext4", "-q", "-F", "-d", source.toString(), reference.toString(), "600M");
    Debugfs mkfs = new Debugfs(reference, 0);
    mkfs.fsck();
    Path ours = tmp.resolve("ours");
    Path theirs = tmp.resolve("theirs");
    fs.rdump(ours);
    mkfs.rdump(theirs);
    assertThat(listing(ours)).isEqualTo(listing(theirs));
    for (String path : List.of("/dev/nvme", "/dev/null", "/usr/bin/ping", "/links/a")) {
      Debugfs.Stat a = fs.stat(path);
      Debugfs.Stat b = mkfs.stat(path);
      assertThat(
              List.of(a.type(), a.mode(), a.uid(), a.gid(), a.links(), a.size(), "" + a.device()))
          .as(path)
          .isEqualTo(
              List.of(b.type(), b.mode(), b.uid(), b.gid(), b.links(), b.size(), "" + b.device()));
    }
  }

  @Test
  void aNameLongerThan255BytesIsRefused() {
    TreeNode.Time t = new TreeNode.Time(0, 0);
    FileTree tree = new FileTree(TreeNode.directory(0755, 0, 0, t));
    TreeNode dir = TreeNode.directory(0755, 0, 0, t);
    tree.root().put("etc", dir);
    dir.put("é".repeat(128), TreeNode.file(0644, 0, 0, t, new FileContent.InMemory(new byte[0])));
    assertThatThrownBy(() -> write(tree, 64L << 20))
        .isInstanceOf(Ext4Exception.class)
        .hasMessageContaining("/etc/éé")
        .hasMessageContaining("256 bytes long; ext4 holds at most 255");
  }

  @Test
  void attributesBeyondOneBlockAreRefused() {
    TreeNode.Time t = new TreeNode.Time(0, 0);
    FileTree tree = new FileTree(TreeNode.directory(0755, 0, 0, t));
    TreeNode f = TreeNode.file(0644, 0, 0, t, new FileContent.InMemory(new byte[0]));
    f.xattrs().put("user.huge", new byte[5000]);
    tree.root().put("f", f);
    assertThatThrownBy(() -> write(tree, 64L << 20))
        .isInstanceOf(Ext4Exception.class)
        .hasMessageContaining("/f: its extended attributes take more than one 4 KiB block");
  }

  @Test
  void aTreeLargerThanTheFilesystemIsRefused() {
    TreeNode.Time t = new TreeNode.Time(0, 0);
    FileTree tree = new FileTree(TreeNode.directory(0755, 0, 0, t));
    tree.root()
        .put("f", TreeNode.file(0644, 0, 0, t, new FileContent.InMemory(new byte[64 << 20])));
    assertThatThrownBy(() -> write(tree, 64L << 20))
        .isInstanceOf(Ext4Exception.class)
        .hasMessageContaining("the filesystem is full");
  }

  private static void write(FileTree tree, long bytes) throws IOException {
    Path img = Files.createTempFile(tmp, "small", ".img");
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
      Ext4Writer.write(
          tree,
          ch,
          0,
          bytes,
          new Ext4Options(UUID.randomUUID(), "t", UUID.randomUUID(), 0),
          (o, l) -> {});
    }
  }

  /** Every path with its type, owner, size, link target and content hash (rdump drops the rest). */
  private static List<String> listing(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      List<String> lines = new ArrayList<>();
      for (Path p : walk.sorted().toList()) {
        String rel = root.relativize(p).toString();
        if (rel.equals("lost+found") || rel.startsWith("dev/")) {
          continue; // the filesystem's own; rdump does not make device nodes
        }
        String line =
            rel
                + " "
                + Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                + ":"
                + Files.getAttribute(p, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (Files.isSymbolicLink(p)) {
          line += " -> " + Files.readSymbolicLink(p);
        } else if (Files.isRegularFile(p)) {
          line += " " + Files.size(p);
          if (Files.size(p) < (1 << 20)) {
            line += " " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).hashCode();
          }
        } else {
          line += " dir";
        }
        lines.add(line);
      }
      return lines;
    }
  }
}
