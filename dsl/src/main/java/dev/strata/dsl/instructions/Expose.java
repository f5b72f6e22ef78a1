package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * {@code EXPOSE}: ports as written, sorted (BuildKit sorts at parse time); each is expanded with
 * word splitting, so one variable may yield several ports.
 */
public record Expose(SourceSpan location, List<String> ports) implements Instruction, Expandable {

  public Expose {
    ports = ImmutableList.copyOf(ports);
  }

  @Override
  public Expose expand(WordExpander expander) {
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (String port : ports) {
      out.addAll(expander.words(port));
    }
    return new Expose(location, out.build());
  }
}
