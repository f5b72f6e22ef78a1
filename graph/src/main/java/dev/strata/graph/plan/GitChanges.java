package dev.strata.graph.plan;

import dev.strata.graph.GraphException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files a git change touches, read through the git CLI: everything that differs between {@code
 * REV} and the working tree (committed or not), plus untracked files that are not ignored.
 */
final class GitChanges {
  private final Path topLevel;
  private final Set<Path> changed;

  private GitChanges(Path topLevel, Set<Path> changed) {
    this.topLevel = topLevel;
    this.changed = changed;
  }

  static GitChanges since(Path directory, String revision) throws IOException {
    Path top = Path.of(run(directory, "rev-parse", "--show-toplevel").strip()).toRealPath();
    try {
      run(top, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
    } catch (GraphException e) {
      throw new GraphException(
          "--since " + revision + ": not a revision of the git repository at " + top);
    }
    Set<Path> changed = new LinkedHashSet<>();
    for (String line :
        run(top, "diff", "--name-only", "--no-renames", revision, "--").split("\n")) {
      if (!line.isBlank()) {
        changed.add(top.resolve(line).normalize());
      }
    }
    for (String line : run(top, "ls-files", "--others", "--exclude-standard").split("\n")) {
      if (!line.isBlank()) {
        changed.add(top.resolve(line).normalize());
      }
    }
    return new GitChanges(top, changed);
  }

  boolean changed(Path file) {
    return changed.contains(file);
  }

  /** The changed paths below {@code directory} that no longer exist in the working tree. */
  List<Path> deletedUnder(Path directory) {
    return changed.stream()
        .filter(
            path -> path.startsWith(directory) && !Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        .toList();
  }

  /** The file's text at {@code revision}, or empty if it did not exist there. */
  Optional<String> textAt(String revision, Path file) throws IOException {
    String rel = topLevel.relativize(file).toString().replace('\\', '/');
    try {
      return Optional.of(run(topLevel, "show", revision + ":" + rel));
    } catch (GraphException e) {
      return Optional.empty();
    }
  }

  Path topLevel() {
    return topLevel;
  }

  private static String run(Path directory, String... args) throws IOException {
    return GitCommand.run("--since", directory, args);
  }
}
