package dev.strata.disk.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The image a rule looks at: its flattened rootfs and its config labels. Paths are resolved inside
 * the rootfs without following symlinks out of it.
 */
record LintedImage(Path rootfs, Map<String, String> labels) {
  LintedImage {
    labels = Map.copyOf(labels);
  }

  /** {@code rel} (like {@code usr/etc}) inside the rootfs, never followed if it is a symlink. */
  Path path(String rel) {
    return rootfs.resolve(rel);
  }

  boolean isDirectory(String rel) {
    return Files.isDirectory(path(rel), LinkOption.NOFOLLOW_LINKS);
  }

  boolean exists(String rel) {
    return Files.exists(path(rel), LinkOption.NOFOLLOW_LINKS);
  }

  /** The names in a directory, sorted; empty when it is not a directory. */
  List<String> list(String rel) throws IOException {
    if (!isDirectory(rel)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(path(rel))) {
      return children.map(c -> c.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * The lines of every {@code *.conf} in the given drop-in folders (like {@code
   * usr/lib/tmpfiles.d}), without comments and blank lines. A file in a later folder replaces one
   * of the same name.
   */
  List<String> dropInLines(String... folders) throws IOException {
    Map<String, String> byName = new TreeMap<>();
    for (String folder : folders) {
      for (String name : list(folder)) {
        if (name.endsWith(".conf")) {
          byName.put(name, folder + "/" + name);
        }
      }
    }
    List<String> lines = new ArrayList<>();
    for (String file : byName.values()) {
      // a drop-in may be a symlink to /dev/null (masked) or elsewhere; only regular files count
      for (String line : read(file).orElse("").split("\\n")) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          lines.add(trimmed);
        }
      }
    }
    return lines;
  }

  /** The text of a regular file, if it is one. */
  Optional<String> read(String rel) throws IOException {
    Path p = path(rel);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
  }
}
