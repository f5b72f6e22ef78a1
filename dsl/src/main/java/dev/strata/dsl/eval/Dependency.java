package dev.strata.dsl.eval;

import dev.strata.dsl.instructions.Instruction;

/**
 * An instruction of a stage that reads from another stage or image ({@code COPY --from}, mounts).
 */
public record Dependency(Instruction instruction, StageReference source) {}
