package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * {@code ARG name[=default] ...}: declarations in order. Defaults are expanded by the evaluator
 * (with the stage environment, or with earlier meta-ARGs before the first FROM).
 */
public record Arg(SourceSpan location, List<ArgDeclaration> args) implements Instruction {
  public Arg {
    args = ImmutableList.copyOf(args);
  }
}
