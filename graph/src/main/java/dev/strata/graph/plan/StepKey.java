package dev.strata.graph.plan;

import com.google.common.collect.ImmutableSortedMap;
import java.util.SortedMap;

/**
 * The cache key of one build step and what went into it: its 1-based number in the node, its stage,
 * the instruction as written (for people), its canonical form after expansion, its inputs ({@code
 * file:PATH}, {@code arg:NAME}, {@code base:REF}, {@code parent:NODE}, {@code stage:NAME}, {@code
 * image:REF} → digest or value) and the chained key.
 */
public record StepKey(
    int number,
    String stage,
    String text,
    String canonical,
    SortedMap<String, String> inputs,
    String key) {

  public StepKey {
    inputs = ImmutableSortedMap.copyOf(inputs);
  }
}
