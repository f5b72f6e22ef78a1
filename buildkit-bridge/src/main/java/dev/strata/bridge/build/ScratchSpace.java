package dev.strata.bridge.build;

import dev.strata.bridge.run.RunJanitor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store's scratch folders for build steps ({@code <store>/tmp/step-strata-PID-START-N}), named
 * after the process that made them, so that a build killed with SIGKILL (which cannot clean up; a
 * RUN's layer tree may be half moved out of its upperdir there) leaves nothing the next build does
 * not remove. On the store's filesystem, so a finished layer tree is renamed, never copied.
 */
final class ScratchSpace {
  private static final String PREFIX = "step-";

  private ScratchSpace() {}

  /** A fresh empty folder owned by this process. */
  static Path create(Path storeRoot) throws IOException {
    Path tmp = Files.createDirectories(storeRoot.resolve("tmp"));
    return Files.createDirectory(tmp.resolve(PREFIX + RunJanitor.newId()));
  }

  /** Removes the scratch folders of Strata processes that are gone; returns how many. */
  static int sweep(Path storeRoot) throws IOException {
    Path tmp = storeRoot.resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> children = Files.newDirectoryStream(tmp, PREFIX + "strata-*")) {
      for (Path child : children) {
        String owner = child.getFileName().toString().substring(PREFIX.length());
        if (RunJanitor.ownerDead(owner)) {
          RunJanitor.deleteTree(child);
          removed++;
        }
      }
    }
    return removed;
  }
}
