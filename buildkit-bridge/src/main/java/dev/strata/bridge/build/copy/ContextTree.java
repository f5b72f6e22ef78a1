package dev.strata.bridge.build.copy;

import dev.strata.dsl.ignore.IgnoreRules;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The build context as COPY and ADD see it: the context folder minus what {@code
 * .containerignore}/{@code .dockerignore} excludes. Nothing outside it can be read: a source that
 * climbs out with {@code ..}, or a symlink whose target lies outside, is refused.
 */
public final class ContextTree implements SourceTree {
  private static final int MAX_SYMLINKS = 40;

  private final Path root;
  private final IgnoreRules rules;

  public ContextTree(Path root, IgnoreRules rules) throws IOException {
    this.root = root.toRealPath();
    this.rules = rules;
  }

  /** The context at {@code root} with the ignore file that applies to {@code containerfile}. */
  public static ContextTree forBuild(Path root, Path containerfile) throws IOException {
    return new ContextTree(root, IgnoreRules.forContext(root, containerfile));
  }

  @Override
  public Optional<Path> file(String path) {
    if (!path.isEmpty() && rules.excludes(path)) {
      return Optional.empty();
    }
    Path file = path.isEmpty() ? root : root.resolve(path);
    return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public List<String> children(String path) throws IOException {
    Path dir = path.isEmpty() ? root : root.resolve(path);
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return names;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        String name = child.getFileName().toString();
        String rel = path.isEmpty() ? name : path + "/" + name;
        boolean dir2 = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
        if (!rules.excludes(rel) || (dir2 && rules.mayReincludeUnder(rel))) {
          names.add(name);
        }
      }
    }
    names.sort(null);
    return names;
  }

  @Override
  public String resolve(String path) throws IOException, CopyException {
    Deque<String> pending = new ArrayDeque<>(parts(path));
    List<String> done = new ArrayList<>();
    int hops = 0;
    String via = null;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.equals("..")) {
        if (done.isEmpty()) {
          throw outside(path, via);
        }
        done.remove(done.size() - 1);
        continue;
      }
      done.add(part);
      Path file = root.resolve(String.join("/", done));
      if (Files.isSymbolicLink(file)) {
        if (++hops > MAX_SYMLINKS) {
          throw new CopyException("too many levels of symbolic links in " + path);
        }
        String target = Files.readSymbolicLink(file).toString();
        via = String.join("/", done) + " -> " + target;
        if (target.startsWith("/")) {
          throw outside(path, via);
        }
        done.remove(done.size() - 1);
        List<String> more = parts(target);
        for (int i = more.size() - 1; i >= 0; i--) {
          pending.addFirst(more.get(i));
        }
      }
    }
    return String.join("/", done);
  }

  private CopyException outside(String path, String via) {
    return new CopyException(
        via == null
            ? "'" + path + "' is outside the build context " + root
            : "'"
                + path
                + "' follows the symlink "
                + via
                + ", which points outside the build context "
                + root
                + "; copy the target into the context instead");
  }

  private static List<String> parts(String path) {
    List<String> out = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty() && !p.equals(".")) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public boolean keepsOwners() {
    return false;
  }

  @Override
  public String description() {
    return "the build context";
  }
}
