package dev.strata.dsl.instructions;

import java.util.Locale;

/**
 * One typed Containerfile instruction, parsed once from the syntax tree (BuildKit's {@code
 * instructions.Command}). Instructions whose words BuildKit expands also implement {@link
 * Expandable}.
 */
public sealed interface Instruction
    permits From,
        Run,
        Cmd,
        Entrypoint,
        Shell,
        Env,
        Label,
        Arg,
        Copy,
        Add,
        Workdir,
        User,
        Volume,
        Expose,
        StopSignal,
        Healthcheck,
        Onbuild,
        Maintainer {

  /** Where the instruction was written. */
  SourceSpan location();

  /** The lower-case keyword ({@code run}, {@code copy}, ...). */
  default String name() {
    return getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
