/**
 * Owns cosign-compatible keys, signatures and attestations (issue 6).
 *
 * <p>Nothing is implemented here yet: the module exists so the reactor shows the architecture and
 * the dependency direction of DESIGN.md from the first commit.
 */
package dev.strata.trust;
