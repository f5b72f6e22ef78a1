package dev.strata.graph.project;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Finding Containerfiles in a folder tree, the one walk both project discovery and {@code strata
 * parse DIR} use: hidden folders and build output ({@code target}, {@code output}) are skipped,
 * results are sorted.
 */
public final class Containerfiles {
  private Containerfiles() {}

  /** The regular files below {@code dir} whose file name {@code accepts}, sorted. */
  public static List<Path> below(Path dir, Predicate<String> accepts) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            String name = d.getFileName() == null ? "" : d.getFileName().toString();
            boolean skipped =
                !d.equals(dir)
                    && (name.startsWith(".") || name.equals("target") || name.equals("output"));
            return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && accepts.test(file.getFileName().toString())) {
              found.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(null);
    return found;
  }

  /** {@code Containerfile} or {@code Dockerfile}, any case: the name that makes a folder a node. */
  public static boolean isDefaultName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals("containerfile") || lower.equals("dockerfile");
  }

  /**
   * Any Containerfile name: the defaults, {@code Containerfile.*}, {@code *.containerfile} and the
   * Dockerfile equivalents, but not their ignore files.
   */
  public static boolean isContainerfileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String base : List.of("containerfile", "dockerfile")) {
      if (lower.equals(base) || lower.startsWith(base + ".") || lower.endsWith("." + base)) {
        return !lower.endsWith(".containerignore") && !lower.endsWith(".dockerignore");
      }
    }
    return false;
  }
}
