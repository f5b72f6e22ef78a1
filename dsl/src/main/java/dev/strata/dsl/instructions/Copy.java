package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * {@code COPY}: source paths, heredoc sources, destination, {@code --from} (a stage name, index or
 * image; never expanded), {@code --chown}, {@code --chmod}, {@code --link}, {@code --parents} and
 * {@code --exclude} patterns.
 */
public record Copy(
    SourceSpan location,
    List<String> sources,
    List<InlineSource> inlineSources,
    String destination,
    Optional<String> from,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean parents,
    List<String> excludes)
    implements Instruction, Expandable {

  public Copy {
    sources = ImmutableList.copyOf(sources);
    inlineSources = ImmutableList.copyOf(inlineSources);
    excludes = ImmutableList.copyOf(excludes);
  }

  /** Expands chown, chmod, sources, destination and unquoted heredoc bodies; checks chmod. */
  @Override
  public Copy expand(WordExpander expander) {
    Optional<String> newChown = chown.map(expander::word);
    Optional<String> newChmod = chmod.map(expander::word);
    newChmod.ifPresent(FileMode::check);
    return new Copy(
        location,
        sources.stream().map(expander::word).collect(ImmutableList.toImmutableList()),
        InlineSources.expand(inlineSources, expander),
        expander.word(destination),
        from,
        newChown,
        newChmod,
        link,
        parents,
        excludes);
  }
}
