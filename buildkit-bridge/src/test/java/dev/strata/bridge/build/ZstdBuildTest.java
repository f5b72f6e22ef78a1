package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project with {@code compression: zstd} builds zstd layers (COPY, ADD of a {@code .tar.zst} the
 * zstd CLI made, RUN in runc) that hold exactly what its gzip twin holds: same diffIDs, same
 * config, and buildah 1.28 (containers-storage) reads the image to the same tree. The compression
 * is part of the cache key, and zstd builds are reproducible.
 */
class ZstdBuildTest {
  private static final Optional<Instant> EPOCH = Optional.of(Instant.ofEpochSecond(1_700_000_000));
  private static final String CONTAINERFILE =
      "FROM "
          + TestBuilds.BASE
          + "\n"
          + "COPY hello.txt /opt/\n"
          + "ADD bundle.tar.zst /opt/bundle/\n"
          + "RUN echo ran > /opt/ran && rm /etc/group\n";

  @TempDir static Path tmp;
  private static OciLayoutStore store;
  private static BuildahContainers buildah;

  @BeforeAll
  static void setUp() throws Exception {
    TestBuilds.requireRoot();
    store = TestBuilds.storeWithBase(tmp.resolve("store"), EPOCH);
    buildah = new BuildahContainers(tmp.resolve("buildah"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (buildah != null) {
      buildah.close();
    }
  }

  /** A project folder whose one node stores as {@code image}, layers compressed as given. */
  private static Path project(String name, String image, String compression) throws Exception {
    Path dir = tmp.resolve(name);
    TestBuilds.context(
        dir,
        CONTAINERFILE,
        Map.of(
            "hello.txt",
            "hello\n",
            "strata.yaml",
            "compression: "
                + compression
                + "\nimages:\n  app: { containerfile: Containerfile, image: "
                + image
                + " }\n"));
    Files.createDirectories(dir.resolve("bundle/docs"));
    Files.writeString(dir.resolve("bundle/docs/readme"), "bundled\n");
    TestBuilds.run(dir, "touch", "-d", "@1600000000", "bundle/docs/readme", "bundle/docs");
    TestBuilds.run(dir, "tar", "--numeric-owner", "-cf", "bundle.tar", "-C", "bundle", ".");
    TestBuilds.run(dir, "zstd", "-q", "--rm", "bundle.tar", "-o", "bundle.tar.zst");
    return dir;
  }

  private static NodeResult build(OciLayoutStore into, Path dir) throws IOException {
    List<NodeResult> results =
        TestBuilds.build(
            into,
            dir,
            EPOCH,
            Map.of(),
            SandboxRunStep.inStore(into.root(), Optional.empty(), BuildSecrets.NONE));
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  private static ImageManifest manifest(OciLayoutStore in, NodeResult result) throws IOException {
    return ImageManifest.parse(in.readBlob(result.manifest()));
  }

  @Test
  void zstdLayersHoldWhatTheGzipTwinHoldsAndBuildahReadsThemSo() throws Exception {
    NodeResult gzip = build(store, project("twin-gzip", "corp/app-gzip", "gzip"));
    NodeResult zstd = build(store, project("twin-zstd", "corp/app-zstd", "zstd"));

    List<Descriptor> gzipLayers = manifest(store, gzip).layers();
    List<Descriptor> zstdLayers = manifest(store, zstd).layers();
    assertThat(gzipLayers).hasSize(4);
    assertThat(zstdLayers.get(0)).isEqualTo(gzipLayers.get(0)); // the base, stored as imported
    assertThat(zstdLayers.subList(1, 4))
        .allSatisfy(d -> assertThat(d.mediaType()).isEqualTo(MediaTypes.LAYER_ZSTD));
    assertThat(gzipLayers.subList(1, 4))
        .allSatisfy(d -> assertThat(d.mediaType()).isEqualTo(MediaTypes.LAYER_GZIP));
    for (Descriptor layer : zstdLayers.subList(1, 4)) {
      byte[] blob = store.readBlob(layer.digest());
      assertThat(blob).startsWith(0x28, 0xb5, 0x2f, 0xfd);
      assertThat(Digest.sha256(blob)).isEqualTo(layer.digest());
    }
    // Same diffIDs and history (SOURCE_DATE_EPOCH): one config for both images.
    assertThat(zstd.config()).isEqualTo(gzip.config());
    assertThat(zstd.manifest()).isNotEqualTo(gzip.manifest());

    TreeMap<String, String> fromGzip =
        TreeSnapshot.withoutTimes(
            buildah.open("oci:" + store.root() + ":corp/app-gzip:latest").mount());
    BuildahContainers.Container zstdContainer =
        buildah.open("oci:" + store.root() + ":corp/app-zstd:latest");
    TreeMap<String, String> fromZstd = TreeSnapshot.withoutTimes(zstdContainer.mount());
    assertThat(fromZstd).isEqualTo(fromGzip);
    assertThat(fromZstd.get("opt/bundle/docs/readme")).contains("0100644");
    assertThat(fromZstd).containsKey("opt/ran").doesNotContainKey("etc/group");
    List<String> diffIds = buildah.diffIds(zstdContainer);
    ImageConfig config = ImageConfig.parse(store.readBlob(zstd.config()));
    assertThat(diffIds).isEqualTo(config.diffIds().stream().map(Digest::toString).toList());
  }

  @Test
  void aChangeOfCompressionMissesTheCacheAndChangingBackHitsIt() throws Exception {
    Path dir = project("switch", "corp/app-switch", "gzip");
    OciLayoutStore own = TestBuilds.storeWithBase(tmp.resolve("switch-store"), EPOCH);
    NodeResult first = build(own, dir);
    Path yaml = dir.resolve("strata.yaml");
    Files.writeString(yaml, Files.readString(yaml).replace("gzip", "zstd"));
    NodeResult zstd = build(own, dir);
    Files.writeString(yaml, Files.readString(yaml).replace("zstd", "gzip"));
    NodeResult back = build(own, dir);

    assertThat(zstd.stepsReused()).isZero();
    assertThat(zstd.stepsRun()).hasSize(3);
    assertThat(back.stepsRun()).as("steps run after switching back").isEmpty();
    assertThat(back.manifest()).isEqualTo(first.manifest());
  }

  @Test
  void twoCleanZstdBuildsInTwoEmptyStoresGiveOneDigest() throws Exception {
    Path dir = project("reproducible", "corp/app-repro", "zstd");
    OciLayoutStore other = TestBuilds.storeWithBase(tmp.resolve("other-store"), EPOCH);
    OciLayoutStore third = TestBuilds.storeWithBase(tmp.resolve("third-store"), EPOCH);

    NodeResult a = build(other, dir);
    NodeResult b = build(third, dir);

    assertThat(b.manifest()).isEqualTo(a.manifest());
    assertThat(manifest(other, a).layers().get(1).mediaType()).isEqualTo(MediaTypes.LAYER_ZSTD);
  }
}
