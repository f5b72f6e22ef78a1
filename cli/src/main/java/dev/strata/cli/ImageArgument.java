package dev.strata.cli;

import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.disk.image.StoredImage;
import dev.strata.graph.project.ImageConfig;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code NODE|REF} argument of the image commands and the options that say where to look: a
 * node of the project's strata.yaml names its stored image ({@code <registry>/<image>:<first
 * tag>}); anything else is an image reference in the store.
 */
final class ImageArgument {
  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "The local image store (default: $XDG_DATA_HOME/strata).")
  Path store;

  @Option(
      names = "--project",
      paramLabel = "DIR",
      description = "The project folder whose strata.yaml names the nodes (default: .).")
  Path project = Path.of(".");

  OciLayoutStore openStore() throws IOException {
    return OciLayoutStore.open(store != null ? store : OciLayoutStore.defaultRoot());
  }

  /** The store reference {@code nodeOrRef} stands for. */
  String reference(String nodeOrRef) throws IOException {
    if (Files.isRegularFile(project.resolve(ProjectConfig.FILE_NAME))) {
      ProjectConfig config = ProjectLoader.load(project);
      ImageConfig node = config.images().get(nodeOrRef);
      if (node != null) {
        String tag = node.tags().isEmpty() ? "latest" : node.tags().get(0);
        return config.imageReference(node, tag);
      }
    }
    return nodeOrRef;
  }

  /** The stored image {@code nodeOrRef} names. */
  StoredImage open(String nodeOrRef) throws IOException {
    return StoredImage.open(openStore(), reference(nodeOrRef));
  }

  /** The project's registry, if strata.yaml names one. */
  Optional<String> registry() throws IOException {
    if (Files.isRegularFile(project.resolve(ProjectConfig.FILE_NAME))) {
      return ProjectLoader.load(project).registry();
    }
    return Optional.empty();
  }
}
