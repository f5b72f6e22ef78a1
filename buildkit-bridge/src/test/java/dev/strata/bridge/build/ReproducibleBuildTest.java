package dev.strata.bridge.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.store.OciLayoutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 1: with SOURCE_DATE_EPOCH, two clean builds in two empty stores give the same image
 * digest; without it, {@code created} is the build time. And the cache: a second identical build
 * runs nothing and gives the same digest.
 */
class ReproducibleBuildTest {
  private static final Instant EPOCH = Instant.ofEpochSecond(1_700_000_000);
  private static final String CONTAINERFILE =
      """
      FROM strata-test/busybox:1
      ARG VERSION=1
      ENV APP_VERSION=$VERSION
      COPY app/ /opt/app/
      COPY --chown=app:staff conf.txt /etc/app/
      ADD bundle.tar /opt/bundle/
      WORKDIR /opt/work
      LABEL org.example.role=test
      CMD ["/bin/sh"]
      """;

  @TempDir Path tmp;

  @BeforeAll
  static void root() {
    TestBuilds.requireRoot();
  }

  private Path project(Path dir) throws Exception {
    Path ctx =
        TestBuilds.context(
            dir,
            CONTAINERFILE,
            Map.of(
                "app/run.sh", "#!/bin/sh\necho hi\n", "app/lib/a.txt", "a", "conf.txt", "x=1\n"));
    Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(dir.resolve("bundle/readme"), "bundled\n");
    TestBuilds.run(dir, "tar", "-cf", "bundle.tar", "-C", "bundle", ".");
    // Fresh files carry "now" as mtime: exactly what SOURCE_DATE_EPOCH must clamp.
    return ctx;
  }

  @Test
  void twoCleanBuildsInTwoEmptyStoresGiveOneDigestWithSourceDateEpoch() throws Exception {
    Optional<Instant> sde = Optional.of(EPOCH);
    OciLayoutStore first = TestBuilds.storeWithBase(tmp.resolve("store1"), sde);
    NodeResult a = TestBuilds.buildOne(first, project(tmp.resolve("one/app")), sde);
    Thread.sleep(1100); // a different wall clock second for the second build
    OciLayoutStore second = TestBuilds.storeWithBase(tmp.resolve("store2"), sde);
    NodeResult b = TestBuilds.buildOne(second, project(tmp.resolve("two/app")), sde);

    assertThat(b.manifest()).isEqualTo(a.manifest());
    ImageConfig config = ImageConfig.parse(first.readBlob(a.config()));
    assertThat(config.created()).contains(EPOCH);
    assertThat(config.history()).allSatisfy(h -> assertThat(h.created()).isEqualTo(EPOCH));
  }

  @Test
  void withoutSourceDateEpochCreatedIsTheBuildTime() throws Exception {
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
    Instant before = Instant.now();
    NodeResult result = TestBuilds.buildOne(store, project(tmp.resolve("p/app")), Optional.empty());
    ImageConfig config = ImageConfig.parse(store.readBlob(result.config()));
    assertThat(config.created()).isPresent();
    assertThat(config.created().get()).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
  }

  @Test
  void aSecondIdenticalBuildRunsNothingAndGivesTheSameDigest() throws Exception {
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
    Path ctx = project(tmp.resolve("p/app"));
    NodeResult first = TestBuilds.buildOne(store, ctx, Optional.empty());
    NodeResult second = TestBuilds.buildOne(store, ctx, Optional.empty());

    assertThat(first.stepsBuilt()).isEqualTo(8);
    assertThat(second.stepsBuilt()).isZero();
    assertThat(second.stepsReused()).isEqualTo(8);
    assertThat(second.manifest()).isEqualTo(first.manifest());
  }

  @Test
  void changingOneCopiedFileRebuildsFromThatCopyOn() throws Exception {
    OciLayoutStore store = TestBuilds.storeWithBase(tmp.resolve("store"), Optional.empty());
    Path ctx = project(tmp.resolve("p/app"));
    TestBuilds.buildOne(store, ctx, Optional.empty());
    Files.writeString(ctx.resolve("conf.txt"), "x=2\n");
    NodeResult again = TestBuilds.buildOne(store, ctx, Optional.empty());

    // ARG, ENV and the first COPY come from the cache; the second COPY and every later step run.
    assertThat(again.stepsReused()).isEqualTo(3);
    assertThat(again.stepsBuilt()).isEqualTo(5);
    ImageManifest manifest = ImageManifest.parse(store.readBlob(again.manifest()));
    assertThat(manifest.layers()).hasSize(5); // base + 2 COPY + ADD + WORKDIR
  }
}
