package dev.strata.dsl.instructions;

/** {@code MAINTAINER name}: deprecated (use a label); never expanded. */
public record Maintainer(SourceSpan location, String maintainer) implements Instruction {}
