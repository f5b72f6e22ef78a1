package dev.strata.dsl.instructions;

/** {@code WORKDIR path}: the working directory for later instructions; expanded. */
public record Workdir(SourceSpan location, String path) implements Instruction, Expandable {

  @Override
  public Workdir expand(WordExpander expander) {
    return new Workdir(location, expander.word(path));
  }
}
