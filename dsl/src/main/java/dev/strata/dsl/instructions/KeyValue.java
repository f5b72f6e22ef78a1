package dev.strata.dsl.instructions;

/** One ENV or LABEL pair, in the order written. */
public record KeyValue(String key, String value) {}
