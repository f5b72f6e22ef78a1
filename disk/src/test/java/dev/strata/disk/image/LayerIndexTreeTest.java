package dev.strata.disk.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.rootfs.LayerIndex;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.disk.ext4.DirectoryTree;
import dev.strata.disk.ext4.Ext4Options;
import dev.strata.disk.ext4.Ext4Writer;
import dev.strata.disk.ext4.FileTree;
import dev.strata.disk.ext4.TreeListing;
import dev.strata.disk.ext4.TreeNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layer cache writes a {@link LayerIndex} beside each extracted layer, and the tree read from
 * the indexes is the tree a walk of the folders reads (whiteouts, opaque folders, hardlinks,
 * capabilities, devices, fifos, symlinks, a file replacing a folder), so the disk is the same byte
 * for byte; an index that cannot be trusted is walked past. Needs root, as the engine does.
 */
class LayerIndexTreeTest {
  @TempDir Path tmp;

  private OciLayoutStore store;
  private List<Path> layers;

  @BeforeEach
  void threeLayersExtractedWithIndexes() throws IOException {
    Path base = tmp.resolve("l1");
    write(base, "etc/conf", "base");
    write(base, "usr/bin/ping", "ping");
    Posix.lsetxattr(
        base.resolve("usr/bin/ping"),
        "security.capability",
        new byte[] {1, 0, 0, 2, 0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    write(base, "usr/bin/a", "linked");
    Files.createLink(base.resolve("usr/bin/b"), base.resolve("usr/bin/a"));
    Files.createDirectories(base.resolve("dev"));
    Posix.mknod(base.resolve("dev/null"), Posix.S_IFCHR | 0666, 1, 3);
    Posix.mknod(base.resolve("dev/sda"), Posix.S_IFBLK | 0660, 8, 0);
    Files.createDirectories(base.resolve("run"));
    Posix.mknod(base.resolve("run/fifo"), Posix.S_IFIFO | 0600, 0, 0);
    Files.createSymbolicLink(base.resolve("lib"), Path.of("usr/lib"));
    write(base, "opt/old/x", "hidden later");
    write(base, "var/gone", "removed later");
    write(base, "srv/www/index.html", "a folder replaced later");

    Path middle = tmp.resolve("l2");
    write(middle, "var/.wh.gone", "");
    write(middle, "opt/.wh..wh..opq", "");
    write(middle, "opt/new", "only this");
    write(middle, "srv", "a file where a folder was");
    write(middle, "sbin/h1", "two names");
    Files.createLink(middle.resolve("sbin/h2"), middle.resolve("sbin/h1"));
    Posix.lsetxattr(middle.resolve("sbin/h1"), "user.note", new byte[] {'x'});

    Path top = tmp.resolve("l3");
    write(top, "etc/conf", "top");
    Posix.lchown(top.resolve("etc/conf"), 7, 8);

    store = OciLayoutStore.open(tmp.resolve("store"));
    StoredImageTest.store(store, "corp/indexed:latest", List.of(base, middle, top), Map.of());
    layers = StoredImage.open(store, "corp/indexed:latest").layers().directories();
  }

  private static void write(Path root, String rel, String text) throws IOException {
    Path file = root.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void everyExtractedLayerHasAnIndexThatReads() throws IOException {
    for (Path layer : layers) {
      assertThat(LayerIndex.indexOf(layer)).isRegularFile();
      assertThat(LayerIndex.read(layer)).isPresent();
    }
  }

  @Test
  void theTreeFromIndexesIsTheWalkedTree() throws IOException {
    FileTree indexed = DirectoryTree.read(layers);
    String fromIndexes = TreeListing.of(indexed);
    hideIndexes();
    String walked = TreeListing.of(DirectoryTree.read(layers));
    assertThat(fromIndexes).isEqualTo(walked);
    // and the cases are there to compare
    assertThat(indexed.lookup("/usr/bin/a")).isSameAs(indexed.lookup("/usr/bin/b"));
    assertThat(indexed.lookup("/sbin/h1")).isSameAs(indexed.lookup("/sbin/h2"));
    assertThat(indexed.lookup("/var").children()).doesNotContainKey("gone");
    assertThat(indexed.lookup("/opt").children().keySet()).containsExactly("new");
    assertThat(indexed.lookup("/opt").xattrs()).doesNotContainKey("trusted.overlay.opaque");
    assertThat(indexed.lookup("/srv").kind()).isEqualTo(TreeNode.Kind.FILE);
    assertThat(indexed.lookup("/dev/sda").kind()).isEqualTo(TreeNode.Kind.BLOCK_DEVICE);
    assertThat(indexed.lookup("/run/fifo").kind()).isEqualTo(TreeNode.Kind.FIFO);
    assertThat(indexed.lookup("/usr/bin/ping").xattrs()).containsKey("security.capability");
    assertThat(indexed.lookup("/etc/conf").uid()).isEqualTo(7);
  }

  @Test
  void aDiskFromIndexesIsByteIdenticalToADiskFromTheWalk() throws IOException {
    FileTree indexed = DirectoryTree.read(layers);
    hideIndexes();
    FileTree walked = DirectoryTree.read(layers);
    Ext4Options options =
        new Ext4Options(
            UUID.fromString("11111111-2222-3333-4444-555555555555"),
            "root",
            UUID.fromString("66666666-7777-8888-9999-000000000000"),
            1700000000L);
    Path one = disk(indexed, options, "indexed.raw");
    Path two = disk(walked, options, "walked.raw");
    assertThat(Files.mismatch(one, two)).isEqualTo(-1L);
  }

  private Path disk(FileTree tree, Ext4Options options, String name) throws IOException {
    long bytes = 32L << 20;
    Path disk = tmp.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(bytes);
    }
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      Ext4Writer.write(tree, ch, 0, bytes, options, (offset, length) -> {});
    }
    return disk;
  }

  @Test
  void aDamagedIndexIsWalkedPast() throws IOException {
    String indexed = TreeListing.of(DirectoryTree.read(layers));
    Path index = LayerIndex.indexOf(layers.get(0));
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(index, bytes);
    Files.write(LayerIndex.indexOf(layers.get(1)), new byte[] {1, 2, 3});
    assertThat(LayerIndex.read(layers.get(0))).isEmpty();
    assertThat(LayerIndex.read(layers.get(1))).isEmpty();
    assertThat(TreeListing.of(DirectoryTree.read(layers))).isEqualTo(indexed);
  }

  @Test
  void theIndexOfAnotherFolderIsWalkedPast() throws IOException {
    Files.copy(
        LayerIndex.indexOf(layers.get(0)),
        LayerIndex.indexOf(layers.get(2)),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(LayerIndex.read(layers.get(2))).isEmpty();
  }

  @Test
  void pruningALayerRemovesItsIndexAndIndexesWithoutAFolder() throws IOException {
    Path orphan = LayerIndex.indexOf(layers.get(0).resolveSibling("0".repeat(64)));
    Files.write(orphan, new byte[] {0});
    assertThat(new LayerCache(store).prune(Set.of())).isEqualTo(3);
    try (Stream<Path> left = Files.list(layers.get(0).getParent())) {
      assertThat(left.toList()).isEmpty();
    }
  }

  private void hideIndexes() throws IOException {
    List<Path> hidden = new ArrayList<>();
    for (Path layer : layers) {
      Path index = LayerIndex.indexOf(layer);
      Path away = tmp.resolve(layer.getFileName() + ".hidden");
      Files.move(index, away);
      hidden.add(away);
      assertThat(LayerIndex.read(layer)).isEmpty();
    }
  }
}
