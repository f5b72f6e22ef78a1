package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.trust.LocalRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code strata build} is recorded in the catalog: two builds with one package added to the
 * SOE in between show in {@code catalog history}, {@code catalog diff} and {@code catalog tree}; a
 * build that reuses everything records nothing new; {@code catalog sync} of what a build pushed
 * recovers the same lineage in another store; the bootc lint at the end of each node's build.
 */
class BuildCatalogTest {
  @TempDir Path tmp;

  @Test
  void twoBuildsWithOnePackageAddedToTheSoeShowInHistoryDiffAndTree() throws Exception {
    ChainProject chain = ChainProject.create(tmp, null, null);
    chain.importRootfs();
    CliRun first = chain.strata("build", chain.project().toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("[soe] recorded as soe@1 in the catalog");

    chain.setPackages("soe", "base-files", "busybox", "ca-certificates", "nginx-light");
    CliRun second = chain.strata("build", chain.project().toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("[soe] recorded as soe@2", "[app] recorded as app@2");
    assertThat(second.out()).doesNotContain("[base] recorded");

    CliRun history = chain.strata("catalog", "history", "soe");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out())
        .contains("soe@1", "soe@2", "new node", "step 2: input file changed: status");

    CliRun diff = chain.strata("catalog", "diff", "soe@1", "soe@2");
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out())
        .contains("packages added (1):", "+ nginx-light 1.0-1 (amd64)")
        .doesNotContain("packages removed", "packages upgraded", "packages downgraded");

    CliRun tree = chain.strata("catalog", "tree");
    assertThat(tree.exitCode()).as(tree.err()).isZero();
    String text = tree.out();
    assertThat(text).contains("corp/rootfs:1", "base@1", "soe@2", "app@2");
    assertThat(text.indexOf("base@1")).isLessThan(text.indexOf("soe@2"));
    assertThat(text.indexOf("soe@2")).isLessThan(text.indexOf("app@2"));
  }

  @Test
  void anUnreadablePackageDatabaseIsNotedAndTheBuildRecordedWithoutInventory() throws Exception {
    ChainProject chain = ChainProject.create(tmp, null, null);
    chain.importRootfs();
    chain.write(chain.project(), "soe/status", "this is not a dpkg status file\n");

    CliRun build = chain.strata("build", chain.project().toString());

    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out())
        .contains(
            "[soe] catalog: package database unreadable, no inventory recorded: dpkg status"
                + " line 1: expected 'Field: value'",
            "[soe] recorded as soe@1 in the catalog");
    assertThat(build.out().indexOf("[soe] catalog: package database unreadable"))
        .isLessThan(build.out().indexOf("[soe] recorded as soe@1"));
    CliRun packages = chain.strata("catalog", "packages", "soe");
    assertThat(packages.exitCode()).as(packages.err()).isZero();
    assertThat(packages.out()).contains("No packages recorded");
  }

  @Test
  void aBuildThatReusesEverythingRecordsNothingNew() throws Exception {
    ChainProject chain = ChainProject.create(tmp, null, null);
    chain.importRootfs();
    assertThat(chain.strata("build", chain.project().toString()).exitCode()).isZero();
    CliRun again = chain.strata("build", chain.project().toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("built 0, reused 3").doesNotContain("recorded as");
    assertThat(chain.strata("catalog", "history", "app").out())
        .contains("app@1")
        .doesNotContain("app@2");
  }

  @Test
  void syncOfWhatABuildPushedRecoversTheSameLineageInAnotherStore() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start()) {
      ChainProject chain = ChainProject.create(tmp, registry.host() + "/synced", registry.host());
      chain.importRootfs();
      CliRun build = chain.strata("build", "--push", chain.project().toString());
      assertThat(build.exitCode()).as(build.out() + build.err()).isZero();

      Path other = tmp.resolve("other-store");
      CliRun sync = sync(other, registry);
      assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
      assertThat(sync.out()).contains("3 recorded, 0 already known, 0 problem(s)");

      ObjectMapper json = new ObjectMapper();
      CliRun built = chain.strata("catalog", "tree", "--json");
      CliRun synced = ChainProject.strataWith(other, "catalog", "tree", "--json");
      assertThat(json.readTree(synced.out())).isEqualTo(json.readTree(built.out()));
      assertThat(synced.out()).contains("\"node\" : \"app\"");
      CliRun packages = ChainProject.strataWith(other, "catalog", "packages", "app");
      assertThat(packages.out()).contains("postgresql-15");

      CliRun again = sync(other, registry);
      assertThat(again.out()).contains("0 recorded, 3 already known");
    }
  }

  private static CliRun sync(Path store, LocalRegistry registry) {
    return ChainProject.strataWith(
        store,
        "catalog",
        "sync",
        registry.host() + "/synced",
        "--insecure-registry",
        registry.host());
  }

  @Test
  void eachBootcNodeIsLintedAndStrictMakesFindingsFatal() throws Exception {
    ChainProject chain = ChainProject.create(tmp, null, null);
    chain.importRootfs();
    CliRun strict = chain.strata("build", "--strict", chain.project().toString());
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.out()).contains("[base] lint: ");
    assertThat(strict.err()).contains("[base] bootc lint failed with --strict");
    assertThat(strict.out()).doesNotContain("[soe] building");

    CliRun again = chain.strata("build", "--strict", chain.project().toString());
    assertThat(again.exitCode()).as("an image that failed stays failed").isEqualTo(1);
    assertThat(again.out()).contains("(image unchanged since its last check)");

    CliRun lenient = chain.strata("build", chain.project().toString());
    assertThat(lenient.exitCode()).as(lenient.err()).isZero();
    assertThat(lenient.out()).contains("[app] lint: ");
  }
}
