package dev.strata.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.catalog.query.BuildDiff;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.query.CatalogSearch;
import dev.strata.catalog.query.CatalogTree;
import dev.strata.catalog.query.Lineage;
import dev.strata.catalog.query.PackageChange;
import dev.strata.catalog.query.SearchHit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, must-show 1, over recorded builds shaped like examples/soe. */
class CatalogQueriesTest {
  @TempDir Path store;
  Catalog catalog;
  List<StoredBuild> builds;

  @BeforeEach
  void record() throws CatalogException {
    catalog = Catalog.open(store);
    SoeFixture.record(catalog);
    builds = catalog.builds();
  }

  @AfterEach
  void close() throws CatalogException {
    catalog.close();
  }

  private StoredBuild resolve(String ref) throws CatalogException {
    return new BuildResolver(builds).resolve(ref);
  }

  private BuildDiff diff(String a, String b) throws CatalogException {
    StoredBuild x = resolve(a);
    StoredBuild y = resolve(b);
    return BuildDiff.of(x, catalog.packages(x.id()), y, catalog.packages(y.id()), builds);
  }

  @Test
  void historyOfTheSoeHasTwoBuildsWithTheirReasons() throws CatalogException {
    List<StoredBuild> history = catalog.builds("soe");
    assertThat(history).extracting(b -> b.id().toString()).containsExactly("soe@1", "soe@2");
    assertThat(history.get(1).record().planReasons())
        .containsExactly("step 3: instruction changed: RUN apt-get install … tmux");
  }

