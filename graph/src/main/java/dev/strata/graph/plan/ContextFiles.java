package dev.strata.graph.plan;

import dev.strata.dsl.ignore.IgnoreRules;
import dev.strata.dsl.path.GoPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files of one build context that COPY, ADD and bind mounts can select ({@code
 * .containerignore} applied), with the content digest of each: mode, uid:gid and the sha256 of the
 * bytes (or the target of a symlink). mtime is left out: Strata's COPY layers normalise it.
 */
final class ContextFiles {
  private final Path context;
  private final Path containerfile;
  private List<String> files;
  private final Map<String, String> digests = new HashMap<>();

  ContextFiles(Path context, Path containerfile) {
    this.context = context;
    this.containerfile = containerfile;
  }

  /**
   * The files {@code source} (as written in COPY, relative to the context) selects: a path and
   * everything below it, or what a Go {@code filepath.Match} pattern resolves to element by element
   * and everything below that, as BuildKit's fsutil does. A source that selects nothing, or a
   * malformed pattern, is recorded as such so the key still changes when it starts to select.
   */
  SortedMap<String, String> select(String source) {
    String src = GoPath.clean("/" + source).substring(1);
    boolean all = src.isEmpty();
    boolean glob = GoPath.hasWildcards(src);
    SortedMap<String, String> selected = new TreeMap<>();
    try {
      for (String file : files()) {
        boolean match = all || selects(src, glob, file);
        if (match) {
          selected.put(file, digest(file));
        }
      }
    } catch (IllegalArgumentException malformed) {
      selected.clear();
      selected.put(src, "malformed pattern");
      return selected;
    }
    if (selected.isEmpty()) {
      selected.put(all ? "." : src, "missing");
    }
    return selected;
  }

  /**
   * Whether a COPY/ADD or bind-mount {@code source} selects the context path {@code file}, whether
   * or not it exists (a deleted file is selected by the sources that used to copy it).
   *
   * @throws IllegalArgumentException when the source is a malformed pattern
   */
  static boolean selects(String source, String file) {
    String src = GoPath.clean("/" + source).substring(1);
    return src.isEmpty() || selects(src, GoPath.hasWildcards(src), file);
  }

  private static boolean selects(String src, boolean glob, String file) {
    return glob ? GoPath.selects(src, file) : file.equals(src) || file.startsWith(src + "/");
  }

  /** Whether the context's ignore file leaves {@code file} out. */
  boolean ignored(String file) {
    try {
      return IgnoreRules.forContext(context, containerfile).excludes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> files() {
    if (files != null) {
      return files;
    }
    List<String> found = new ArrayList<>();
    try {
      if (!Files.isDirectory(context)) {
        files = found;
        return files;
      }
      IgnoreRules rules = IgnoreRules.forContext(context, containerfile);
      Files.walkFileTree(
          context,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String rel = relative(dir);
              if (!rel.isEmpty() && rules.excludes(rel) && !rules.mayReincludeUnder(rel)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String rel = relative(file);
              if (!attrs.isDirectory() && !rules.excludes(rel)) {
                found.add(rel);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(null);
    files = found;
    return files;
  }

  private String relative(Path path) {
    return context.relativize(path).toString().replace('\\', '/');
  }

  private String digest(String rel) {
    return digests.computeIfAbsent(rel, this::computeDigest);
  }

  private String computeDigest(String rel) {
    Path file = context.resolve(rel);
    try {
      String owner;
      int mode;
      try {
        mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        owner =
            Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                + ":"
                + Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      } catch (UnsupportedOperationException e) {
        mode = permissions(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
        owner = "0:0";
      }
      String content;
      if (Files.isSymbolicLink(file)) {
        content = "link:" + Files.readSymbolicLink(file);
      } else {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buffer = new byte[65536];
          for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            sha.update(buffer, 0, n);
          }
        }
        content = "sha256:" + HexFormat.of().formatHex(sha.digest());
      }
      return String.format("%04o %s %s", mode, owner, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int permissions(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
