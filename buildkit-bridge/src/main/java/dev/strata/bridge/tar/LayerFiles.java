package dev.strata.bridge.tar;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A few files of an image read straight from its layer blobs, bottom layer first, with OCI
 * whiteouts applied and without extracting anything: what an SBOM or a package inventory needs
 * ({@code var/lib/dpkg/status}, copyright files, {@code os-release}) from a store's or a registry's
 * layers. Symlinks among the kept paths are followed when reading.
 */
public final class LayerFiles {
  /** What is kept of one path: its bytes, or a symlink target, or neither (another type). */
  private record Kept(byte[] content, String linkTarget) {}

  private final Map<String, Kept> files;

  private LayerFiles(Map<String, Kept> files) {
    this.files = files;
  }

  /**
   * Scans layer blobs, bottom layer first (each gzip-compressed or plain tar; each stream is closed
   * here), keeping the paths (relative, as in the tar: {@code var/lib/dpkg/status}) {@code wanted}
   * accepts.
   *
   * @throws IOException when a layer cannot be read
   */
  public static LayerFiles scan(List<InputStream> layers, Predicate<String> wanted)
      throws IOException {
    Map<String, Kept> files = new HashMap<>();
    int index = 0;
    for (InputStream layer : layers) {
      applyLayer(files, layer, "layer #" + index++, wanted);
    }
    return new LayerFiles(files);
  }

  private static void applyLayer(
      Map<String, Kept> files, InputStream blob, String name, Predicate<String> wanted)
      throws IOException {
    Map<String, Kept> added = new HashMap<>();
    List<String> removed = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    try (TarReader tar = new TarReader(LayerExtractor.uncompressed(blob, name))) {
      for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
        String path = entry.path();
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash + 1);
        String base = path.substring(slash + 1);
        if (base.equals(".wh..wh..opq")) {
          opaque.add(dir);
        } else if (base.startsWith(".wh.")) {
          removed.add(dir + base.substring(4));
        } else if (wanted.test(path)) {
          if (entry.type() == EntryType.REGULAR) {
            added.put(path, new Kept(tar.content().readAllBytes(), null));
          } else if (entry.type() == EntryType.SYMLINK) {
            added.put(path, new Kept(null, entry.linkTarget()));
          } else if (entry.type() == EntryType.HARDLINK) {
            Kept target = added.getOrDefault(entry.linkTarget(), files.get(entry.linkTarget()));
            if (target != null) {
              added.put(path, target);
            }
          } else {
            added.put(path, new Kept(null, null));
          }
        }
      }
    }
    // Whiteouts hide what lower layers had; the layer's own entries then go on top.
    for (String gone : removed) {
      files.keySet().removeIf(p -> p.equals(gone) || p.startsWith(gone + "/"));
    }
    for (String dir : opaque) {
      files.keySet().removeIf(p -> p.startsWith(dir));
    }
    files.putAll(added);
  }

  /**
   * The bytes of the regular file at {@code path}, following symlinks among the kept paths (doc
   * folders, {@code etc/os-release -> ../usr/lib/os-release}); empty when it is not there.
   */
  public Optional<byte[]> read(String path) {
    String current = path;
    for (int hops = 0; hops < 16; hops++) {
      Kept direct = files.get(current);
      if (direct != null && direct.content != null) {
        return Optional.of(direct.content);
      }
      if (direct != null && direct.linkTarget != null) {
        current = join(parent(current), direct.linkTarget);
        continue;
      }
      // A symlinked parent folder: usr/share/doc/libfoo-dev -> libfoo1.
      int slash = current.lastIndexOf('/');
      if (slash < 0) {
        return Optional.empty();
      }
      Kept folder = files.get(current.substring(0, slash));
      if (folder == null || folder.linkTarget == null) {
        return Optional.empty();
      }
      current =
          join(parent(current.substring(0, slash)), folder.linkTarget) + current.substring(slash);
    }
    return Optional.empty();
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String join(String dir, String target) {
    List<String> parts = new ArrayList<>();
    String combined = target.startsWith("/") ? target.substring(1) : dir + "/" + target;
    for (String part : combined.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }
}
