package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.catalog.BuildRecord;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.Layer;
import dev.strata.packages.PackageInventory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata catalog …} over a recorded base → soe (twice) → db-server hierarchy. */
class CatalogCommandTest {
  @TempDir Path store;

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  private static PackageInventory dpkg(String... nameVersion) {
    StringBuilder status = new StringBuilder();
    for (int i = 0; i < nameVersion.length; i += 2) {
      status
          .append("Package: ")
          .append(nameVersion[i])
          .append("\nStatus: install ok installed\n")
          .append("Architecture: amd64\nVersion: ")
          .append(nameVersion[i + 1])
          .append("\n\n");
    }
    return PackageInventory.ofDpkgStatus(status.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static BuildRecord.Builder build(
      String node, char d, String parentNode, String parent, int minutes) {
    return BuildRecord.builder(
            node,
            "localhost:5000/corp/" + node,
            digest(d),
            Instant.parse("2025-06-01T08:00:00Z").plusSeconds(60L * minutes))
        .tags(List.of("latest"))
        .parentNode(parentNode)
        .parentDigests(parent == null ? List.of() : List.of(parent))
        .base(
            parentNode == null ? "docker.io/library/debian:bookworm" : "corp/" + parentNode,
            parent == null ? digest('d') : parent)
        .layers(List.of(new Layer(digest('a'), 30_000_000, "RUN apt-get install -y systemd")))
        .size(300_000_000);
  }

  @BeforeEach
  void record() throws Exception {
    try (Catalog catalog = Catalog.open(store)) {
      catalog.record(
          build("base", '1', null, null, 0)
              .planReasons(List.of("new node (no recorded build)"))
              .build(),
          dpkg("bash", "5.2.15-2+b2", "libssl3", "3.0.11-1~deb12u2"));
      catalog.record(
          build("soe", '2', "base", digest('1'), 1)
              .planReasons(List.of("new node (no recorded build)"))
              .build(),
          dpkg("bash", "5.2.15-2+b2", "libssl3", "3.0.11-1~deb12u2", "chrony", "4.3-2"));
      catalog.record(
          build("soe", '3', "base", digest('1'), 2)
              .planReasons(List.of("step 2: instruction changed: RUN apt-get install chrony tmux"))
              .build(),
          dpkg(
              "bash",
              "5.2.15-2+b2",
              "libssl3",
              "3.0.11-1~deb12u2",
              "chrony",
              "4.3-2",
              "tmux",
              "3.3a-3"));
      catalog.record(
          build("db-server", '4', "soe", digest('3'), 3)
              .labels(Map.of("org.opencontainers.image.title", "corp/db-server"))
              .build(),
          dpkg(
              "bash",
              "5.2.15-2+b2",
              "libssl3",
              "3.0.11-1~deb12u2",
              "chrony",
              "4.3-2",
              "tmux",
              "3.3a-3",
              "postgresql",
              "15+248",
              "libpq5",
              "15.6-0+deb12u1"));
    }
  }

  private CliRun catalog(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "catalog";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--store";
    full[args.length + 2] = store.toString();
    return CliRun.of(full);
  }

  private static void fitsHundredColumns(String text) {
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
  }

  @Test
  void listShowsEachImagesLatestBuild() {
    CliRun run = catalog("list");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("soe@2", "db-server@1", "base@1", "localhost:5000/corp/soe:latest");
    assertThat(run.out()).doesNotContain("soe@1");
    fitsHundredColumns(run.out());
  }

  @Test
  void historyListsBothSoeBuildsWithReasons() {
    CliRun run = catalog("history", "soe");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("soe@1", "soe@2", "step 2: instruction changed: RUN apt-get install");
    fitsHundredColumns(run.out());
  }

  @Test
  void diffOfTwoSoeBuildsShowsThePackageAdded() {
    CliRun run = catalog("diff", "soe@1", "soe@2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("packages added (1):", "+ tmux 3.3a-3 (amd64)");
    assertThat(run.out()).doesNotContain("removed (");
  }

  @Test
  void diffJsonOfSoeAndDbServerListsPostgresqlAndLibpq() throws Exception {
    CliRun run = catalog("diff", "soe", "db-server", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("relation").asText()).isEqualTo("DESCENDANT");
    assertThat(json.path("added").findValuesAsText("name")).containsExactly("libpq5", "postgresql");
  }

  @Test
  void searchFindsPostgresqlOnlyInTheDatabaseServer() {
    CliRun run = catalog("search", "pkg=postgresql");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("db-server@1", "postgresql 15+248").doesNotContain("soe@");
  }

  @Test
  void treeShowsTheHierarchyFromTheExternalBase() {
    CliRun run = catalog("tree");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "docker.io/library/debian:bookworm  dddddddddddd  (external)\n└── base  base@1");
    assertThat(run.out()).contains("    └── soe  soe@2", "        └── db-server  db-server@1");
  }

  @Test
  void showGivesLineageUpToTheExternalBase() {
    CliRun run = catalog("show", "db-server");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "lineage:",
            "db-server@1",
            "soe@2",
            "base@1",
            "docker.io/library/debian:bookworm  dddddddddddd  (external base)");
    fitsHundredColumns(run.out());
  }

  @Test
  void packagesByDigestPrefixAndJson() throws Exception {
    CliRun run = catalog("packages", "sha256:2222", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(new ObjectMapper().readTree(run.out()).findValuesAsText("name"))
        .containsExactly("bash", "chrony", "libssl3");
  }

  @Test
  void unknownReferenceIsAUsageError() {
    CliRun run = catalog("show", "soe@7");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no build soe@7: soe has builds 1 to 2");
  }

  @Test
  void malformedSearchTermIsAUsageError() {
    CliRun run = catalog("search", "version=1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("use pkg=NAME");
  }
}
