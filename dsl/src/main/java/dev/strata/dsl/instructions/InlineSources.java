package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** Expansion of COPY/ADD heredoc bodies, only those whose delimiter was unquoted. */
final class InlineSources {
  private InlineSources() {}

  static List<InlineSource> expand(List<InlineSource> sources, WordExpander expander) {
    return sources.stream()
        .map(s -> s.expand() ? new InlineSource(s.path(), expander.heredoc(s.data()), true) : s)
        .collect(ImmutableList.toImmutableList());
  }
}
