package dev.strata.bridge.tar;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of a layer assembled from parts rather than scanned from a directory (COPY, ADD,
 * import): its tar header and where its content comes from, a file on disk or bytes in memory (only
 * for non-empty regular files).
 */
public record StagedEntry(TarEntry entry, Path file, byte[] bytes) {
  public StagedEntry {
    Objects.requireNonNull(entry, "entry");
    boolean content = entry.type() == EntryType.REGULAR && entry.size() > 0;
    if (content && (file == null) == (bytes == null)) {
      throw new IllegalArgumentException(
          "a non-empty file needs exactly one content source: " + entry.path());
    }
    if (bytes != null && bytes.length != entry.size()) {
      throw new IllegalArgumentException("content size differs from the header: " + entry.path());
    }
  }

  /** An entry without content. */
  public static StagedEntry of(TarEntry entry) {
    return new StagedEntry(entry, null, null);
  }

  /** An entry whose content is read from {@code file} when the layer is written. */
  public static StagedEntry fromFile(TarEntry entry, Path file) {
    return new StagedEntry(entry, entry.size() > 0 ? file : null, null);
  }

  /** An entry whose content is {@code bytes}. */
  public static StagedEntry fromBytes(TarEntry entry, byte[] bytes) {
    return new StagedEntry(entry, null, entry.size() > 0 ? bytes.clone() : null);
  }

  InputStream open() throws IOException {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    if (file != null) {
      return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }
    return InputStream.nullInputStream();
  }
}
