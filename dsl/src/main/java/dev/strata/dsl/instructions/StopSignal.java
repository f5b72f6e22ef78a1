package dev.strata.dsl.instructions;

/** {@code STOPSIGNAL signal}; expanded. */
public record StopSignal(SourceSpan location, String signal) implements Instruction, Expandable {

  @Override
  public StopSignal expand(WordExpander expander) {
    return new StopSignal(location, expander.word(signal));
  }
}
