package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.build.BuildOrigin;
import dev.strata.bridge.build.NodeResult;
import dev.strata.bridge.build.PostBuildStep;
import dev.strata.bridge.build.StoredImage;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.registry.BlobPush;
import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.catalog.Attestation;
import dev.strata.catalog.BuildId;
import dev.strata.catalog.BuildRecord;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.Signature;
import dev.strata.catalog.SignatureState;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.sync.CatalogSync;
import dev.strata.catalog.sync.RemoteImage;
import dev.strata.disk.build.DiskLayout;
import dev.strata.disk.build.DiskOutput;
import dev.strata.disk.build.DiskRequest;
import dev.strata.disk.build.DiskResult;
import dev.strata.disk.build.DiskType;
import dev.strata.disk.build.NativeDiskBuilder;
import dev.strata.disk.config.DiskConfig;
import dev.strata.disk.lint.LintReport;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Node;
import dev.strata.graph.plan.GitRevision;
import dev.strata.packages.ImageFiles;
import dev.strata.packages.PackageInventory;
import dev.strata.trust.attestation.PredicateType;
import dev.strata.trust.provenance.BuildProvenance;
import dev.strata.trust.provenance.ImageReference;
import dev.strata.trust.sbom.ImagePackages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What {@code strata build} does with each node once the engine has stored it, before any node
 * derived from it starts: the bootc lint (bootc nodes), push and sign ({@code --push [--sign]}),
 * disk images ({@code disk:} nodes whose digest changed in this build), and the catalog record.
 *
 * <p>A node gets a new catalog record when any of its steps ran or its digest differs from the
 * node's last record: a node taken whole from the cache with the digest the catalog already has is
 * the same build, and recording it again would fill {@code catalog history} with builds that built
 * nothing and make {@code catalog diff NODE@n NODE@n+1} empty. When such a node is signed in this
 * build, its last record's signature state and attestations are updated instead.
 */
