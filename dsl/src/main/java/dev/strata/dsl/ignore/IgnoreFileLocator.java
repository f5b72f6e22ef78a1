package dev.strata.dsl.ignore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which ignore file applies to a build, in podman/buildah's order ({@code
 * pkg/parse.ContainerIgnoreFile}), which is a superset of BuildKit's:
 *
 * <ol>
 *   <li>{@code <containerfile>.dockerignore} next to the Containerfile;
 *   <li>{@code <containerfile>.containerignore} next to it (buildah checks this one first but lets
 *       the {@code .dockerignore} win when both exist);
 *   <li>{@code .containerignore} in the context root;
 *   <li>{@code .dockerignore} in the context root.
 * </ol>
 *
 * <p>A relative Containerfile path is resolved against the context directory, as buildah does.
 * BuildKit alone ({@code docker build}) reads only {@code <Dockerfile>.dockerignore} and then
 * {@code .dockerignore}; on every project where those are the only files present, both orders
 * agree.
 *
 * <p>Symbolic links are followed as the file system resolves them; buildah resolves the
 * context-root names with {@code securejoin}, which keeps a link inside the context.
 */
final class IgnoreFileLocator {
  private IgnoreFileLocator() {}

  static Optional<Path> locate(Path contextDir, Path containerfile) {
    Path file = containerfile.isAbsolute() ? containerfile : contextDir.resolve(containerfile);
    for (String suffix : new String[] {".dockerignore", ".containerignore"}) {
      Path beside = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(beside)) {
        return Optional.of(beside);
      }
    }
    for (String name : new String[] {".containerignore", ".dockerignore"}) {
      Path inContext = contextDir.resolve(name);
      if (Files.exists(inContext)) {
        return Optional.of(inContext);
      }
    }
    return Optional.empty();
  }
}
