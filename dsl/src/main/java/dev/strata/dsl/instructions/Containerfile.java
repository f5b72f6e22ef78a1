package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import dev.strata.dsl.Warning;
import dev.strata.dsl.syntax.Directive;
import dev.strata.dsl.syntax.SyntaxTree;
import java.util.List;

/**
 * A Containerfile as typed instructions: the syntax tree it came from, the meta-ARGs (ARGs before
 * the first FROM), the stages, and every warning (the syntax layer's, then this layer's).
 */
public record Containerfile(
    SyntaxTree tree, List<Arg> metaArgs, List<Stage> stages, List<Warning> warnings) {

  public Containerfile {
    metaArgs = ImmutableList.copyOf(metaArgs);
    stages = ImmutableList.copyOf(stages);
    warnings = ImmutableList.copyOf(warnings);
  }

  /** The parser directives from the top of the file. */
  public List<Directive> directives() {
    return tree.directives();
  }

  /** The escape character in force ({@code \} or {@code `}). */
  public char escapeToken() {
    return tree.escapeToken();
  }
}
