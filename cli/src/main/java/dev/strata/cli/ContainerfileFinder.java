package dev.strata.cli;

import dev.strata.graph.project.Containerfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands command-line paths into Containerfiles: a file is taken as given; a folder yields every
 * Containerfile below it (see {@link Containerfiles#isContainerfileName}).
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
      List<Path> found = Containerfiles.below(path, Containerfiles::isContainerfileName);
      if (found.isEmpty()) {
        throw new IOException(
            "no Containerfile or Dockerfile under " + path + " (name a file instead)");
      }
      files.addAll(found);
    }
    return files;
  }
}
