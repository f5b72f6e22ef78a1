package dev.strata.disk.build;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * How many bytes a rootfs takes in ext4 with 4 KiB blocks: every file rounded up to a block, every
 * directory one block, every entry an inode (256 bytes) whatever its type.
 */
final class ContentSize {
  private static final long BLOCK = 4096;
  private static final long INODE = 256;

  private ContentSize() {}

  static long of(Path rootfs) throws IOException {
    long[] total = {0};
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
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }
}
