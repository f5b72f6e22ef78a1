package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ADD}: sources (local, URL or Git), heredoc sources, destination, {@code --chown}, {@code
 * --chmod}, {@code --link}, {@code --keep-git-dir}, {@code --checksum}, {@code --unpack} (absent
 * when not given) and {@code --exclude} patterns.
 */
public record Add(
    SourceSpan location,
    List<String> sources,
    List<InlineSource> inlineSources,
    String destination,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean keepGitDir,
    Optional<String> checksum,
    Optional<Boolean> unpack,
    List<String> excludes)
    implements Instruction, Expandable {

  public Add {
    sources = ImmutableList.copyOf(sources);
    inlineSources = ImmutableList.copyOf(inlineSources);
    excludes = ImmutableList.copyOf(excludes);
  }

  /**
   * Expands chown, chmod, checksum, sources, destination and unquoted heredoc bodies; then checks
   * chmod and that a checksum has exactly one HTTP(S) or Git source.
   */
  @Override
  public Add expand(WordExpander expander) {
    Optional<String> newChown = chown.map(expander::word);
    Optional<String> newChmod = chmod.map(expander::word);
    Optional<String> newChecksum = checksum.map(expander::word);
    List<String> newSources =
        sources.stream().map(expander::word).collect(ImmutableList.toImmutableList());
    String newDestination = expander.word(destination);
    newChmod.ifPresent(FileMode::check);
    if (newChecksum.isPresent() && !newChecksum.get().isEmpty()) {
      if (newSources.size() != 1) {
        throw new InstructionError("checksum can't be specified for multiple sources");
      }
      String src = newSources.get(0);
      if (!isHttpSource(src) && !isGitSource(src)) {
        throw new InstructionError("checksum requires HTTP(S) or Git sources", src);
      }
    }
    return new Add(
        location,
        newSources,
        InlineSources.expand(inlineSources, expander),
        newDestination,
        newChown,
        newChmod,
        link,
        keepGitDir,
        newChecksum,
        unpack,
        excludes);
  }

  /** Whether a source is fetched from a URL or a Git repository rather than the context. */
  public boolean hasRemoteSource() {
    return sources.stream().anyMatch(src -> isHttpSource(src) || isGitSource(src));
  }

  static boolean isHttpSource(String src) {
    return src.startsWith("http://") || src.startsWith("https://");
  }

  /** An approximation of BuildKit's {@code gitutil.ParseGitRef} for remote Git sources. */
  static boolean isGitSource(String src) {
    if (src.startsWith("git://") || src.startsWith("git@") || src.startsWith("ssh://")) {
      return true;
    }
    if (isHttpSource(src)) {
      String path = src.contains("#") ? src.substring(0, src.indexOf('#')) : src;
      return path.endsWith(".git");
    }
    return src.startsWith("github.com/");
  }
}
