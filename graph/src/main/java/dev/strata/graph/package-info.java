/**
 * Owns strata.yaml, the derivation graph inferred from FROM, cache keys and plans (issue 3).
 *
 * <p>Nothing is implemented here yet: the module exists so the reactor shows the architecture and
 * the dependency direction of DESIGN.md from the first commit.
 */
package dev.strata.graph;
