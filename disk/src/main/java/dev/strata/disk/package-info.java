/**
 * Owns native bootable disk images and the bootc-image-builder backend (issue 8).
 *
 * <p>Nothing is implemented here yet: the module exists so the reactor shows the architecture and
 * the dependency direction of DESIGN.md from the first commit.
 */
package dev.strata.disk;
