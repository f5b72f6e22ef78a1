package dev.strata.disk.ext4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.fs.Posix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree of a layer stack is the rootfs overlayfs would show: whiteouts and opaque folders. */
class LayeredTreeTest {
  @TempDir Path tmp;
  private Path lower;
  private Path upper;

  @BeforeEach
  void layers() throws Exception {
    lower = Files.createDirectories(tmp.resolve("lower"));
    upper = Files.createDirectories(tmp.resolve("upper"));
    write(lower, "a/gone", "lower");
    write(lower, "a/kept", "lower");
    write(lower, "b/hidden", "lower");
    write(lower, "c", "a file below a folder");
    write(lower, "same", "lower");
    Files.createDirectories(upper.resolve("a"));
    Posix.mknod(upper.resolve("a/gone"), Posix.S_IFCHR, 0, 0); // whiteout
    write(upper, "b/new", "upper");
    Posix.lsetxattr(upper.resolve("b"), "trusted.overlay.opaque", new byte[] {'y'});
    write(upper, "c/inside", "upper");
    write(upper, "same", "upper");
  }

  private static void write(Path root, String rel, String text) throws Exception {
    Path file = root.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void aWhiteoutRemovesTheNameBelowAndKeepsItsSiblings() throws Exception {
    FileTree tree = DirectoryTree.read(List.of(lower, upper));
    assertThat(tree.lookup("/a").children().keySet()).containsExactly("kept");
  }

  @Test
  void anOpaqueFolderHidesEverythingBelowAndLosesTheOverlayAttribute() throws Exception {
    TreeNode b = DirectoryTree.read(List.of(lower, upper)).lookup("/b");
    assertThat(b.children().keySet()).containsExactly("new");
    assertThat(b.xattrs()).doesNotContainKey("trusted.overlay.opaque");
  }

  @Test
  void theTopLayerWinsForFilesAndTypes() throws Exception {
    FileTree tree = DirectoryTree.read(List.of(lower, upper));
    assertThat(tree.lookup("/c").kind()).isEqualTo(TreeNode.Kind.DIRECTORY);
    assertThat(tree.lookup("/c/inside")).isNotNull();
    FileContent same = tree.lookup("/same").content();
    assertThat(same).isInstanceOf(FileContent.HostFile.class);
    assertThat(Files.readString(((FileContent.HostFile) same).path(), StandardCharsets.UTF_8))
        .isEqualTo("upper");
  }

  @Test
  void oneFolderIsAStackOfOneLayer() throws Exception {
    assertThat(DirectoryTree.read(lower).lookup("/a").children().keySet())
        .containsExactly("gone", "kept");
  }
}
