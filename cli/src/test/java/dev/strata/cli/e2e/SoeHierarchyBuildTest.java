package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.store.OciLayoutStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, must-show 3: examples/soe builds end to end without a daemon, and rebuilds exactly what
 * a change affects — nothing after nothing changed, web-server from its COPY after its nginx site
 * file changed, soe and both roles (in parallel) after the SOE's Containerfile changed, everything
 * after the upstream base got a new digest.
 */
class SoeHierarchyBuildTest {
  private static final String SITE = "web-server/files/etc/nginx/sites-available/corp.conf";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Makes each run's edits new to the shared store: an edit built before, by an earlier run, would
   * be a cache hit (keys are content), and "rebuilds X" could not be observed.
   */
  private static final String RUN_ID = Long.toHexString(System.currentTimeMillis());

  @TempDir static Path tmp;
  static SoeExample soe;
  static SoeExample.Build first;
  private static SoeExample.Build soeChanged;

  @BeforeAll
  static void buildTheHierarchy() throws Exception {
    soe = SoeExample.copyTo(tmp.resolve("soe"));
    first = soe.ensureBuilt();
  }

  @Test
  void everyNodeIsStoredAndTheBaseKeepsTheBootcContract() throws Exception {
    for (String node : SoeExample.NODES) {
      assertThat(SoeExample.hasImage(node + ":latest")).as(node).isTrue();
    }
    OciLayoutStore store = OciLayoutStore.open(SoeExample.STORE);
    ImageManifest manifest = manifest(store, "base:latest");
    JsonNode config = JSON.readTree(store.readBlob(manifest.config().digest())).path("config");
    assertThat(config.path("Labels").path("containers.bootc").asText()).isEqualTo("1");
    assertThat(config.path("StopSignal").asText()).isEqualTo("SIGRTMIN+3");
    List<String> paths = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      paths.addAll(entries(store.blobPath(layer.digest())));
    }
    assertThat(paths)
        .anyMatch(p -> p.matches("usr/lib/modules/[^/]+-amd64/vmlinuz"))
        .anyMatch(p -> p.matches("usr/lib/modules/[^/]+-amd64/initramfs.img"))
        .noneMatch(p -> p.matches("boot/.+"));
    assertThat(roleLayerEntries(store, "db-server"))
        .contains(
            "usr/lib/postgresql/15/bin/postgres", "etc/postgresql/15/main/conf.d/10-corp.conf");
    assertThat(roleLayerEntries(store, "web-server"))
        .contains("usr/sbin/nginx", "etc/nginx/sites-enabled/corp.conf")
        .noneMatch(p -> p.startsWith("etc/ssl/private/ssl-cert-snakeoil"));
  }

  @Test
  void aSecondBuildRebuildsNothing() throws Exception {
    SoeExample.Build again = soe.build();
    assertThat(again.exitCode()).as(again.tail()).isZero();
    assertThat(again.rebuilt()).isEmpty();
    assertThat(again.report().path("reused").asInt()).isEqualTo(4);
    for (String node : SoeExample.NODES) {
      assertThat(again.manifest(node)).isEqualTo(first.manifest(node));
    }
    assertThat(soe.plan().path("rebuild")).isEmpty();
  }

  @Test
  void aChangedNginxSiteFileRebuildsOnlyWebServerFromItsCopy() throws Exception {
    SoeExample leaf = SoeExample.copyTo(tmp.resolve("leaf"));
    leaf.ensureBuilt();
    Files.writeString(
        leaf.file(SITE), "# tuned " + RUN_ID + "\n", java.nio.file.StandardOpenOption.APPEND);

    JsonNode plan = leaf.plan();
    assertThat(plan.path("rebuild").toString()).isEqualTo("[\"web-server\"]");
    JsonNode web = plan.path("nodes").get(3);
    assertThat(web.path("rebuildFromText").asText()).startsWith("COPY " + SITE.substring(11));
    assertThat(web.path("reasons").get(0).path("subject").asText()).isEqualTo(SITE.substring(11));

    SoeExample.Build build = leaf.build();
    assertThat(build.exitCode()).as(build.tail()).isZero();
    assertThat(build.rebuilt()).containsExactly("web-server");
    List<String> ran = build.stepsRun("web-server");
    assertThat(ran.get(0)).startsWith("COPY " + SITE.substring(11));
    assertThat(ran).noneMatch(step -> step.contains("apt-get"));
  }

  @Test
  void aChangedSoeContainerfileRebuildsSoeAndBothRolesButNotBase() throws Exception {
    SoeExample.Build build = soeChanged();
    assertThat(build.rebuilt()).containsExactlyInAnyOrder("soe", "db-server", "web-server");
    assertThat(build.stepsRun("base")).isEmpty();
    assertThat(build.stepsRun("soe").get(0)).isEqualTo("ARG SOE_VERSION=2025.07." + RUN_ID);
  }

  @Test
  void dbServerAndWebServerBuildAtTheSameTime() throws Exception {
    SoeExample.Build build = soeChanged();
    int firstDone =
        Math.min(build.progressLine("[db-server] built"), build.progressLine("[web-server] built"));
    assertThat(build.progressLine("[db-server] building")).isLessThan(firstDone);
    assertThat(build.progressLine("[web-server] building")).isLessThan(firstDone);
  }

  @Test
  void aNewDigestOfTheUpstreamBaseRebuildsEverything() throws Exception {
    SoeExample upstream = SoeExample.copyTo(tmp.resolve("upstream"));
    upstream.ensureBuilt();
    OciLayoutStore store = OciLayoutStore.open(SoeExample.STORE);
    Descriptor seeded = store.resolve(SoeExample.BASE).orElseThrow();
    Path newer = tmp.resolve("debian-newer.tar");
    Files.copy(SoeExample.seedTarball(), newer);
    Path stamp = Files.createDirectories(tmp.resolve("stamp/etc"));
    Files.writeString(stamp.resolve("strata-e2e-point-release"), "12.99 " + RUN_ID + "\n");
    run(
        "tar",
        "--append",
        "-f",
        newer.toString(),
        "-C",
        tmp.resolve("stamp").toString(),
        "./etc/strata-e2e-point-release");
    try {
      SoeExample.Run imported = SoeExample.strata("import", newer.toString(), SoeExample.BASE);
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(store.resolve(SoeExample.BASE).orElseThrow().digest())
          .isNotEqualTo(seeded.digest());

      SoeExample.Build build = upstream.build();
      assertThat(build.exitCode()).as(build.tail()).isZero();
      assertThat(build.rebuilt()).containsExactlyElementsOf(SoeExample.NODES);
    } finally {
      // The other tests build on the seeded base: tag it again (its blobs are still stored).
      store.tag(SoeExample.BASE, seeded);
    }
  }

  /** One build of a copy whose SOE version (a LABEL and the configure script's argument) moved. */
  private static synchronized SoeExample.Build soeChanged() throws Exception {
    if (soeChanged == null) {
      SoeExample mid = SoeExample.copyTo(tmp.resolve("soe-change"));
      mid.ensureBuilt();
      Path file = mid.file("soe/Containerfile");
      String text = Files.readString(file);
      assertThat(text).contains("ARG SOE_VERSION=2025.06");
      Files.writeString(
          file, text.replace("ARG SOE_VERSION=2025.06", "ARG SOE_VERSION=2025.07." + RUN_ID));
      soeChanged = mid.build();
      assertThat(soeChanged.exitCode()).as(soeChanged.tail()).isZero();
    }
    return soeChanged;
  }

  private static ImageManifest manifest(OciLayoutStore store, String ref) throws IOException {
    Descriptor d = store.resolve(ref).orElseThrow();
    return ImageManifest.parse(store.readBlob(d.digest()));
  }

  /** The paths in the layers a role image adds on top of the SOE image. */
  private static List<String> roleLayerEntries(OciLayoutStore store, String role) throws Exception {
    List<Descriptor> layers = manifest(store, role + ":latest").layers();
    int soeLayers = manifest(store, "soe:latest").layers().size();
    List<String> paths = new ArrayList<>();
    for (Descriptor layer : layers.subList(soeLayers, layers.size())) {
      paths.addAll(entries(store.blobPath(layer.digest())));
    }
    return paths;
  }

  private static List<String> entries(Path gzippedLayer) throws Exception {
    Process p = new ProcessBuilder("tar", "-tzf", gzippedLayer.toString()).start();
    List<String> out =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(p.waitFor()).isZero();
    return out.stream().map(s -> s.startsWith("./") ? s.substring(2) : s).toList();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
