package dev.strata.dsl.syntax;

/**
 * One parser directive from the top of the file ({@code # syntax=…}, {@code escape}, {@code
 * check}).
 */
public record Directive(String name, String value, int line) {}
