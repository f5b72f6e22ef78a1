package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/** {@code SHELL ["exe", "arg"...]}: the shell later shell-form commands run under. */
public record Shell(SourceSpan location, List<String> shell) implements Instruction {
  public Shell {
    shell = ImmutableList.copyOf(shell);
  }
}
