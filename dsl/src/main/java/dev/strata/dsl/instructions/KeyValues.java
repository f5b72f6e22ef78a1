package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** Expansion of ENV/LABEL pairs: the key, then the value, pair by pair. */
final class KeyValues {
  private KeyValues() {}

  static List<KeyValue> expand(List<KeyValue> pairs, WordExpander expander) {
    ImmutableList.Builder<KeyValue> out = ImmutableList.builder();
    for (KeyValue kv : pairs) {
      String key = expander.word(kv.key());
      out.add(new KeyValue(key, expander.word(kv.value())));
    }
    return out.build();
  }
}
