package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * One build stage: its FROM (base image text, platform, lower-cased name, doc comment), its 0-based
 * index, and the instructions after it up to the next FROM.
 */
public record Stage(int index, From from, List<Instruction> instructions) {

  public Stage {
    instructions = ImmutableList.copyOf(instructions);
  }

  /** The {@code AS} name, lower-cased. */
  public Optional<String> name() {
    return from.stageName();
  }

  /** The base image as written, before meta-ARG expansion. */
  public String baseImage() {
    return from.image();
  }

  /** The {@code --platform} value as written. */
  public Optional<String> platform() {
    return from.platform();
  }

  /** The doc comment of the FROM line ({@code # name description}), or {@code ""}. */
  public String docComment() {
    return from.docComment();
  }

  /** Where the FROM line is. */
  public SourceSpan location() {
    return from.location();
  }

  /** BuildKit's display name: the {@code AS} name or {@code stage-N}. */
  public String displayName() {
    return name().orElse("stage-" + index);
  }
}
