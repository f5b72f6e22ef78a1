package dev.strata.bridge.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new instance of a {@code RUN --mount=type=cache} starts as, built the way BuildKit builds
 * the cache mount's input: the root filesystem {@code from=} names (no layers: an empty directory)
 * and, when mode, uid or gid are given without {@code source}, a folder made in it with them
 * (BuildKit's {@code mkdir /cache}, skipped when {@code from} already has one). Two mounts with one
 * cache id share an instance only when their seeds' {@link #key()} are equal too, as BuildKit keys
 * a cache directory by its id and its input's snapshot.
 *
 * @param layers the layer directories of {@code from}, bottom first; empty without {@code from}
 * @param identity what tells those layers apart (their diffIDs); empty when there are none
 * @param folder the folder to make, with its mode and owner
 */
public record CacheSeed(List<Path> layers, String identity, Optional<Folder> folder) {
  /** An empty directory: a cache mount without {@code from}, mode, uid or gid. */
  public static final CacheSeed EMPTY = new CacheSeed(List.of(), "", Optional.empty());

  public CacheSeed {
    layers = List.copyOf(layers);
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(folder, "folder");
    if (layers.isEmpty() != identity.isEmpty()) {
      throw new IllegalArgumentException("layers and their identity come together");
    }
  }

  /** A folder a new instance gets unless its layers have one at {@code path}. */
  public record Folder(String path, int mode, int uid, int gid) {
    public Folder {
      if (!path.startsWith("/") || path.equals("/")) {
        throw new IllegalArgumentException("folder must be absolute and below '/': " + path);
      }
    }
  }

  /** Whether a new instance starts from {@code from}'s layers (an overlay) or empty. */
  public boolean layered() {
    return !layers.isEmpty();
  }

  /** The part of the cache instance's key beyond its id; empty for {@link #EMPTY}. */
  public String key() {
    StringBuilder key = new StringBuilder();
    if (layered()) {
      key.append("from ").append(identity);
    }
    folder.ifPresent(
        f ->
            key.append(key.isEmpty() ? "" : " ")
                .append("mkdir ")
                .append(f.path())
                .append(' ')
                .append(Integer.toOctalString(f.mode()))
                .append(' ')
                .append(f.uid())
                .append(':')
                .append(f.gid()));
    return key.toString();
  }
}
