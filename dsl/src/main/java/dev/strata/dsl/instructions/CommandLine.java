package dev.strata.dsl.instructions;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A RUN/CMD/ENTRYPOINT command: the exec-form words, or (when {@code prependShell}) the shell-form
 * text as its single element, to be prefixed with the stage's SHELL.
 */
public record CommandLine(List<String> args, boolean prependShell) {

  public CommandLine {
    args = ImmutableList.copyOf(args);
  }

  /** The shell-form text, or the exec words joined by spaces. */
  public String text() {
    return String.join(" ", args);
  }
}
