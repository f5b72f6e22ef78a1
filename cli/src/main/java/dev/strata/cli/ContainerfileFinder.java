package dev.strata.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Expands command-line paths into Containerfiles: a file is taken as given; a folder yields every
 * {@code Containerfile}/{@code Dockerfile} (also {@code *.containerfile}, {@code Containerfile.*}
 * and the Dockerfile equivalents) below it, skipping hidden folders and build output.
 */
final class ContainerfileFinder {
  private ContainerfileFinder() {}

  static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.isDirectory(path)) {
        files.add(path);
        continue;
      }
      List<Path> found = new ArrayList<>();
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              boolean skipped =
                  !dir.equals(path)
                      && (name.startsWith(".") || name.equals("target") || name.equals("output"));
              return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && isContainerfileName(file.getFileName().toString())) {
                found.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
      if (found.isEmpty()) {
        throw new IOException(
            "no Containerfile or Dockerfile under " + path + " (name a file instead)");
      }
      found.sort(null);
      files.addAll(found);
    }
    return files;
  }

  static boolean isContainerfileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String base : List.of("containerfile", "dockerfile")) {
      if (lower.equals(base) || lower.startsWith(base + ".") || lower.endsWith("." + base)) {
        return !lower.endsWith(".containerignore") && !lower.endsWith(".dockerignore");
      }
    }
    return false;
  }
}
