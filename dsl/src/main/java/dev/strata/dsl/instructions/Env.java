package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * {@code ENV}: ordered key/value pairs; {@code legacyForm} when written {@code ENV key value}. Keys
 * and values expand, all against the environment from before this instruction.
 */
public record Env(SourceSpan location, List<KeyValue> pairs, boolean legacyForm)
    implements Instruction, Expandable {

  public Env {
    pairs = ImmutableList.copyOf(pairs);
  }

  @Override
  public Env expand(WordExpander expander) {
    return new Env(location, KeyValues.expand(pairs, expander), legacyForm);
  }
}
