package dev.strata.catalog.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.Layer;
import dev.strata.catalog.SoeFixture;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.query.CatalogTree;
import dev.strata.catalog.query.Lineage;
import dev.strata.graph.ProvenanceLabels;
import dev.strata.packages.InstalledPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, must-show 3 (logic): a registry holding what another store built, with Strata's
 * provenance labels, synced into an empty catalog recovers the same lineage and packages.
 */
class CatalogSyncTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path storeA;
  @TempDir Path storeB;

  /** Pushes the latest build of every node of {@code catalog} as the engine would label it. */
  static InMemoryRegistry registryFrom(Catalog catalog) throws Exception {
    InMemoryRegistry registry = new InMemoryRegistry();
    for (StoredBuild b : BuildResolver.latestByNode(catalog.builds()).values()) {
      Map<String, String> labels = new LinkedHashMap<>(b.record().labels());
      labels.put(ProvenanceLabels.NODE, b.node());
      b.record().parentNode().ifPresent(p -> labels.put(ProvenanceLabels.PARENT_NODE, p));
      b.record().parentDigest().ifPresent(d -> labels.put(ProvenanceLabels.PARENT_DIGEST, d));
      b.record().baseReference().ifPresent(r -> labels.put(ProvenanceLabels.BASE_NAME, r));
      b.record().baseDigest().ifPresent(d -> labels.put(ProvenanceLabels.BASE_DIGEST, d));
      b.record().gitCommit().ifPresent(c -> labels.put(ProvenanceLabels.REVISION, c));
      ObjectNode config = JSON.createObjectNode();
      config.put("created", b.record().builtAt().toString());
      ObjectNode inner = config.putObject("config");
      inner.set("Labels", JSON.valueToTree(labels));
      var history = config.putArray("history");
      for (Layer layer : b.record().layers()) {
        history.addObject().put("created_by", layer.createdBy());
      }
      history.addObject().put("created_by", "LABEL ...").put("empty_layer", true);
      List<RemoteImage.RemoteLayer> layers =
          b.record().layers().stream()
              .map(l -> new RemoteImage.RemoteLayer(l.digest(), l.size()))
              .toList();
      String repository = b.record().reference().substring("localhost:5000/".length());
      RemoteImage image =
          new RemoteImage(repository, b.digest(), b.record().size(), config.toString(), layers);
      byte[] status = dpkgStatus(catalog.packages(b.id())).getBytes(StandardCharsets.UTF_8);
      registry.push(repository, "latest", image, Map.of("var/lib/dpkg/status", status));
      registry.push(repository, "sha256-" + b.digest().substring(7) + ".sig", image, Map.of());
    }
    return registry;
  }

  static String dpkgStatus(List<InstalledPackage> packages) {
    return packages.stream()
        .map(
            p ->
                "Package: "
                    + p.name()
                    + "\nStatus: install ok installed\nArchitecture: "
                    + p.arch()
                    + "\nVersion: "
                    + p.fullVersion()
                    + "\n")
        .collect(Collectors.joining("\n"));
  }

  @Test
  void syncRecoversTheLineageTreeAndPackages() throws Exception {
    InMemoryRegistry registry;
    List<StoredBuild> original;
    try (Catalog a = Catalog.open(storeA)) {
      SoeFixture.record(a);
      registry = registryFrom(a);
      original = a.builds();
    }
    try (Catalog b = Catalog.open(storeB)) {
      SyncReport report = CatalogSync.run(b, registry, "corp");
      assertThat(report.problems()).isEmpty();
      assertThat(report.recorded())
          .extracting(Object::toString)
          .containsExactly("base@1", "soe@1", "db-server@1", "web-server@1");
      List<StoredBuild> synced = b.builds();
      assertThat(synced).allSatisfy(s -> assertThat(s.origin()).isEqualTo("sync"));

      StoredBuild db = new BuildResolver(synced).resolve("db-server");
      assertThat(Lineage.of(db, synced).builds())
          .extracting(StoredBuild::node)
          .containsExactly("db-server", "soe", "base");
      assertThat(Lineage.of(db, synced).externalDigest()).contains(SoeFixture.DEBIAN_DIGEST);
      StoredBuild originalDb = new BuildResolver(original).resolve("db-server");
      assertThat(db.digest()).isEqualTo(originalDb.digest());
      assertThat(db.record().layers()).isEqualTo(originalDb.record().layers());
      assertThat(b.packages(db.id())).isEqualTo(packagesOf(storeA, "db-server"));

      CatalogTree tree = CatalogTree.of(synced);
      assertThat(tree.roots())
          .singleElement()
          .satisfies(root -> assertThat(root.base()).isEqualTo(SoeFixture.DEBIAN));
      CatalogTree.Branch soe = tree.roots().get(0).nodes().get(0).children().get(0);
      assertThat(soe.children())
          .extracting(CatalogTree.Branch::node)
          .containsExactly("db-server", "web-server");
    }
  }

  @Test
  void secondSyncRecordsNothingNew() throws Exception {
    InMemoryRegistry registry;
    try (Catalog a = Catalog.open(storeA)) {
      SoeFixture.record(a);
      registry = registryFrom(a);
    }
    try (Catalog b = Catalog.open(storeB)) {
      CatalogSync.run(b, registry, "");
      SyncReport again = CatalogSync.run(b, registry, "corp/soe");
      assertThat(again.recorded()).isEmpty();
      assertThat(again.alreadyKnown()).isEqualTo(1);
      assertThat(b.builds()).hasSize(4);
    }
  }

  private static List<InstalledPackage> packagesOf(Path store, String node)
      throws CatalogException {
    try (Catalog c = Catalog.open(store)) {
      return c.packages(new BuildResolver(c.builds()).resolve(node).id());
    }
  }
}
