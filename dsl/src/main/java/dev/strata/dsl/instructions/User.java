package dev.strata.dsl.instructions;

/** {@code USER user[:group]}; expanded. */
public record User(SourceSpan location, String user) implements Instruction, Expandable {

  @Override
  public User expand(WordExpander expander) {
    return new User(location, expander.word(user));
  }
}
