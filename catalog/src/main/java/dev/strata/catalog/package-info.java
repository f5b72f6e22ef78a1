/**
 * Owns the embedded SQLite catalog of builds, lineage and packages (issue 7).
 *
 * <p>Nothing is implemented here yet: the module exists so the reactor shows the architecture and
 * the dependency direction of DESIGN.md from the first commit.
 */
package dev.strata.catalog;
