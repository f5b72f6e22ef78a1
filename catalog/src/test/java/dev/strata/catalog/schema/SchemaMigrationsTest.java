package dev.strata.catalog.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.catalog.BuildId;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.Layer;
import dev.strata.catalog.SignatureState;
import dev.strata.catalog.StoredBuild;
import dev.strata.packages.InstalledPackage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7, must-show 4: a catalog made by an older schema opens migrated, nothing lost. */
class SchemaMigrationsTest {
  @TempDir Path store;

  /** Makes catalog.db with the V1 migration only and loads the V1 fixture rows into it. */
  private Path versionOneCatalog() throws Exception {
    Path file = store.resolve(Catalog.FILE_NAME);
    Catalog.openFile(file, SchemaMigrations.all().upTo(1)).close();
    String fixture;
    try (InputStream in =
        getClass().getResourceAsStream("/dev/strata/catalog/catalog-v1-fixture.sql")) {
      fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      for (String sql : SchemaMigrations.statements(fixture)) {
        st.execute(sql);
      }
      assertThat(SchemaMigrations.currentVersion(c)).isEqualTo(1);
    }
    return file;
  }

  @Test
  void versionOneCatalogIsMigratedToTheLatestWithoutLoss() throws Exception {
    versionOneCatalog();
    try (Catalog catalog = Catalog.open(store)) {
      assertThat(catalog.schemaVersion()).isEqualTo(SchemaMigrations.all().latestVersion());
      List<StoredBuild> builds = catalog.builds();
      assertThat(builds).extracting(b -> b.id().toString()).containsExactly("base@1", "soe@1");
      StoredBuild base = builds.get(0);
      assertThat(base.origin()).isEqualTo("build");
      assertThat(base.record().signature().state()).isEqualTo(SignatureState.SIGNED);
      assertThat(base.record().baseReference()).contains("docker.io/library/debian:bookworm");
      assertThat(base.record().projectEntry())
          .contains("{containerfile: base/Containerfile, image: base}");
      assertThat(base.record().planReasons()).containsExactly("new node (no recorded build)");
      StoredBuild soe = builds.get(1);
      assertThat(soe.record().tags()).containsExactlyInAnyOrder("latest", "2025.05");
      assertThat(soe.record().parentDigests()).containsExactly(base.digest());
      assertThat(soe.record().buildArgs()).isEqualTo(Map.of("SOE_VERSION", "2025.05"));
      assertThat(soe.record().layers())
          .extracting(Layer::createdBy)
          .containsExactly("RUN apt-get install", "COPY files/etc/ /etc/");
      assertThat(soe.record().labels()).isEqualTo(Map.of("com.example.soe.version", "2025.05"));
      List<InstalledPackage> packages = catalog.packages(new BuildId("base", 1));
      assertThat(packages)
          .extracting(InstalledPackage::fullVersion)
          .containsExactly("5.2.15-2+b2", "1:9.2p1-2+deb12u2");
      assertThat(packages).allSatisfy(p -> assertThat(p.license()).isEqualTo(Optional.empty()));
      // The new schema's tables work on the migrated data: numbering goes on from the old rows.
      BuildId next =
          catalog.record(
              soe.record().toBuilder().digest("sha256:" + "9".repeat(64)).build(),
              dev.strata.packages.PackageInventory.EMPTY);
      assertThat(next).isEqualTo(new BuildId("soe", 2));
    }
  }

  @Test
  void schemaVersionTableListsEveryAppliedStepOnce() throws Exception {
    Path file = versionOneCatalog();
    Catalog.open(store).close();
    Catalog.open(store).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(2);
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void catalogFromANewerStrataIsRefused() throws Exception {
    Path file = store.resolve(Catalog.FILE_NAME);
    Catalog.open(store).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00Z')");
    }
    assertThatThrownBy(() -> Catalog.open(store))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("schema version 99, newer than this Strata knows");
  }

  @Test
  void catalogUsesWriteAheadLogging() throws Exception {
    try (Catalog catalog = Catalog.open(store);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog.file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }
}
