package dev.strata.bridge.rootfs;

import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an image's merged root filesystem straight from its {@link LayerStack}, as overlayfs would
 * show it, without mounting: the topmost layer that has a path wins, a whiteout hides the path
 * below, an opaque directory hides everything below it in lower layers, and a non-directory hides a
 * directory of the same name below. Paths are image paths ({@code /etc/passwd} or {@code
 * etc/passwd}).
 */
public final class RootfsView {
  private static final int MAX_SYMLINKS = 40;
  private static final String OPAQUE_XATTR = "trusted.overlay.opaque";

  private final List<Path> topFirst;

  public RootfsView(LayerStack stack) {
    this(stack.topFirst());
  }

  private RootfsView(List<Path> topFirst) {
    this.topFirst = List.copyOf(topFirst);
  }

  /**
   * The view of layer directories given bottom first, for callers that hold directories without
   * their diffIDs (a RUN's overlay lowers).
   */
  public static RootfsView ofDirectories(List<Path> bottomFirst) {
    List<Path> top = new ArrayList<>(bottomFirst);
    java.util.Collections.reverse(top);
    return new RootfsView(top);
  }

  /** The layer directories, bottom first, as overlay would stack them. */
  public List<Path> layersBottomFirst() {
    List<Path> bottom = new ArrayList<>(topFirst);
    java.util.Collections.reverse(bottom);
    return bottom;
  }

  /** Whether {@code path} is visible (literally, no symlink followed). */
  public boolean exists(String path) throws IOException {
    return lookup(path).isPresent();
  }

  private enum Status {
    FOUND,
    HIDDEN,
    ABSENT
  }

  private record Hit(Status status, Path file, boolean opaqueAbove) {}

  /** The file that {@code path} names, literally (no symlink is followed), if visible. */
  public Optional<Path> lookup(String path) throws IOException {
    List<String> parts = components(path);
    if (parts.isEmpty()) {
      return topFirst.isEmpty() ? Optional.empty() : Optional.of(topFirst.get(0));
    }
    for (Path layer : topFirst) {
      Hit hit = inLayer(layer, parts);
      if (hit.status == Status.FOUND) {
        return Optional.of(hit.file);
      }
      if (hit.status == Status.HIDDEN || hit.opaqueAbove) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Where {@code path} lands once symlinks are resolved inside the image, as an image path. */
  public String resolve(String path, boolean followLast) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components(path));
    List<String> done = new ArrayList<>();
    int hops = 0;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      done.add(part);
      if (pending.isEmpty() && !followLast) {
        break;
      }
      Optional<Path> file = lookup(String.join("/", done));
      if (file.isPresent() && Files.isSymbolicLink(file.get())) {
        if (++hops > MAX_SYMLINKS) {
          throw new IOException("too many levels of symbolic links resolving " + path);
        }
        String target = Files.readSymbolicLink(file.get()).toString();
        done.remove(done.size() - 1);
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> more = components(target);
        for (int i = more.size() - 1; i >= 0; i--) {
          pending.addFirst(more.get(i));
        }
      }
    }
    return "/" + String.join("/", done);
  }

  /** The file at {@code path} with every symlink (the last one too) resolved inside the image. */
  public Optional<Path> follow(String path) throws IOException {
    return lookup(resolve(path, true));
  }

  /** The bytes of a file, following symlinks inside the image; empty if it is not a file. */
  public Optional<byte[]> read(String path) throws IOException {
    Optional<Path> file = follow(path);
    if (file.isEmpty() || !Files.isRegularFile(file.get(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(Files.readAllBytes(file.get()));
  }

  /** The visible names in the directory {@code path} (literal), sorted; empty if none. */
  public List<String> list(String path) throws IOException {
    List<String> parts = components(path);
    Set<String> decided = new HashSet<>();
    TreeSet<String> visible = new TreeSet<>();
    for (Path layer : topFirst) {
      Path dir;
      boolean opaque;
      if (parts.isEmpty()) {
        dir = layer;
        opaque = false;
      } else {
        Hit hit = inLayer(layer, parts);
        if (hit.status == Status.HIDDEN) {
          break;
        }
        if (hit.status == Status.ABSENT) {
          if (hit.opaqueAbove) {
            break;
          }
          continue;
        }
        dir = hit.file;
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          break;
        }
        opaque = isOpaque(dir) || hit.opaqueAbove;
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (decided.add(name) && !isWhiteout(child)) {
            visible.add(name);
          }
        }
      }
      if (opaque && !parts.isEmpty()) {
        break;
      }
    }
    return new ArrayList<>(visible);
  }

  /** Where {@code parts} stands in one layer. */
  private static Hit inLayer(Path layer, List<String> parts) throws IOException {
    Path current = layer;
    boolean opaqueAbove = false;
    for (int i = 0; i < parts.size(); i++) {
      current = current.resolve(parts.get(i));
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        return new Hit(Status.ABSENT, null, opaqueAbove);
      }
      if (isWhiteout(current)) {
        return new Hit(Status.HIDDEN, null, opaqueAbove);
      }
      if (i == parts.size() - 1) {
        return new Hit(Status.FOUND, current, opaqueAbove);
      }
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        return new Hit(Status.HIDDEN, null, opaqueAbove);
      }
      if (isOpaque(current)) {
        opaqueAbove = true;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Whether {@code file} is an overlay whiteout: a character device 0/0. */
  public static boolean isWhiteout(Path file) throws IOException {
    Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if (((Integer) mode & 0170000) != Posix.S_IFCHR) {
      return false;
    }
    long rdev = (Long) Files.getAttribute(file, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    return rdev == 0;
  }

  /** Whether {@code dir} is an overlay opaque directory ({@code trusted.overlay.opaque=y}). */
  public static boolean isOpaque(Path dir) throws IOException {
    byte[] value = Posix.lgetxattr(dir, OPAQUE_XATTR);
    return value != null && Arrays.equals(value, new byte[] {'y'});
  }

  /** The non-empty, non-{@code .} components of an image path ({@code ..} kept). */
  public static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }
}
