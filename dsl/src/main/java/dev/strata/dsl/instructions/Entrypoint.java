package dev.strata.dsl.instructions;

/**
 * {@code ENTRYPOINT}: exec or shell form; {@code ENTRYPOINT []} has no words (BuildKit's nil
 * entrypoint). Never expanded.
 */
public record Entrypoint(SourceSpan location, CommandLine command) implements Instruction {}
