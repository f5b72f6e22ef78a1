package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.packages.PackageInventory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording API the engine calls: every field kept, builds numbered per node, updates. */
class CatalogRecordingTest {
  @TempDir Path store;

  static BuildRecord full(String node, String digest) {
    return BuildRecord.builder(
            node, "localhost:5000/corp/" + node, digest, Instant.parse("2025-06-01T08:00:00.123Z"))
        .tags(List.of("latest", "2025.06"))
        .configDigest("sha256:" + "c".repeat(64))
        .config("{\"Cmd\":[\"/sbin/init\"]}")
        .parentDigests(List.of("sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64)))
        .parentNode("base")
        .base("corp/base", "sha256:" + "1".repeat(64))
        .containerfileDigest("sha256:" + "f".repeat(64))
        .projectEntry("{ containerfile: soe/Containerfile, image: soe }")
        .gitCommit("0123456789abcdef0123456789abcdef01234567")
        .buildArgs(Map.of("SOE_VERSION", "2025.06"))
        .size(42_000)
        .layers(List.of(new Layer("sha256:" + "a".repeat(64), 100, "RUN apt-get install")))
        .labels(Map.of("containers.bootc", "1"))
        .signature(
            new Signature(SignatureState.SIGNED, Optional.of("sha256-x.sig"), Optional.empty()))
        .attestations(
            List.of(
                new Attestation(
                    "https://slsa.dev/provenance/v1",
                    Optional.empty(),
                    Optional.of("sha256-x.att"))))
        .planReasons(List.of("new node (no recorded build)"))
        .engine("native")
        .build();
  }

  @Test
  void everyFieldOfTheRecordIsReadBack() throws CatalogException {
    BuildRecord record = full("soe", "sha256:" + "5".repeat(64));
    try (Catalog catalog = Catalog.open(store)) {
      BuildId id = catalog.record(record, SoeFixture.inventory(SoeFixture.POSTGRESQL));
      assertThat(id).isEqualTo(new BuildId("soe", 1));
    }
    try (Catalog catalog = Catalog.open(store)) {
      StoredBuild stored = catalog.build(new BuildId("soe", 1)).orElseThrow();
      assertThat(stored.record()).isEqualTo(record);
      assertThat(stored.origin()).isEqualTo("build");
      assertThat(catalog.packages(stored.id())).hasSize(SoeFixture.POSTGRESQL.size());
    }
  }

  @Test
  void buildsAreNumberedPerNode() throws CatalogException {
    try (Catalog catalog = Catalog.open(store)) {
      assertThat(catalog.record(full("soe", "sha256:" + "1".repeat(64)), PackageInventory.EMPTY))
          .hasToString("soe@1");
      assertThat(
              catalog.record(full("db-server", "sha256:" + "2".repeat(64)), PackageInventory.EMPTY))
          .hasToString("db-server@1");
      assertThat(catalog.record(full("soe", "sha256:" + "3".repeat(64)), PackageInventory.EMPTY))
          .hasToString("soe@2");
    }
  }

  @Test
  void theLatestBuildOfANodeIsItsHighestNumber() throws CatalogException {
    try (Catalog catalog = Catalog.open(store)) {
      assertThat(catalog.latestBuild("soe")).isEmpty();
      catalog.record(full("soe", "sha256:" + "1".repeat(64)), PackageInventory.EMPTY);
      catalog.record(full("db-server", "sha256:" + "2".repeat(64)), PackageInventory.EMPTY);
      catalog.record(full("soe", "sha256:" + "3".repeat(64)), PackageInventory.EMPTY);
      StoredBuild latest = catalog.latestBuild("soe").orElseThrow();
      assertThat(latest.id()).hasToString("soe@2");
      assertThat(latest.digest()).isEqualTo("sha256:" + "3".repeat(64));
      assertThat(latest.record().layers())
          .isEqualTo(catalog.builds("soe").get(1).record().layers());
    }
  }

  @Test
  void signatureAttestationsAndDisksAreUpdatedLater() throws CatalogException {
    try (Catalog catalog = Catalog.open(store)) {
      BuildId id =
          catalog.record(
              full("db-server", "sha256:" + "6".repeat(64)).toBuilder()
                  .signature(Signature.UNSIGNED)
                  .attestations(List.of())
                  .build(),
              PackageInventory.EMPTY);
      catalog.updateSignature(
          id,
          new Signature(
              SignatureState.VERIFIED, Optional.of("sha256-6.sig"), Optional.of("cosign.pub")));
      catalog.addAttestation(
          id,
          new Attestation(
              "https://spdx.dev/Document",
              Optional.of("sha256:" + "e".repeat(64)),
              Optional.empty()));
      DiskImage disk =
          new DiskImage(
              "qcow2",
              "output/qcow2/disk.qcow2",
              1 << 30,
              Optional.empty(),
              Instant.parse("2025-06-01T09:00:00Z"));
      catalog.addDisk(id, disk);
      BuildRecord after = catalog.build(id).orElseThrow().record();
      assertThat(after.signature().state()).isEqualTo(SignatureState.VERIFIED);
      assertThat(after.signature().key()).contains("cosign.pub");
      assertThat(after.attestations())
          .extracting(Attestation::predicateType)
          .containsExactly("https://spdx.dev/Document");
      assertThat(after.disks()).containsExactly(disk);
    }
  }

  @Test
  void twoWritersOnTwoConnectionsGetDistinctConsecutiveNumbers() throws Exception {
    int perWriter = 25;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<BuildId>>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        Callable<List<BuildId>> work =
            () -> {
              List<BuildId> ids = new ArrayList<>();
              // Each writer has its own Catalog, so its own SQLite connection, like a process.
              try (Catalog catalog = Catalog.open(store)) {
                for (int i = 0; i < perWriter; i++) {
                  String digest = String.format("sha256:%064x", writer * 1000 + i);
                  ids.add(
                      catalog.record(
                          full("soe", digest), SoeFixture.inventory(SoeFixture.POSTGRESQL)));
                }
              }
              return ids;
            };
        writers.add(pool.submit(work));
      }
      List<Integer> numbers = new ArrayList<>();
      for (Future<List<BuildId>> f : writers) {
        f.get().forEach(id -> numbers.add(id.number()));
      }
      assertThat(numbers).hasSize(2 * perWriter).doesNotHaveDuplicates();
      try (Catalog catalog = Catalog.open(store)) {
        List<StoredBuild> builds = catalog.builds("soe");
        assertThat(builds)
            .extracting(b -> b.id().number())
            .containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 2 * perWriter).boxed().toList());
        assertThat(catalog.packageCounts().values()).containsOnly(SoeFixture.POSTGRESQL.size());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
