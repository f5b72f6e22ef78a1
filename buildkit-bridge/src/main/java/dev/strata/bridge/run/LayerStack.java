package dev.strata.bridge.run;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merged view of extracted layer directories in overlay form (whiteouts as 0/0 character
 * devices, opaque directories marked {@code trusted.overlay.opaque=y}, as {@code LayerExtractor}
 * writes them in {@code WhiteoutMode.OVERLAY}), read without mounting: which file a path shows, and
 * where a path leads once symlinks are followed inside the root.
 */
final class LayerStack {
  static final String OPAQUE_XATTR = "trusted.overlay.opaque";
  private static final int MAX_SYMLINKS = 40;

  /** Top layer first, as overlay's {@code lowerdir} lists them. */
  private final List<Path> topFirst;

  private LayerStack(List<Path> topFirst) {
    this.topFirst = topFirst;
  }

  /** The stack of {@code bottomFirst} layers (the order an image lists them). */
  static LayerStack ofBottomFirst(List<Path> bottomFirst) {
    List<Path> top = new ArrayList<>(bottomFirst);
    java.util.Collections.reverse(top);
    return new LayerStack(List.copyOf(top));
  }

  List<Path> topFirst() {
    return topFirst;
  }

  /**
   * The file {@code rel} shows in the merged view (never following a symlink at any component), or
   * empty when no layer has it, or a whiteout, opaque directory or non-directory above hides it.
   */
  Optional<Path> find(String rel) throws IOException {
    if (rel.isEmpty()) {
      return topFirst.isEmpty() ? Optional.empty() : Optional.of(topFirst.get(0));
    }
    String[] parts = rel.split("/");
    for (Path layer : topFirst) {
      Path current = layer;
      boolean opaqueAbove = false;
      for (int i = 0; i < parts.length; i++) {
        current = current.resolve(parts[i]);
        BasicFileAttributes a = attributes(current);
        if (a == null) {
          break;
        }
        if (isWhiteout(current, a)) {
          return Optional.empty();
        }
        if (i == parts.length - 1) {
          return Optional.of(current);
        }
        if (!a.isDirectory()) {
          return Optional.empty();
        }
        if (isOpaque(current)) {
          opaqueAbove = true;
        }
      }
      if (opaqueAbove) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Whether {@code rel} exists in the merged view. */
  boolean exists(String rel) throws IOException {
    return find(rel).isPresent();
  }

  /**
   * {@code rel} with every symlink resolved inside the root, as a runtime resolves a mount
   * destination: absolute targets restart at the root and {@code ..} never climbs above it. The
   * last component is resolved too; components that do not exist are kept as they are.
   */
  String resolveInRoot(String rel) throws IOException {
    Deque<String> pending = new ArrayDeque<>(split(rel));
    List<String> resolved = new ArrayList<>();
    int hops = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      resolved.add(part);
      Optional<Path> file = find(String.join("/", resolved));
      if (file.isPresent() && Files.isSymbolicLink(file.get())) {
        if (++hops > MAX_SYMLINKS) {
          throw new IOException("too many levels of symbolic links resolving /" + rel);
        }
        String target = Files.readSymbolicLink(file.get()).toString();
        resolved.remove(resolved.size() - 1);
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> more = split(target);
        for (int i = more.size() - 1; i >= 0; i--) {
          pending.addFirst(more.get(i));
        }
      }
    }
    return String.join("/", resolved);
  }

  /** {@code /a/./b/} as {@code [a, b]}, keeping {@code ..} for the caller. */
  static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty() && !p.equals(".")) {
        parts.add(p);
      }
    }
    return parts;
  }

  static boolean isWhiteout(Path file, BasicFileAttributes a) throws IOException {
    if (!a.isOther()) {
      return false;
    }
    Map<String, Object> unix =
        Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) unix.get("mode") & 0170000) == Posix.S_IFCHR && (Long) unix.get("rdev") == 0;
  }

  static boolean isOpaque(Path dir) throws IOException {
    byte[] value = Posix.lgetxattr(dir, OPAQUE_XATTR);
    return value != null && value.length == 1 && value[0] == 'y';
  }

  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
