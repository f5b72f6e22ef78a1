package dev.strata.graph;

import dev.strata.dsl.SourcePosition;

/**
 * A derivation edge: {@code child} reads the image {@code parent} produces, through the instruction
 * of {@code kind} at {@code position} that names it as {@code reference}.
 */
public record Edge(
    String parent, String child, EdgeKind kind, String reference, SourcePosition position) {}
