package dev.strata.bridge.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a blob to upload; opened anew for every attempt so a retry resends all of it. */
@FunctionalInterface
public interface BlobSource {
  /** A fresh stream over the whole blob. */
  InputStream open() throws IOException;

  /** A blob stored in a file (e.g. in the local store). */
  static BlobSource of(Path file) {
    return () -> Files.newInputStream(file);
  }

  /** A small blob held in memory (a config, a signature payload). */
  static BlobSource of(byte[] bytes) {
    byte[] copy = bytes.clone();
    return () -> new ByteArrayInputStream(copy);
  }
}
