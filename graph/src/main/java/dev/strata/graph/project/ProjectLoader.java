package dev.strata.graph.project;

import dev.strata.dsl.SourcePosition;
import dev.strata.graph.GraphException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a project from a folder: its strata.yaml when there is one, otherwise every {@code
 * Containerfile}/{@code Dockerfile} below the folder as a node named after its folder (context:
 * that folder; image: the node name).
 */
public final class ProjectLoader {
  private ProjectLoader() {}

  /** Loads the project in {@code directory} (a strata.yaml file may be given instead). */
  public static ProjectConfig load(Path directory) throws IOException {
    Path dir = directory;
    if (Files.isRegularFile(directory)
        && directory.getFileName().toString().equals(ProjectConfig.FILE_NAME)) {
      dir = directory.toAbsolutePath().getParent();
    }
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(directory.toString());
    }
    Path file = dir.resolve(ProjectConfig.FILE_NAME);
    if (Files.isRegularFile(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return ProjectFileReader.read(file, display(file), text);
    }
    return discover(dir);
  }

  /** Parses strata.yaml text as if it were {@code file} (used to compare with an older version). */
  public static ProjectConfig parse(Path file, String text) {
    return ProjectFileReader.read(file, display(file), text);
  }

  private static ProjectConfig discover(Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<Path> found = Containerfiles.below(root, Containerfiles::isDefaultName);
    if (found.isEmpty()) {
      throw new GraphException(
          "no strata.yaml, Containerfile or Dockerfile under "
              + dir
              + " (is this the project folder?)");
    }
    Map<String, ImageConfig> images = new LinkedHashMap<>();
    for (Path file : found) {
      Path folder = file.getParent();
      String name =
          Optional.ofNullable(folder.getFileName())
              .map(Path::toString)
              .orElse("image")
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^a-z0-9._-]", "-");
      ImageConfig previous = images.get(name);
      if (previous != null) {
        throw new GraphException(
            "two Containerfiles give the node name '"
                + name
                + "': "
                + display(previous.containerfile())
                + " and "
                + display(file)
                + " (keep one Containerfile a folder, or name them in strata.yaml)");
      }
      images.put(
          name,
          new ImageConfig(
              name,
              file,
              folder,
              name,
              List.of("latest"),
              List.of(),
              Map.of(),
              Optional.empty(),
              List.of(),
              SourcePosition.ofLine(display(file), 1)));
    }
    return new ProjectConfig(
        root, Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), List.of(), images);
  }

  /** A path as a user reads it: relative to the working folder when below it. */
  public static String display(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    try {
      return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    } catch (IllegalArgumentException e) {
      return absolute.toString();
    }
  }
}
