/**
 * Owns the native daemonless engine and the BuildKit engine (issues 4, 5 and 9).
 *
 * <p>Nothing is implemented here yet: the module exists so the reactor shows the architecture and
 * the dependency direction of DESIGN.md from the first commit.
 */
package dev.strata.bridge;
