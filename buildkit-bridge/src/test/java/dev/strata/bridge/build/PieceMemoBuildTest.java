package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.run.BuildSecrets;
import dev.strata.bridge.run.SandboxRunStep;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds keep the compressed pieces of large files in the store's memo ({@code cache/pieces}) for
 * RUN, COPY and imported layers; a rebuild whose RUN and COPY layers are written again from the
 * same large files gives the image a build in an empty store gives, and buildah 1.28 reads it to
 * the expected tree and diffIDs.
 */
class PieceMemoBuildTest {
  private static final Optional<Instant> EPOCH = Optional.of(Instant.ofEpochSecond(1_700_000_000));
  private static final String CONTAINERFILE =
      "FROM "
          + TestBuilds.BASE
          + "\n"
          + "ARG V=1\n"
          + "RUN mkdir -p /opt && busybox seq 1 300000 > /opt/numbers"
          + " && cp /bin/busybox /opt/busybox-copy && echo $V > /opt/v\n"
          + "COPY big.txt /opt/\n";

  @TempDir static Path tmp;
  private static BuildahContainers buildah;

  @BeforeAll
  static void setUp() throws Exception {
    TestBuilds.requireRoot();
    buildah = new BuildahContainers(tmp.resolve("buildah"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (buildah != null) {
      buildah.close();
    }
  }

  private static Path project() throws IOException {
    Path dir = tmp.resolve("project");
    if (!Files.exists(dir)) {
      StringBuilder big = new StringBuilder();
      for (int i = 0; big.length() < 1_500_000; i++) {
        big.append("line ").append(i * 7919 % 100_003).append(" of the big file\n");
      }
      TestBuilds.context(dir, CONTAINERFILE, Map.of("big.txt", big.toString()));
    }
    return dir;
  }

  private static NodeResult build(OciLayoutStore store, String v) throws IOException {
    List<NodeResult> results =
        TestBuilds.build(
            store,
            project(),
            EPOCH,
            Map.of("V", v),
            SandboxRunStep.inStore(store.root(), Optional.empty(), BuildSecrets.NONE));
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  /** The blobs the store's memo entries name. */
  private static Set<String> memoBlobs(OciLayoutStore store) throws IOException {
    Set<String> named = new TreeSet<>();
    try (Stream<Path> files = Files.walk(store.root().resolve("cache/pieces"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        named.add(Files.readString(f).split(" ")[0]);
      }
    }
    return named;
  }

  private static List<Descriptor> layers(OciLayoutStore store, NodeResult result)
      throws IOException {
    return ImageManifest.parse(store.readBlob(result.manifest())).layers();
  }

  @Test
  void aRebuildWritingTheSameLargeFilesAgainGivesTheImageAnEmptyStoreGives() throws Exception {
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("store"), EPOCH);
    NodeResult first = build(store, "1");
    List<Descriptor> firstLayers = layers(store, first);
    assertThat(firstLayers).hasSize(3);
    // the RUN layer and the COPY layer recorded their pieces (the imported base's busybox too,
    // whose entries the RUN's copy of busybox then moved to the RUN layer)
    List<String> layerDigests = firstLayers.stream().map(d -> d.digest().toString()).toList();
    assertThat(memoBlobs(store))
        .isSubsetOf(layerDigests)
        .contains(layerDigests.get(1), layerDigests.get(2));

    NodeResult second = build(store, "2");
    List<Descriptor> secondLayers = layers(store, second);
    assertThat(second.stepsRun())
        .anyMatch(s -> s.startsWith("RUN "))
        .anyMatch(s -> s.startsWith("COPY "));
    assertThat(secondLayers.get(1)).isNotEqualTo(firstLayers.get(1));
    OciLayoutStore empty = TestBuilds.storeWithBase(tmp.resolve("empty-store"), EPOCH);
    NodeResult fresh = build(empty, "2");
    assertThat(second.manifest()).as("manifest with memo pieces").isEqualTo(fresh.manifest());

    for (Descriptor layer : secondLayers) {
      TestBuilds.run(tmp, "gzip", "-t", store.blobPath(layer.digest()).toString());
    }
    String image = "oci:" + store.root() + ":" + second.references().get(0);
    BuildahContainers.Container container = buildah.open(image);
    Path mount = container.mount();
    TreeMap<String, String> tree = TreeSnapshot.withoutTimes(mount);
    assertThat(tree).containsKeys("opt/numbers", "opt/busybox-copy", "opt/big.txt");
    assertThat(Files.readAllBytes(mount.resolve("opt/busybox-copy")))
        .isEqualTo(Files.readAllBytes(Path.of("/bin/busybox")));
    assertThat(Files.readAllBytes(mount.resolve("opt/big.txt")))
        .isEqualTo(Files.readAllBytes(project().resolve("big.txt")));
    assertThat(Files.readString(mount.resolve("opt/v"))).isEqualTo("2\n");
    assertThat(Files.readString(mount.resolve("opt/numbers")).lines().count()).isEqualTo(300_000);
    List<String> diffIds = buildah.diffIds(container);
    ImageConfig config = ImageConfig.parse(store.readBlob(second.config()));
    assertThat(diffIds).isEqualTo(config.diffIds().stream().map(Digest::toString).toList());
  }

  @Test
  void storeGcDropsTheEntriesOfTheBlobsItRemoves() throws Exception {
    Path dir =
        TestBuilds.context(
            tmp.resolve("gc-project"),
            "FROM "
                + TestBuilds.BASE
                + "\nARG V=1\n"
                + "RUN mkdir -p /opt && if [ $V = 1 ]; then busybox seq 1 200000 > /opt/numbers; fi\n",
            Map.of());
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("gc-store"), EPOCH);
    SandboxRunStep runs = SandboxRunStep.inStore(store.root(), Optional.empty(), BuildSecrets.NONE);
    NodeResult first = TestBuilds.build(store, dir, EPOCH, Map.of("V", "1"), runs).get(0);
    Digest numbersLayer = layers(store, first).get(1).digest();
    assertThat(memoBlobs(store)).contains(numbersLayer.toString());

    TestBuilds.build(store, dir, EPOCH, Map.of("V", "2"), runs); // the tag moves to an image
    // without /opt/numbers, so nothing keeps the first RUN layer
    StoreCollector.Report report = StoreCollector.collect(store, () -> {});

    assertThat(store.hasBlob(numbersLayer)).isFalse();
    assertThat(report.pieceEntries()).isPositive();
    assertThat(memoBlobs(store)).doesNotContain(numbersLayer.toString());
  }
}
