package dev.strata.packages;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads one file of an image's root file system by its relative path ({@code var/lib/dpkg/status}),
 * wherever the image lives: an extracted folder, a store's layers, a registry's blobs.
 */
@FunctionalInterface
public interface ImageFiles {
  /** The file's bytes, or empty when the image has no such regular file. */
  Optional<byte[]> read(String path) throws IOException;
}
