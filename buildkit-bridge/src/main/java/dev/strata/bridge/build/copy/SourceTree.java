package dev.strata.bridge.build.copy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where COPY and ADD read from: the build context or another image's root filesystem. Paths are
 * relative to the tree's root, clean, {@code /}-separated, with {@code ""} for the root itself.
 */
public interface SourceTree {

  /** The file on disk that holds {@code path} literally (no symlink followed), if present. */
  Optional<Path> file(String path) throws IOException;

  /** The visible children of the directory {@code path}, sorted. */
  List<String> children(String path) throws IOException;

  /**
   * {@code path} with every symlink in it resolved inside the tree.
   *
   * @throws CopyException when resolving it would leave the tree
   */
  String resolve(String path) throws IOException, CopyException;

  /** Whether this tree's files keep their owners when copied (true for images). */
  boolean keepsOwners();

  /** How the tree is named in errors ({@code build context}, {@code stage builder}). */
  String description();
}
