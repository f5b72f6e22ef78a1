package dev.strata.bridge.rootfs;

import dev.strata.bridge.fs.FileStatus;
import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.tar.EntryType;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.bridge.tar.WhiteoutMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A real copy of the merged root filesystem a {@link RootfsView} shows, for running a RUN where
 * overlayfs is not available: every visible file with the attributes a layer carries (owner, mode,
 * mtime, xattrs), written through the layer extractor, so the copy holds what extracting the merged
 * tree as one layer would. Nothing is hardlinked to the layer cache (the RUN must not change it),
 * and hardlinks between lower files are copied apart, as overlayfs with {@code index=off} breaks
 * them on the first write: the layer the RUN gives is the same either way.
 */
public final class RootfsCopy {
  private RootfsCopy() {}

  /** Copies what {@code view} shows into {@code target} (a new or empty directory). */
  public static void materialise(RootfsView view, Path target) throws IOException {
    LayerExtractor.Extraction extraction =
        LayerExtractor.forCurrentUser(WhiteoutMode.APPLY).begin(target);
    copyChildren(view, "", extraction);
    extraction.finish();
  }

  private static void copyChildren(
      RootfsView view, String dir, LayerExtractor.Extraction extraction) throws IOException {
    for (String name : view.list(dir)) {
      String rel = dir.isEmpty() ? name : dir + "/" + name;
      Path file = view.lookup(rel).orElseThrow(() -> new IOException("vanished: /" + rel));
      FileStatus status = Posix.lstatx(file);
      if (status.isSocket()) {
        continue; // a layer cannot carry one, so no layer put it there
      }
      TarEntry entry = LayerWriter.describe(file, rel);
      if (entry.type() == EntryType.REGULAR && entry.size() > 0) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
          extraction.add(entry, in);
        }
      } else {
        extraction.add(entry, InputStream.nullInputStream());
      }
      if (entry.type() == EntryType.DIRECTORY) {
        copyChildren(view, rel, extraction);
      }
    }
  }
}
