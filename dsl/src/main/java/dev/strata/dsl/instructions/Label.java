package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** {@code LABEL}: ordered key/value pairs, expanded like ENV's. */
public record Label(SourceSpan location, List<KeyValue> pairs, boolean legacyForm)
    implements Instruction, Expandable {

  public Label {
    pairs = ImmutableList.copyOf(pairs);
  }

  @Override
  public Label expand(WordExpander expander) {
    return new Label(location, KeyValues.expand(pairs, expander), legacyForm);
  }
}
