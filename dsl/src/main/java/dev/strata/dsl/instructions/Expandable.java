package dev.strata.dsl.instructions;

/**
 * An instruction that substitutes variables in some of its words (BuildKit's {@code
 * SupportsSingleWordExpansion}); which words is the instruction's own rule.
 */
public interface Expandable {

  /** A copy of this instruction with its expandable words expanded by {@code expander}. */
  Instruction expand(WordExpander expander);
}
