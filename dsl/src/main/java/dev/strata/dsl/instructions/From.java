package dev.strata.dsl.instructions;

import java.util.Optional;

/**
 * {@code FROM [--platform=p] image [AS name]}: the start of a stage. The image and platform are
 * expanded with the meta-ARGs only; the stage name is already lower-cased and validated.
 */
public record From(
    SourceSpan location,
    String image,
    Optional<String> platform,
    Optional<String> stageName,
    String docComment)
    implements Instruction, Expandable {

  @Override
  public From expand(WordExpander expander) {
    return new From(
        location, expander.word(image), platform.map(expander::word), stageName, docComment);
  }
}
