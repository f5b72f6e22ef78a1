package dev.strata.dsl.instructions;

/**
 * A here-document attached to RUN: its delimiter name, raw body (not tab-stripped) and whether
 * {@code <<-} asked for leading tabs to be stripped.
 */
public record InlineFile(String name, String data, boolean chomp) {}
