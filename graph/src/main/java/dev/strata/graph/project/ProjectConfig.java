package dev.strata.graph.project;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Strata project: its folder, the strata.yaml it came from (empty when the images were
 * discovered), the registry and mirrors, the signing key, the images in declaration order, and how
 * the layers it builds are compressed.
 */
public record ProjectConfig(
    Path directory,
    Optional<Path> projectFile,
    Optional<String> registry,
    Map<String, String> mirrors,
    Optional<String> signingKey,
    List<String> insecureRegistries,
    Map<String, ImageConfig> images,
    LayerCompression compression) {

  /** The project file name. */
  public static final String FILE_NAME = "strata.yaml";

  public ProjectConfig {
    mirrors = ImmutableMap.copyOf(mirrors);
    insecureRegistries = ImmutableList.copyOf(insecureRegistries);
    images = ImmutableMap.copyOf(images);
    java.util.Objects.requireNonNull(compression, "compression");
  }

  /** A project whose layers are gzipped (the default). */
  public ProjectConfig(
      Path directory,
      Optional<Path> projectFile,
      Optional<String> registry,
      Map<String, String> mirrors,
      Optional<String> signingKey,
      List<String> insecureRegistries,
      Map<String, ImageConfig> images) {
    this(
        directory,
        projectFile,
        registry,
        mirrors,
        signingKey,
        insecureRegistries,
        images,
        LayerCompression.GZIP);
  }

  /** This project with its layers compressed as {@code choice} (e.g. a command-line override). */
  public ProjectConfig withCompression(LayerCompression choice) {
    return new ProjectConfig(
        directory, projectFile, registry, mirrors, signingKey, insecureRegistries, images, choice);
  }

  /** Where strata.lock lives: beside strata.yaml, or in the project folder. */
  public Path lockFile() {
    return directory.resolve("strata.lock");
  }

  /** The reference a node's result is stored under for {@code tag}. */
  public String imageReference(ImageConfig image, String tag) {
    return registry.map(r -> r + "/").orElse("") + image.image() + ":" + tag;
  }
}
