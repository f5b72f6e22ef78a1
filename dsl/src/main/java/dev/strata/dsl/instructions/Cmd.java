package dev.strata.dsl.instructions;

/** {@code CMD}: the image's default command, exec or shell form; never expanded. */
public record Cmd(SourceSpan location, CommandLine command) implements Instruction {}
