package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** {@code VOLUME}: mount points, each expanded as one word. */
public record Volume(SourceSpan location, List<String> volumes) implements Instruction, Expandable {

  public Volume {
    volumes = ImmutableList.copyOf(volumes);
  }

  @Override
  public Volume expand(WordExpander expander) {
    return new Volume(
        location, volumes.stream().map(expander::word).collect(ImmutableList.toImmutableList()));
  }
}
