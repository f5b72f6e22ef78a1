package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.buildkit.BuildxBuilder;
import dev.strata.trust.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BuildKit engine's results go through the same post-build pipeline as the native engine's: the
 * {@link ChainProject} chain built once natively and once with {@code --engine buildkit} (on the
 * builder {@value #BUILDER}, the docker context scripts/setup-machine.sh starts), each with {@code
 * --push --sign} into its own repository of one real registry and its own store, is verified the
 * same by {@code strata verify}, accepted by cosign, and recorded in the catalog with the same
 * nodes, lineage, labels (modulo image digests), package inventories and signature state.
 */
class BuildKitParityTest {
  static final String BUILDER = "strata-buildkit";
  private static final String PASSWORD = "parity-of-two-engines";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NODES = List.of("base", "soe", "app");
  private static final Pattern DIGEST = Pattern.compile("sha256([:-])([0-9a-f]{64})");

  @TempDir static Path dir;
  static LocalRegistry registry;
  static ChainProject nativeChain;
  static ChainProject buildKitChain;
  static CliProcess nativeBuild;
  static CliProcess buildKitBuild;

  @BeforeAll
  static void buildBothWays() throws Exception {
    assertThat(BuildxBuilder.named(BUILDER).dockerContext())
        .as("docker context " + BUILDER + " (scripts/setup-machine.sh starts it)")
        .isTrue();
    registry = LocalRegistry.start();
    nativeChain = chain("native");
    buildKitChain = chain("buildkit");
    Map<String, String> env = Map.of("STRATA_PASSWORD", PASSWORD);
    CliProcess keygen = CliProcess.run(nativeChain.project(), env, "keygen");
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    for (String file : List.of("cosign.key", "cosign.pub")) {
      Files.copy(nativeChain.project().resolve(file), buildKitChain.project().resolve(file));
    }
    nativeBuild = build(nativeChain, env);
    buildKitBuild = build(buildKitChain, env, "--engine", "buildkit", "--builder", BUILDER);
  }

  /** The chain under {@code dir/NAME}, pushing to {@code REGISTRY/NAME/<node>}, signed. */
  private static ChainProject chain(String name) throws Exception {
    ChainProject chain =
        ChainProject.create(dir.resolve(name), registry.host() + "/" + name, registry.host());
    chain.importRootfs();
    Path yaml = chain.project().resolve("strata.yaml");
    Files.writeString(yaml, Files.readString(yaml) + "sign: { key: cosign.key }\n");
    return chain;
  }

  private static CliProcess build(ChainProject chain, Map<String, String> env, String... engine)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("build", "--push", "--sign"));
    args.addAll(List.of(engine));
    args.addAll(
        List.of(
            "--store",
            chain.store.toString(),
            "--disk-output",
            chain.root.resolve("disks").toString(),
            "."));
    CliProcess run = CliProcess.run(chain.project(), env, args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static String ref(String engine, String node) {
    return registry.host() + "/" + engine + "/" + node + ":latest";
  }

  @Test
  void bothBuildsPushSignAndRecordEachNode() {
    for (CliProcess build : List.of(nativeBuild, buildKitBuild)) {
      for (String node : NODES) {
        assertThat(build.out())
            .contains(
                "[" + node + "] pushed ",
                "[" + node + "] recorded as " + node + "@1 in the catalog")
            .contains("signed, SBOM and provenance attached");
      }
    }
    assertThat(buildKitBuild.out()).contains("[app] disk: qcow2 ");
  }

  @Test
  void verifyAcceptsBothAndWalksTheSameLineageWithTheSamePackageCounts() throws Exception {
    List<JsonNode> chains = new ArrayList<>();
    for (String engine : List.of("native", "buildkit")) {
      CliProcess verify =
          CliProcess.run(
              dir.resolve(engine).resolve("project"),
              Map.of(),
              "verify",
              "--json",
              "--insecure-registry",
              registry.host(),
              "--key",
              "cosign.pub",
              ref(engine, "app"));
      assertThat(verify.exitCode()).as(engine + ": " + verify.out() + verify.err()).isZero();
      JsonNode report = JSON.readTree(verify.out());
      assertThat(report.path("verified").asBoolean()).isTrue();
      chains.add(report.path("chain"));
    }
    List<String> nativeWalk = walk(chains.get(0), "native");
    assertThat(nativeWalk).containsExactly("app 4", "soe 3", "base 2");
    assertThat(walk(chains.get(1), "buildkit")).isEqualTo(nativeWalk);
  }

  /** Each image of a verified chain as "node packages", its reference in {@code engine}'s repo. */
  private static List<String> walk(JsonNode chain, String engine) {
    List<String> walk = new ArrayList<>();
    for (JsonNode image : chain) {
      String reference = image.path("reference").asText();
      String prefix = registry.host() + "/" + engine + "/";
      assertThat(reference).startsWith(prefix).endsWith(":latest");
      assertThat(image.path("packages").isInt()).as(image.toString()).isTrue();
      walk.add(
          reference.substring(prefix.length(), reference.length() - ":latest".length())
              + " "
              + image.path("packages").asInt());
    }
    return walk;
  }

  @Test
  void cosignAcceptsTheSignaturesAndAttestationsOfTheBuildKitImages() throws Exception {
    for (String node : NODES) {
      String out = cosign("verify", "--key", "cosign.pub", ref("buildkit", node));
      assertThat(out).contains("\"docker-reference\":\"" + ref("buildkit", node) + "\"");
    }
    cosign(
        "verify-attestation", "--key", "cosign.pub", "--type", "spdxjson", ref("buildkit", "app"));
    cosign(
        "verify-attestation",
        "--key",
        "cosign.pub",
        "--type",
        "slsaprovenance1",
        ref("buildkit", "soe"));
  }

  private static String cosign(String... args) throws Exception {
    Path cosign = Path.of("/opt/strata-tools/bin/cosign");
    assertThat(cosign).as("cosign from scripts/setup-machine.sh").isExecutable();
    List<String> command = new ArrayList<>(List.of(cosign.toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--insecure-ignore-tlog=true", "--allow-insecure-registry", "--allow-http-registry"));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(buildKitChain.project().toFile())
            .redirectErrorStream(true);
    pb.environment().put("TUF_ROOT", dir.resolve(".sigstore").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("cosign " + String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }

  @Test
  void catalogShowOfBothStoresRecordsTheSameBuildModuloImageDigests() throws Exception {
    for (String node : NODES) {
      JsonNode nativeShow = catalog(nativeChain, "show", node);
      JsonNode buildKitShow = catalog(buildKitChain, "show", node);
      // Each engine is named for what it did, in the catalog as in the provenance.
      assertThat(nativeShow.path("record").path("engine").asText()).isEqualTo("native");
      assertThat(buildKitShow.path("record").path("engine").asText()).isEqualTo("buildkit");
      // The same Containerfile bytes, so the same digest, not merely the same shape.
      assertThat(buildKitShow.path("record").path("containerfileDigest"))
          .isEqualTo(nativeShow.path("record").path("containerfileDigest"));
      JsonNode expected = comparable(nativeShow, "native");
      assertThat(comparable(buildKitShow, "buildkit")).as(node).isEqualTo(expected);
      // What the comparison covers: signed, attested, the lineage, only Strata's own labels.
      assertThat(expected.path("record").path("signature").path("state").asText())
          .isEqualTo("SIGNED");
      assertThat(expected.path("record").path("attestations")).hasSize(2);
      assertThat(expected.path("lineage")).hasSize(NODES.indexOf(node) + 1);
      assertThat(expected.path("record").path("labels").path("dev.strata.node").asText())
          .isEqualTo(node);
    }
    JsonNode app = comparable(catalog(nativeChain, "show", "app"), "native");
    assertThat(app.path("record").path("parentNode").asText()).isEqualTo("soe");
    assertThat(app.path("record").has("baseReference"))
        .as("a child of a node names its parent node, not the lineage's external base")
        .isFalse();
    assertThat(app.path("record").path("labels").has("org.opencontainers.image.base.name"))
        .isFalse();
    assertThat(app.path("externalBase").asText()).isEqualTo("docker.io/corp/rootfs:1");
    assertThat(app.path("packages").asInt()).isEqualTo(4);
  }

  @Test
  void catalogTreeAndHistoryOfBothStoresAreTheSameModuloImageDigests() throws Exception {
    JsonNode tree = anonymized(catalog(nativeChain, "tree"), "native");
    assertThat(anonymized(catalog(buildKitChain, "tree"), "buildkit")).isEqualTo(tree);
    assertThat(tree.toString()).contains("\"node\":\"app\"");
    for (String node : NODES) {
      JsonNode history = withoutTimes(anonymized(catalog(nativeChain, "history", node), "native"));
      assertThat(history).hasSize(1);
      assertThat(withoutTimes(anonymized(catalog(buildKitChain, "history", node), "buildkit")))
          .as(node)
          .isEqualTo(history);
    }
  }

  @Test
  void catalogPackagesOfBothStoresAreTheSame() throws Exception {
    for (String node : NODES) {
      JsonNode packages = catalog(nativeChain, "packages", node);
      assertThat(packages.toString()).contains("busybox");
      assertThat(catalog(buildKitChain, "packages", node)).as(node).isEqualTo(packages);
    }
    assertThat(catalog(buildKitChain, "packages", "app").toString()).contains("postgresql-15");
  }

  private static JsonNode catalog(ChainProject chain, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("catalog"));
    all.addAll(List.of(args));
    all.add("--json");
    CliRun run = chain.strata(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /**
   * A {@code catalog show} document without what must differ between the engines: the time, sizes
   * and per-layer history text (BuildKit writes its own {@code created_by} and compresses
   * differently; the layers are counted), the disk image's file, and the engine (checked apart).
   * The image config, a JSON string, is compared as JSON.
   */
  private static JsonNode comparable(JsonNode show, String engine) throws Exception {
    ObjectNode doc = (ObjectNode) anonymized(show, engine);
    ObjectNode record = (ObjectNode) doc.get("record");
    record.set(
        "config", anonymized(JSON.readTree(show.path("record").path("config").asText()), engine));
    record.put("layers", record.path("layers").size());
    record.remove(List.of("engine", "builtAt", "size"));
    ArrayNode disks = JSON.createArrayNode();
    record.path("disks").forEach(d -> disks.add(d.path("type").asText()));
    record.set("disks", disks);
    return doc;
  }

  private static JsonNode withoutTimes(JsonNode history) {
    history.forEach(row -> ((ObjectNode) row).remove("builtAt"));
    return history;
  }

  /**
   * {@code document} with each distinct digest replaced by its order of first appearance (so which
   * digests are equal still counts: a signature must name the record's own digest) and the engine's
   * repository and folder by placeholders.
   */
  private static JsonNode anonymized(JsonNode document, String engine) {
    String text = document.toString();
    text = text.replace(registry.host() + "/" + engine + "/", "REGISTRY/REPO/");
    text = text.replace(dir.resolve(engine).toString(), "DIR");
    Matcher digests = DIGEST.matcher(text);
    Map<String, String> numbers = new HashMap<>();
    StringBuilder out = new StringBuilder();
    while (digests.find()) {
      String number = numbers.computeIfAbsent(digests.group(2), d -> "#" + (numbers.size() + 1));
      digests.appendReplacement(out, "sha256" + digests.group(1) + number);
    }
    digests.appendTail(out);
    try {
      return JSON.readTree(out.toString());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
