package dev.strata.dsl.ignore;

import dev.strata.dsl.path.GoPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of one {@code .containerignore}/{@code .dockerignore} file, answering which paths of a
 * build context are left out exactly as BuildKit (moby/patternmatcher and tonistiigi/fsutil) does.
 *
 * <p>A path is excluded when the last pattern that matches it, or matches one of its parent
 * directories, is not an exception ({@code !pattern}); patterns are read top to bottom. Instances
 * are immutable and safe to share between threads.
 */
public final class IgnoreRules {
  private static final IgnoreRules NONE = new IgnoreRules(null, List.of());

  /** fsutil's {@code patternChars} on a {@code /}-separated host. */
  private static final String WILDCARD_CHARS = "*[]?^\\";

  private final Path source;
  private final List<CompiledPattern> compiled;
  private final List<IgnorePattern> patterns;
  private final boolean hasExceptions;
  private final boolean onlyPrefixExceptions;

  private IgnoreRules(Path source, List<CompiledPattern> compiled) {
    this.source = source;
    this.compiled = List.copyOf(compiled);
    this.patterns = compiled.stream().map(CompiledPattern::source).toList();
    this.hasExceptions = patterns.stream().anyMatch(IgnorePattern::exclusion);
    this.onlyPrefixExceptions =
        patterns.stream()
            .filter(IgnorePattern::exclusion)
            .noneMatch(p -> containsAny(withoutTrailingGlob(p.text()), WILDCARD_CHARS));
  }

  /**
   * Reads the text of an ignore file.
   *
   * @throws dev.strata.dsl.ContainerfileException for a malformed pattern, at {@code fileName} and
   *     the pattern's 1-based line
   */
  public static IgnoreRules parse(String fileName, String content) {
    return new IgnoreRules(null, IgnoreFileReader.read(fileName, content));
  }

  /** No rules: nothing is excluded. */
  public static IgnoreRules none() {
    return NONE;
  }

  /**
   * Reads the ignore file that applies to a build of {@code containerfile} in {@code contextDir},
   * or returns {@link #none()} when there is none. Precedence, from podman/buildah: {@code
   * <containerfile>.dockerignore}, {@code <containerfile>.containerignore}, then {@code
   * .containerignore} and {@code .dockerignore} in the context root. A relative {@code
   * containerfile} is taken relative to {@code contextDir}. Errors name the file relative to the
   * context when it lies inside it.
   */
  public static IgnoreRules forContext(Path contextDir, Path containerfile) throws IOException {
    Optional<Path> found = IgnoreFileLocator.locate(contextDir, containerfile);
    if (found.isEmpty()) {
      return NONE;
    }
    Path file = found.get();
    // Go reads bytes; undecodable ones become U+FFFD here rather than failing the build.
    String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Path shown =
        file.normalize().startsWith(contextDir.normalize())
            ? contextDir.normalize().relativize(file.normalize())
            : file;
    return new IgnoreRules(file, IgnoreFileReader.read(shown.toString(), content));
  }

  /** The file the rules were read from, if they came from one. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /** The patterns in file order. */
  public List<IgnorePattern> patterns() {
    return patterns;
  }

  /**
   * Whether the slash-separated, context-relative path (no leading slash) is excluded:
   * patternmatcher's {@code MatchesOrParentMatches}. Each pattern is tried against the path and
   * then against each of its parent directories, shortest first; an exception is only tried once
   * the path is excluded, an exclusion only while it is not, and the last match wins.
   *
   * <p>fsutil's context walk uses {@code MatchesUsingParentResults}, which differs in one corner:
   * an exception that matches only a parent directory, where that parent was itself never excluded
   * (e.g. {@code a/b} then {@code !a}), re-includes {@code a/b} here but not in the walk.
   */
  public boolean excludes(String relativePath) {
    Objects.requireNonNull(relativePath, "relativePath");
    if (compiled.isEmpty()) {
      return false;
    }
    String parent = GoPath.dir(relativePath);
    String[] parentDirs = parent.equals(".") ? null : parent.split("/", -1);
    boolean matched = false;
    for (CompiledPattern pattern : compiled) {
      // An exclusion cannot change an unmatched path, nor an inclusion a matched one.
      if (pattern.exclusion() != matched) {
        continue;
      }
      boolean match = pattern.matches(relativePath);
      if (!match && parentDirs != null) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parentDirs.length && !match; i++) {
          if (i > 0) {
            prefix.append('/');
          }
          prefix.append(parentDirs[i]);
          match = pattern.matches(prefix.toString());
        }
      }
      if (match) {
        matched = !pattern.exclusion();
      }
    }
    return matched;
  }

  /**
   * Whether a walker must still descend into {@code relativeDir} after finding it excluded, because
   * an exception could re-include something below it. This is fsutil's rule for skipping a
   * directory: never descend when there are no exceptions; always descend when any exception, after
   * dropping a trailing {@code /**} and then {@code /*}, still has one of {@code *[]?^\}; otherwise
   * descend only when such a trimmed exception lies at or below the directory. The answer does not
   * depend on whether the directory itself is excluded.
   */
  public boolean mayReincludeUnder(String relativeDir) {
    if (!hasExceptions) {
      return false;
    }
    if (!onlyPrefixExceptions) {
      return true;
    }
    String dirSlash = relativeDir + "/";
    for (IgnorePattern pattern : patterns) {
      if (pattern.exclusion() && (withoutTrailingGlob(pattern.text()) + "/").startsWith(dirSlash)) {
        return true;
      }
    }
    return false;
  }

  private static String withoutTrailingGlob(String pattern) {
    String trimmed = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) : pattern;
    return trimmed.endsWith("/*") ? trimmed.substring(0, trimmed.length() - 2) : trimmed;
  }

  private static boolean containsAny(String text, String chars) {
    return text.chars().anyMatch(c -> chars.indexOf(c) >= 0);
  }

  @Override
  public String toString() {
    return "IgnoreRules" + (source == null ? "" : "[" + source + "]") + patterns;
  }
}
