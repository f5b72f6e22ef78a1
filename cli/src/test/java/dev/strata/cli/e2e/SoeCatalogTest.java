package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, must-show 1: after building examples/soe twice with one package added to the SOE in
 * between, {@code catalog history soe} shows both builds, {@code catalog diff} between them shows
 * exactly that package added, {@code catalog diff soe db-server} lists postgresql as what db-server
 * adds, {@code catalog search pkg=postgresql} finds db-server only, and {@code catalog tree} shows
 * base → soe → {db-server, web-server}. The store (and so the catalog) is shared with the other e2e
 * classes, so builds are counted from where this class starts.
 */
class SoeCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADDED = "tree";

  @TempDir static Path tmp;
  static SoeExample soe;
  static int before;
  static int after;

  @BeforeAll
  static void buildTwiceWithOnePackageAdded() throws Exception {
    soe = SoeExample.copyTo(tmp.resolve("soe"));
    soe.ensureBuilt();
    before = soeBuilds();
    Path containerfile = soe.file("soe/Containerfile");
    String text = Files.readString(containerfile);
    assertThat(text).contains("sudo less vim-tiny curl");
    Files.writeString(
        containerfile, text.replace("sudo less vim-tiny curl", "sudo less vim-tiny curl " + ADDED));
    SoeExample.Build second = soe.build();
    assertThat(second.exitCode()).as(second.tail()).isZero();
    after = soeBuilds();
  }

  private static int soeBuilds() throws Exception {
    SoeExample.Run history = SoeExample.strata("catalog", "history", "--json", "soe");
    assertThat(history.exitCode()).as(history.err()).isZero();
    return JSON.readTree(history.out()).size();
  }

  @Test
  void historyShowsTheSecondBuildWithItsReason() {
    assertThat(after).isEqualTo(before + 1);
    SoeExample.Run history = SoeExample.strata("catalog", "history", "soe");
    assertThat(history.out()).contains("soe@" + before, "soe@" + after, "instruction changed");
  }

  @Test
  void diffBetweenTheTwoSoeBuildsShowsExactlyThePackageAdded() throws Exception {
    SoeExample.Run diff =
        SoeExample.strata("catalog", "diff", "--json", "soe@" + before, "soe@" + after);
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    JsonNode d = JSON.readTree(diff.out());
    assertThat(d.path("added")).hasSize(1);
    assertThat(d.path("added").get(0).path("name").asText()).isEqualTo(ADDED);
    assertThat(d.path("removed")).isEmpty();
    assertThat(d.path("upgraded")).isEmpty();
    assertThat(d.path("downgraded")).isEmpty();
  }

  @Test
  void dbServerAddsPostgresqlOverTheSoeAndOnlyItShipsIt() {
    SoeExample.Run adds = SoeExample.strata("catalog", "diff", "soe", "db-server");
    assertThat(adds.exitCode()).as(adds.err()).isZero();
    assertThat(adds.out()).contains("What db-server", "+ postgresql", "+ postgresql-15");
    SoeExample.Run search = SoeExample.strata("catalog", "search", "--json", "pkg=postgresql");
    assertThat(search.exitCode()).as(search.err()).isZero();
    assertThat(search.out())
        .contains("db-server")
        .doesNotContain("\"web-server")
        .doesNotContain("\"soe@");
  }

  @Test
  void treeShowsBaseSoeAndBothRoles() {
    SoeExample.Run tree = SoeExample.strata("catalog", "tree");
    String text = tree.out();
    assertThat(text)
        .contains(SoeExample.BASE.replace("docker.io/library/", ""), "base@", "soe@" + after);
    assertThat(text.indexOf("base@")).isLessThan(text.indexOf("soe@" + after));
    assertThat(text.indexOf("soe@" + after)).isLessThan(text.indexOf("db-server@"));
    assertThat(text.indexOf("soe@" + after)).isLessThan(text.indexOf("web-server@"));
  }
}
