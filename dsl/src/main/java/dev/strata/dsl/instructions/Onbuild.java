package dev.strata.dsl.instructions;

/**
 * {@code ONBUILD trigger}: the trigger text (the line without {@code ONBUILD}, heredoc bodies
 * re-appended), validated and expanded only when it fires in a child build.
 */
public record Onbuild(SourceSpan location, String expression) implements Instruction {}
