package dev.strata.disk.lint;

import dev.strata.bridge.rootfs.RootfsView;
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

/**
 * The image a rule looks at: its root filesystem, read through a {@link RootfsView} (the image's
 * extracted layers merged as overlayfs would, or one flattened folder), and its config labels.
 * Paths are image paths like {@code usr/etc}; symlinks in the folders above a path are resolved
 * inside the image, never out of it, and the last component is never followed.
 */
final class LintedImage {
  private final RootfsView rootfs;
  private final Map<String, String> labels;

  /** The merged rootfs the rule reads. */
  RootfsView view() {
    return rootfs;
  }

  LintedImage(RootfsView rootfs, Map<String, String> labels) {
    this.rootfs = rootfs;
    this.labels = Map.copyOf(labels);
  }

  Map<String, String> labels() {
    return labels;
  }

  /** The file {@code rel} names, the last component not followed; empty when not there. */
  private Optional<Path> entry(String rel) throws IOException {
    Optional<Path> literal = rootfs.lookup(rel);
    if (literal.isPresent()) {
      // found literally, so no folder above it is a symlink
      return literal;
    }
    String resolved = rootfs.resolve(rel, false);
    return resolved.equals("/" + rel) ? Optional.empty() : rootfs.lookup(resolved);
  }

  boolean isDirectory(String rel) throws IOException {
    Optional<Path> p = entry(rel);
    return p.isPresent() && Files.isDirectory(p.get(), LinkOption.NOFOLLOW_LINKS);
  }

  boolean isSymbolicLink(String rel) throws IOException {
    Optional<Path> p = entry(rel);
    return p.isPresent() && Files.isSymbolicLink(p.get());
  }

  boolean exists(String rel) throws IOException {
    return entry(rel).isPresent();
  }

  /** The names in a directory, sorted; empty when it is not a directory. */
  List<String> list(String rel) throws IOException {
    if (!isDirectory(rel)) {
      return List.of();
    }
    return rootfs.list(rootfs.resolve(rel, false));
  }

  /**
   * The image paths ({@code /var/log/dpkg.log}) of the non-empty regular files below the directory
   * {@code rel}, sorted; symlinked folders are not entered.
   */
  List<String> nonEmptyFiles(String rel) throws IOException {
    List<String> out = new ArrayList<>();
    collectFiles(rel, out);
    out.sort(null);
    return out;
  }

  private void collectFiles(String rel, List<String> out) throws IOException {
    for (String name : list(rel)) {
      String child = rel + "/" + name;
      Optional<Path> p = entry(child);
      if (p.isEmpty()) {
        continue;
      }
      if (Files.isDirectory(p.get(), LinkOption.NOFOLLOW_LINKS)) {
        collectFiles(child, out);
      } else if (Files.isRegularFile(p.get(), LinkOption.NOFOLLOW_LINKS) && nonEmpty(p.get())) {
        out.add("/" + child);
      }
    }
  }

  private static boolean nonEmpty(Path p) {
    try {
      return Files.size(p) > 0;
    } catch (IOException e) {
      return true;
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

  /** The text of a regular file, if it is one (a symlink is not). */
  Optional<String> read(String rel) throws IOException {
    Optional<Path> p = entry(rel);
    if (p.isEmpty() || !Files.isRegularFile(p.get(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(new String(Files.readAllBytes(p.get()), StandardCharsets.UTF_8));
  }

  /** The bytes of the file {@code rel} names, every symlink followed inside the image. */
  Optional<byte[]> readFollowing(String rel) throws IOException {
    return rootfs.read(rel);
  }
}
