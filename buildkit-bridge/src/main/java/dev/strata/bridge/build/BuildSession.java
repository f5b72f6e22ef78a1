package dev.strata.bridge.build;

import dev.strata.bridge.build.copy.RemoteSource;
import dev.strata.bridge.rootfs.LayerCache;
import dev.strata.bridge.run.CacheTurns;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.PieceMemo;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Node;
import dev.strata.graph.plan.LockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What every step of one build shares: the store, its caches, the clock, the RUN executor. */
final class BuildSession {
  private final ImageBuilder.Settings settings;
  private final DerivationGraph graph;
  private final LockFile lock;
  private final StepCache cache;
  private final LayerCache layers;
  private final ImageLookup lookup;
  private final RemoteSource remote = new RemoteSource();
  private final PieceMemo pieces;
  private CacheTurns turns = CacheTurns.NONE;

  BuildSession(ImageBuilder.Settings settings, DerivationGraph graph, LockFile lock) {
    this.settings = settings;
    this.graph = graph;
    this.lock = lock;
    this.cache = new StepCache(settings.store());
    this.layers = new LayerCache(settings.store());
    this.lookup = new ImageLookup(settings.store(), settings.fetcher(), settings.pull());
    this.pieces = PieceMemo.of(settings.store());
  }

  DerivationGraph graph() {
    return graph;
  }

  OciLayoutStore store() {
    return settings.store();
  }

  StepCache cache() {
    return cache;
  }

  LayerCache layers() {
    return layers;
  }

  /** The order of this build's nodes at the locked cache mounts they share. */
  void turns(CacheTurns order) {
    this.turns = order;
  }

  /** How long {@code node} has waited for locked caches in this build so far. */
  Duration waitedBy(String node) {
    return turns.waitedBy(node);
  }

  /** {@code node}'s side of that order, for its RUNs. */
  CacheTurns.Turn turn(String node) {
    return new CacheTurns.Turn(turns, node);
  }

  /** The compressed pieces of large files in the store's layers, which new layers reuse. */
  PieceMemo pieces() {
    return pieces;
  }

  BuildClock clock() {
    return settings.clock();
  }

  BuildListener listener() {
    return settings.listener();
  }

  RunStep runStep() {
    return settings.runStep();
  }

  RemoteSource remote() {
    return remote;
  }

  /** A fresh empty folder inside the store (same filesystem, so renames stay cheap). */
  Path scratch() throws IOException {
    return ScratchSpace.create(settings.store().root());
  }

  /**
   * The image a FROM or {@code COPY --from} reference of {@code node} names: another node's result
   * (built earlier in this build or before), or an external image, pinned to strata.lock's digest
   * when the lock has one.
   */
  StoredImage image(Node node, String reference) throws IOException {
    String parent = node.nodeReferences().get(reference);
    if (parent != null) {
      Node producer = graph.node(parent).orElseThrow(() -> new BuildException("no node " + parent));
      Optional<dev.strata.bridge.oci.Descriptor> built = lookup.inStore(producer.imageReference());
      if (built.isEmpty()) {
        throw new BuildException(
            reference
                + " is the image of node "
                + parent
                + ", which has not been built into "
                + store().root()
                + "; build it first (strata build DIR "
                + parent
                + ")");
      }
      return StoredImage.read(store(), built.get(), reference);
    }
    return lookup.findPinned(reference, lock);
  }
}
