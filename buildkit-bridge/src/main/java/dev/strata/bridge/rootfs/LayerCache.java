package dev.strata.bridge.rootfs;

import dev.strata.bridge.fs.FileTrees;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerExtractor;
import dev.strata.bridge.tar.TarReader;
import dev.strata.bridge.tar.WhiteoutMode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Extracted layers kept beside the store, one directory per diffID ({@code
 * <store>/layers/sha256/<hex>}), extracted once in overlay form ({@link WhiteoutMode#OVERLAY}) and
 * shared by every image that has the layer. A directory appears only complete: extraction goes to a
 * temporary sibling that is renamed into place. Beside each directory, its {@link LayerIndex}
 * ({@code <hex>.index}), written once the directory is in place: nothing changes a directory after.
 */
public final class LayerCache {
  private final OciLayoutStore store;
  private final Path root;

  public LayerCache(OciLayoutStore store) {
    this.store = store;
    this.root = store.root().resolve("layers").resolve("sha256");
  }

  /** The directory of the layer {@code diffId}, whether extracted or not. */
  public Path directory(Digest diffId) {
    return root.resolve(diffId.hex());
  }

  /**
   * The stack of an image's layers, extracting those not yet extracted. {@code layers} are the
   * manifest's layer descriptors and {@code diffIds} the config's, in the same order.
   */
  public LayerStack stack(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (layers.size() != diffIds.size()) {
      throw new IOException(
          "image has "
              + layers.size()
              + " layers but its config lists "
              + diffIds.size()
              + " diffIDs");
    }
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      dirs.add(extracted(diffIds.get(i), layers.get(i)));
    }
    return new LayerStack(dirs, diffIds);
  }

  /** The directory of one layer, extracting its blob first if needed. */
  public Path extracted(Digest diffId, Descriptor blob) throws IOException {
    Path target = directory(diffId);
    if (Files.isDirectory(target)) {
      return target;
    }
    if (!store.hasBlob(blob.digest())) {
      throw new IOException(
          "layer " + blob.digest() + " is missing from the store " + store.root());
    }
    Files.createDirectories(root);
    Path temp = Files.createTempDirectory(root, ".extract-");
    try {
      Path tree = temp.resolve("tree");
      try (TarReader reader =
          new TarReader(
              LayerExtractor.uncompressed(
                  Files.newInputStream(store.blobPath(blob.digest())), "layer " + blob.digest()))) {
        LayerExtractor.forCurrentUser(WhiteoutMode.OVERLAY).extract(reader, tree);
      }
      try {
        Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
        LayerIndex.write(target);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // another build extracted the same layer meanwhile; theirs is as good as ours
      } catch (IOException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
    } finally {
      FileTrees.delete(temp);
    }
    return target;
  }

  /**
   * The directory of the layer {@code diffId}, taking {@code tree} (the layer already extracted in
   * overlay form, as {@link #extracted} would, e.g. by {@code RunResult#writeLayerAndExtract}) as
   * it when the layer is not extracted yet. {@code tree} is renamed into place, so it should be on
   * the store's filesystem; when it cannot be, the layer is extracted from {@code blob} instead.
   * What is left of {@code tree} is the caller's to delete.
   */
  public Path adopt(Digest diffId, Descriptor blob, Path tree) throws IOException {
    Path target = directory(diffId);
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(root);
    try {
      Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      return target; // another build extracted the same layer meanwhile
    } catch (IOException e) {
      if (Files.isDirectory(target)) {
        return target;
      }
      return extracted(diffId, blob); // another filesystem: extract the blob as usual
    }
    try {
      LayerIndex.write(target);
    } catch (IOException e) {
      // the index only spares readers a walk: without it the layer is walked, as in extracted()
    }
    return target;
  }

  /**
   * Removes the extracted layers whose diffID is not in {@code live}, each with its index (the
   * index first, so none outlives its directory), and indexes left without a directory; returns how
   * many layers.
   */
  public int prune(Set<Digest> live) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        if (name.startsWith(".extract-")) {
          continue;
        }
        if (LayerIndex.isIndexName(name)) {
          if (name.startsWith(".")) {
            continue; // an index being written
          }
          if (!Files.isDirectory(root.resolve(LayerIndex.layerNameOf(name)))) {
            Files.deleteIfExists(dir);
          }
          continue;
        }
        if (!live.contains(new Digest("sha256", name))) {
          Files.deleteIfExists(LayerIndex.indexOf(dir));
          FileTrees.delete(dir);
          removed++;
        }
      }
    }
    return removed;
  }
}