final class BuildPipeline implements PostBuildStep {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the pipeline needs besides each node's result; {@code engine} ({@code native} or {@code
   * buildkit}) is what built the images, as the catalog and the SLSA provenance name it; {@code
   * git} is asked only when a node is recorded or signed (it runs {@code git}).
   */
  record Settings(
      OciLayoutStore store,
      Catalog catalog,
      DerivationGraph graph,
      Map<String, Optional<Digest>> storedBefore,
      Optional<NodePublisher> publisher,
      BootcCheck lint,
      Optional<Path> diskOutput,
      DiskConfig diskConfig,
      Supplier<Optional<GitRevision>> git,
      Map<String, String> buildArgs,
      String builderVersion,
      String engine,
      BiConsumer<String, String> notes) {}

  /** What happened to one node after its build. */
  record Outcome(
      String node,
      Optional<String> pushed,
      boolean signed,
      int lintFindings,
      List<DiskOutput> disks,
      Optional<BuildId> recorded) {}

  private final Settings settings;
  private final Map<String, NodePublisher.Published> published = new HashMap<>();
  private final Map<String, Outcome> outcomes = new LinkedHashMap<>();

  BuildPipeline(Settings settings) {
    this.settings = settings;
  }

  /** Each handled node's outcome, in build order. */
  synchronized List<Outcome> outcomes() {
    return List.copyOf(outcomes.values());
  }

  /**
   * Serialised: the scheduler may finish independent nodes at once, and the registry transfer and
   * the record of what was pushed are one per build.
   */
  @Override
  public synchronized void completed(NodeResult result) throws IOException {
    try {
      handle(result);
    } catch (CatalogException e) {
      throw new IOException("catalog: " + e.getMessage(), e);
    }
  }

  private void handle(NodeResult result) throws IOException, CatalogException {
    Instant started = Instant.now().minus(result.time());
    Node node = settings.graph().node(result.node()).orElseThrow();
    OciLayoutStore store = settings.store();
    String reference = result.references().get(0);
    Descriptor stored = store.resolve(reference).orElseThrow();
    StoredImage image = StoredImage.read(store, stored, reference);
    Map<String, String> labels = labels(image);

    Optional<StoredBuild> last = lastRecord(node.name());
    boolean changed =
        !settings.storedBefore().get(node.name()).equals(Optional.of(result.manifest()));
    boolean record =
        !result.reused()
            || last.isEmpty()
            || !last.get().digest().equals(result.manifest().toString());
    boolean bootc = BootcCheck.isBootc(labels);
    Set<DiskType> diskTypes =
        node.config().disks().isEmpty() ? Set.of() : DiskType.parseList(node.config().disks());
    boolean makeDisks = changed && !diskTypes.isEmpty();
    if (!changed && !diskTypes.isEmpty()) {
      say(node, "disk: unchanged since the last build (" + result.manifest() + "), none made");
    }
    boolean signs = settings.publisher().map(NodePublisher::signs).orElse(false);

    // The lint, the package inventory, the SBOM and the disk images read the rootfs through the
    // layers the engine keeps extracted; nothing is flattened.
    boolean lintNeedsRootfs = bootc && !settings.lint().known(result.manifest());
    boolean readsRootfs = record || signs || lintNeedsRootfs || makeDisks;
    FutureTask<PackageInventory> inventory = null;
    try (ImageRootfs rootfs = readsRootfs ? openRootfs(reference) : null) {
      if (record) {
        // The catalog's package inventory and the lint read the same rootfs independently: the
        // inventory is read on a thread of its own meanwhile (the lint takes tens of ms).
        ImageFiles files = rootfs.view()::read;
        inventory = new FutureTask<>(() -> PackageInventory.read(files));
        Thread reader = new Thread(inventory, "strata-inventory-" + node.name());
        reader.setDaemon(true);
        reader.start();
      }
      try {
        int findings = 0;
        if (bootc) {
          LintReport report =
              settings
                  .lint()
                  .check(
                      node.name(),
                      result.manifest(),
                      rootfs == null ? null : rootfs.view(),
                      labels);
          findings = report.findings().size();
        }
        Optional<NodePublisher.Published> pushed = Optional.empty();
        if (settings.publisher().isPresent()) {
          Optional<ImagePackages> sbom =
              signs ? Optional.of(ImagePackages.of(rootfs.view()::read)) : Optional.empty();
          Optional<BuildProvenance> provenance =
              signs ? Optional.of(provenance(node, result, started)) : Optional.empty();
          NodePublisher.Published done =
              settings.publisher().get().publish(result, sbom, provenance);
          published.put(node.name(), done);
          pushed = Optional.of(done);
          say(
              node,
              "pushed "
                  + done.remote().repository()
                  + "@"
                  + done.pushed().digest()
                  + " as "
                  + String.join(", ", done.tags())
                  + " (blobs: "
                  + done.pushed().count(BlobPush.UPLOADED)
                  + " uploaded, "
                  + done.pushed().count(BlobPush.MOUNTED)
                  + " mounted, "
                  + done.pushed().count(BlobPush.EXISTED)
                  + " already there)"
                  + (done.signed() ? "; signed, SBOM and provenance attached" : ""));
        }
        List<DiskOutput> disks = List.of();
        if (makeDisks) {
          disks = makeDisks(node, reference, result.manifest(), rootfs.view(), diskTypes);
        }
        Optional<BuildId> recorded = Optional.empty();
        if (record) {
          recorded =
              Optional.of(record(node, result, image, labels, inventory, pushed, disks, started));
          say(node, "recorded as " + recorded.get() + " in the catalog");
        } else if (pushed.isPresent() && pushed.get().signed()) {
          updateSignature(last.get().id(), pushed.get());
        }
        outcomes.put(
            node.name(),
            new Outcome(
                node.name(),
                pushed.map(p -> p.remote().repository() + "@" + p.pushed().digest()),
                pushed.map(NodePublisher.Published::signed).orElse(false),
                findings,
                disks,
                recorded));
      } finally {
        if (inventory != null) {
          awaitQuietly(inventory); // the rootfs closes next (a flattened copy is deleted)
        }
      }
    }
  }

  /** Waits for {@code task} to end, whatever its outcome (which whoever needs it reads). */
  private static void awaitQuietly(FutureTask<?> task) {
    try {
      task.get();
    } catch (ExecutionException e) {
      // reported by record(), or not needed after a failure
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<StoredBuild> lastRecord(String node) throws CatalogException {
    return settings.catalog().latestBuild(node);
  }

  /** The image's rootfs, read through its extracted layers. */
  private ImageRootfs openRootfs(String reference) throws IOException {
    return ImageRootfs.open(
        dev.strata.disk.image.StoredImage.open(settings.store(), reference),
        settings.store().root().resolve("tmp"));
  }

  private List<DiskOutput> makeDisks(
      Node node, String reference, Digest digest, RootfsView rootfs, Set<DiskType> types)
      throws IOException {
    Path output =
        settings.diskOutput().orElse(Path.of("output")).resolve(node.name()).toAbsolutePath();
    say(
        node,
        "disk: digest changed, making "
            + String.join(", ", types.stream().map(DiskType::typeName).sorted().toList())
            + " in "
            + output);
    DiskRequest request =
        new DiskRequest(
            rootfs,
            reference + "@" + digest,
            types,
            settings.diskConfig(),
            OptionalLong.empty(),
            DiskLayout.DEFAULT_ESP_BYTES,
            output,
            dev.strata.disk.image.StoredImage.open(settings.store(), reference).uncompressedSize());
    DiskResult result = new NativeDiskBuilder(step -> say(node, "disk: " + step)).build(request);
    for (DiskOutput o : result.outputs()) {
      say(node, "disk: " + o.type().typeName() + " " + o.file() + " sha256:" + o.sha256());
    }
    return result.outputs();
  }

  private BuildProvenance provenance(Node node, NodeResult result, Instant started)
      throws IOException {
    BuildOrigin origin = result.origin();
    Optional<ImageReference> base = Optional.empty();
    Optional<ImageReference> parent = Optional.empty();
    if (origin.parentNode().isPresent()) {
      NodePublisher.Published p = published.get(origin.parentNode().get());
      String name = p != null ? p.taggedReference() : origin.baseName().orElseThrow();
      parent = Optional.of(new ImageReference(name, origin.baseDigest().orElseThrow()));
    } else if (origin.baseName().isPresent()) {
      base =
          Optional.of(
              new ImageReference(origin.baseName().get(), origin.baseDigest().orElseThrow()));
    }
    Path project = settings.graph().project().directory();
    return new BuildProvenance(
        "https://strata.dev/builder/" + settings.engine(),
        settings.builderVersion(),
        settings.engine(),
        node.name(),
        relative(project, node.config().containerfile()),
        origin.containerfileDigest(),
        JSON.valueToTree(node.config().entry(project)),
        buildArgs(node),
        settings.git().get().flatMap(GitRevision::repository),
        settings.git().get().map(GitRevision::commit),
        base,
        parent,
        result.node() + "@" + result.manifest().hex().substring(0, 12),
        started,
        Instant.now(Clock.systemUTC()));
  }

  private BuildId record(
      Node node,
      NodeResult result,
      StoredImage image,
      Map<String, String> labels,
      FutureTask<PackageInventory> packages,
      Optional<NodePublisher.Published> pushed,
      List<DiskOutput> disks,
      Instant started)
      throws IOException, CatalogException {
    String reference = result.references().get(0);
    String repository = reference.substring(0, reference.lastIndexOf(':'));
    byte[] config = settings.store().readBlob(image.manifest().config().digest());
    List<RemoteImage.RemoteLayer> layers = new ArrayList<>();
    long size = image.descriptor().size() + image.manifest().config().size();
    for (Descriptor layer : image.manifest().layers()) {
      layers.add(new RemoteImage.RemoteLayer(layer.digest().toString(), layer.size()));
      size += layer.size();
    }
    BuildRecord described =
        CatalogSync.toRecord(
            new RemoteImage(
                repository,
                result.manifest().toString(),
                size,
                new String(config, java.nio.charset.StandardCharsets.UTF_8),
                layers),
            node.config().tags());
    BuildRecord.Builder builder =
        described.toBuilder()
            .builtAt(started)
            .configDigest(result.config().toString())
            .projectEntry(
                JSON.writeValueAsString(
                    node.config().entry(settings.graph().project().directory())))
            .gitCommit(settings.git().get().map(GitRevision::commit).orElse(null))
            .buildArgs(buildArgs(node))
            .planReasons(
                result.reasons().isEmpty()
                    ? List.of("up to date: every step from the cache")
                    : result.reasons())
            .engine(settings.engine());
    if (pushed.isPresent() && pushed.get().signed()) {
      builder.signature(signature(pushed.get())).attestations(attestations(pushed.get()));
    }
    builder.disks(DiskRecords.of(disks));
    PackageInventory inventory;
    try {
      inventory = packages.get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof IOException
          || e.getCause() instanceof IllegalArgumentException)) {
        throw new IllegalStateException("reading the package inventory failed", e.getCause());
      }
      say(
          node,
          "catalog: package database unreadable, no inventory recorded: "
              + e.getCause().getMessage());
      inventory = PackageInventory.EMPTY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the package inventory", e);
    }
    return settings.catalog().record(builder.build(), inventory);
  }

  private void updateSignature(BuildId build, NodePublisher.Published pushed)
      throws CatalogException {
    settings.catalog().updateSignature(build, signature(pushed));
    for (Attestation attestation : attestations(pushed)) {
      settings.catalog().addAttestation(build, attestation);
    }
  }

  private Signature signature(NodePublisher.Published pushed) {
    return new Signature(
        SignatureState.SIGNED,
        Optional.of(pushed.signatureReference()),
        settings.publisher().flatMap(NodePublisher::keyFingerprint));
  }

  private static List<Attestation> attestations(NodePublisher.Published pushed) {
    Optional<String> where = Optional.of(pushed.attestationReference());
    return List.of(
        new Attestation(PredicateType.SPDX.uri(), Optional.empty(), where),
        new Attestation(PredicateType.SLSA_PROVENANCE_V1.uri(), Optional.empty(), where));
  }

  private Map<String, String> buildArgs(Node node) {
    Map<String, String> args = new LinkedHashMap<>(node.config().args());
    args.putAll(settings.buildArgs());
    return args;
  }

  private static Map<String, String> labels(StoredImage image) {
    Map<String, String> labels = new LinkedHashMap<>();
    image
        .config()
        .configField("Labels")
        .filter(JsonNode::isObject)
        .ifPresent(n -> n.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText())));
    return labels;
  }

  private static String relative(Path project, Path file) {
    Path p = project.toAbsolutePath().normalize();
    Path f = file.toAbsolutePath().normalize();
    return f.startsWith(p) ? p.relativize(f).toString() : f.toString();
  }

  private void say(Node node, String line) {
    settings.notes().accept(node.name(), line);
  }
}
