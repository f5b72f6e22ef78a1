package dev.strata.bridge.build;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.PieceMemo;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code strata store gc}: removes what no tagged image needs. Cached build steps stay when every
 * layer they name belongs to a tagged image (so rebuilding a stored image stays a no-op); other
 * step records, unreferenced blobs, extracted layers no kept config lists and compressed-piece memo
 * entries whose blob is gone are removed.
 */
public final class StoreCollector {
  private StoreCollector() {}

  /** What a collection removed. */
  public record Report(int blobs, int stepRecords, int layerDirectories, int pieceEntries) {}

  /**
   * Collects once no other process has the store open (a build's new blobs are not tagged until its
   * end, and its RUNs mount extracted layers); {@code waiting} is called before waiting.
   */
  public static Report collect(OciLayoutStore store, Runnable waiting) throws IOException {
    return store.exclusively(() -> collectNow(store), waiting);
  }

  private static Report collectNow(OciLayoutStore store) throws IOException {
    Set<Digest> reachable = store.reachable();
    StepCache cache = new StepCache(store);
    StepCache.Pruned pruned = cache.prune(reachable);
    List<Digest> removed = store.gc(pruned.keptConfigs());
    Set<Digest> diffIds = new HashSet<>();
    Set<Digest> configs = new HashSet<>(pruned.keptConfigs());
    for (Descriptor d : store.refs().values()) {
      if (store.hasBlob(d.digest()) && d.mediaType().equals(MediaTypes.IMAGE_MANIFEST)) {
        configs.add(ImageManifest.parse(store.readBlob(d.digest())).config().digest());
      }
    }
    for (Digest config : configs) {
      if (store.hasBlob(config)) {
        diffIds.addAll(ImageConfig.parse(store.readBlob(config)).diffIds());
      }
    }
    int dirs = new LayerCache(store).prune(diffIds);
    int pieces = PieceMemo.of(store).prune();
    return new Report(removed.size(), pruned.removed(), dirs, pieces);
  }
}
