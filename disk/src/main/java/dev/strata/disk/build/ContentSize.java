package dev.strata.disk.build;

import dev.strata.disk.ext4.FileTree;
import dev.strata.disk.ext4.TreeNode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * How many bytes a rootfs takes in ext4 with 4 KiB blocks ({@code bytes}: every file rounded up to
 * a block, every directory one block, every entry an inode of 256 bytes whatever its type), and how
 * many bytes its regular files hold ({@code fileBytes}, which no tar of the rootfs is smaller
 * than).
 */
record ContentSize(long bytes, long fileBytes) {
  private static final long BLOCK = 4096;
  private static final long INODE = 256;

  static ContentSize of(Path rootfs) throws IOException {
    long[] total = {0, 0};
    Files.walkFileTree(
        rootfs,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            total[0] += BLOCK + INODE;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            long size = attrs.isRegularFile() ? attrs.size() : 0;
            total[0] += (size + BLOCK - 1) / BLOCK * BLOCK + INODE;
            total[1] += size;
            return FileVisitResult.CONTINUE;
          }
        });
    return new ContentSize(total[0], total[1]);
  }

  /** The same measure of a tree already read (a hardlinked file counts once). */
  static ContentSize of(FileTree tree) {
    long total = 0;
    long files = 0;
    Set<TreeNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<TreeNode> pending = new ArrayDeque<>();
    pending.push(tree.root());
    while (!pending.isEmpty()) {
      TreeNode node = pending.pop();
      if (!seen.add(node)) {
        continue;
      }
      if (node.kind() == TreeNode.Kind.DIRECTORY) {
        total += BLOCK + INODE;
        pending.addAll(node.children().values());
      } else {
        long size = node.kind() == TreeNode.Kind.FILE ? node.content().size() : 0;
        total += (size + BLOCK - 1) / BLOCK * BLOCK + INODE;
        files += size;
      }
    }
    return new ContentSize(total, files);
  }
}
