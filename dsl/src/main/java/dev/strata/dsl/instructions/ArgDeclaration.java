package dev.strata.dsl.instructions;

import java.util.Optional;

/**
 * One name declared by ARG, its default (absent for {@code ARG name}) and its doc comment (the text
 * after {@code # name } in the comment block above, or {@code ""}).
 */
public record ArgDeclaration(String key, Optional<String> defaultValue, String docComment) {}