  @Test
  void diffOfTwoSoeBuildsShowsExactlyThePackageAdded() throws CatalogException {
    BuildDiff diff = diff("soe@1", "soe@2");
    assertThat(diff.relation()).isEqualTo(BuildDiff.Relation.SAME_NODE);
    assertThat(diff.added())
        .containsExactly(
            new PackageChange(
                "tmux", "amd64", java.util.Optional.empty(), java.util.Optional.of("3.3a-3")));
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.upgraded()).isEmpty();
    assertThat(diff.downgraded()).isEmpty();
    assertThat(diff.sharedLayers()).isEqualTo(2);
    assertThat(diff.labels())
        .extracting(c -> c.key() + ":" + c.before().orElse("") + "→" + c.after().orElse(""))
        .containsExactly("com.example.soe.version:2025.06→2025.07");
  }

  @Test
  void diffOfTheSoeAndTheDatabaseServerIsPostgresqlAndItsDependencies() throws CatalogException {
    BuildDiff diff = diff("soe", "db-server");
    assertThat(diff.relation()).isEqualTo(BuildDiff.Relation.DESCENDANT);
    assertThat(diff.added())
        .extracting(PackageChange::name)
        .containsExactlyInAnyOrderElementsOf(SoeFixture.POSTGRESQL.keySet());
    assertThat(diff.removed()).isEmpty();
    assertThat(diff.layersRemoved()).isEmpty();
    assertThat(diff.layersAdded()).hasSize(1);
    assertThat(diff.config())
        .extracting(ValueChangeText::of)
        .containsExactly("ExposedPorts:  → {\"5432/tcp\":{}}", "StopSignal: SIGRTMIN+3 → ");
  }

  @Test
  void upgradesAndDowngradesFollowDpkgOrderNotTextOrder() throws CatalogException {
    StoredBuild soe = resolve("soe@2");
    var newer =
        SoeFixture.merge(
            SoeFixture.merge(SoeFixture.BASE_PACKAGES, SoeFixture.SOE_PACKAGES),
            SoeFixture.packages(
                "tmux", "3.3a-3+deb12u1", "libssl3", "3.0.11-1", "sudo", "1.9.13p3-1~bpo"));
    BuildId id =
        catalog.record(
            soe.record().toBuilder().digest(SoeFixture.digest('9')).build(),
            SoeFixture.inventory(newer));
    builds = catalog.builds();
    BuildDiff diff = diff("soe@2", id.toString());
    assertThat(diff.upgraded()).extracting(PackageChange::name).containsExactly("libssl3", "tmux");
    assertThat(diff.downgraded()).extracting(PackageChange::name).containsExactly("sudo");
  }

  @Test
  void searchForPostgresqlFindsOnlyTheDatabaseServer() throws CatalogException {
    List<SearchHit> hits = CatalogSearch.run(catalog, List.of("pkg=postgresql"), false);
    assertThat(hits).extracting(h -> h.build().id().toString()).containsExactly("db-server@2");
    assertThat(hits.get(0).matched()).isEqualTo("postgresql 15+248");
  }

  @Test
  void searchByVersionBoundComparesWithDpkgRules() throws CatalogException {
    // 3.0.11-1~deb12u2 sorts before 3.0.11-1 (tilde): every current image still ships it.
    assertThat(CatalogSearch.run(catalog, List.of("pkg=libssl3<3.0.11-1"), false)).hasSize(4);
    assertThat(CatalogSearch.run(catalog, List.of("pkg=libssl3>=3.0.11-1"), false)).isEmpty();
    assertThat(CatalogSearch.run(catalog, List.of("pkg=tmux"), true))
        .extracting(h -> h.build().id().toString())
        .containsExactly("soe@2", "db-server@2", "web-server@2");
  }

  @Test
  void searchByLabelAndByBase() throws CatalogException {
    assertThat(CatalogSearch.run(catalog, List.of("label=com.example.soe.version=2025.07"), false))
        .extracting(h -> h.build().node())
        .containsExactly("soe");
    assertThat(CatalogSearch.run(catalog, List.of("base=corp/soe"), false))
        .extracting(h -> h.build().node())
        .containsExactly("db-server", "web-server");
    assertThat(CatalogSearch.run(catalog, List.of("base=debian"), false)).hasSize(4);
    assertThatThrownBy(() -> CatalogSearch.run(catalog, List.of("package=x"), false))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("pkg=NAME");
  }

  @Test
  void treeShowsBaseSoeAndBothRolesWithCurrentBuilds() throws CatalogException {
    CatalogTree tree = CatalogTree.of(builds);
    assertThat(tree.roots()).hasSize(1);
    CatalogTree.Root root = tree.roots().get(0);
    assertThat(root.base()).isEqualTo(SoeFixture.DEBIAN);
    assertThat(root.nodes()).extracting(CatalogTree.Branch::node).containsExactly("base");
    CatalogTree.Branch soe = root.nodes().get(0).children().get(0);
    assertThat(soe.current().id().toString()).isEqualTo("soe@2");
    assertThat(soe.children())
        .extracting(b -> b.current().id().toString())
        .containsExactly("db-server@2", "web-server@2");
    assertThat(soe.children().get(0).builtFrom()).contains(new BuildId("soe", 2));
  }

  @Test
  void lineageRunsUpToTheExternalBase() throws CatalogException {
    Lineage lineage = Lineage.of(resolve("db-server@1"), builds);
    assertThat(lineage.builds())
        .extracting(b -> b.id().toString())
        .containsExactly("db-server@1", "soe@1", "base@1");
    assertThat(lineage.externalReference()).contains(SoeFixture.DEBIAN);
    assertThat(lineage.externalDigest()).contains(SoeFixture.DEBIAN_DIGEST);
    assertThat(Lineage.children(resolve("soe@1"), builds))
        .extracting(b -> b.id().toString())
        .containsExactly("db-server@1", "web-server@1");
  }

  @Test
  void referencesResolveByBuildNumberNodeDigestPrefixAndImageReference() throws CatalogException {
    assertThat(resolve("soe@1").digest()).isEqualTo(SoeFixture.digest('2'));
    assertThat(resolve("soe").id()).isEqualTo(new BuildId("soe", 2));
    assertThat(resolve("sha256:5555").id()).isEqualTo(new BuildId("soe", 2));
    assertThat(resolve("66666666").id()).isEqualTo(new BuildId("db-server", 2));
    assertThat(resolve("localhost:5000/corp/web-server:latest").id())
        .isEqualTo(new BuildId("web-server", 2));
    assertThat(resolve("localhost:5000/corp/soe@" + SoeFixture.digest('2')).id())
        .isEqualTo(new BuildId("soe", 1));
    assertThatThrownBy(() -> resolve("soe@3"))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("soe has builds 1 to 2");
    assertThatThrownBy(() -> resolve("nothing-here"))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("no recorded build matches 'nothing-here'");
  }

  /** A config change as "KEY: before → after". */
  private static final class ValueChangeText {
    static String of(dev.strata.catalog.query.ValueChange c) {
      return c.key() + ": " + c.before().orElse("") + " → " + c.after().orElse("");
    }
  }
}
