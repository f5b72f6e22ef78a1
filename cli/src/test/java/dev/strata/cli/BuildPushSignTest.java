package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.trust.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata build --push --sign} of a three-node chain against a real registry: each node is
 * pushed (the children's base layers mounted, not uploaded), signed and attested; {@code strata
 * verify} on the leaf walks app → soe → base with each SBOM's package count; cosign 2.5 accepts the
 * signatures; and the private key is nowhere in the output, the store or the catalog.
 */
class BuildPushSignTest {
  private static final String PASSWORD = "correct-horse-pipeline-battery";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static LocalRegistry registry;
  static ChainProject chain;
  static CliProcess build;

  @BeforeAll
  static void buildPushAndSign() throws Exception {
    registry = LocalRegistry.start();
    chain = ChainProject.create(dir, registry.host() + "/signed", registry.host());
    chain.importRootfs();
    Map<String, String> env = Map.of("STRATA_PASSWORD", PASSWORD);
    CliProcess keygen = CliProcess.run(chain.project(), env, "keygen");
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    Files.writeString(
        chain.project().resolve("strata.yaml"),
        Files.readString(chain.project().resolve("strata.yaml")) + "sign: { key: cosign.key }\n");
    build =
        CliProcess.run(
            chain.project(),
            env,
            "build",
            "--push",
            "--sign",
            "--store",
            chain.store.toString(),
            "--disk-output",
            dir.resolve("disks").toString(),
            ".");
    assertThat(build.exitCode()).as(build.out() + build.err()).isZero();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static String ref(String node) {
    return registry.host() + "/signed/" + node + ":latest";
  }

  @Test
  void eachNodeIsPushedAndSignedAndChildrenMountTheirParentsLayers() {
    assertThat(build.out())
        .contains(
            "[base] pushed " + registry.host() + "/signed/base@sha256:",
            "[soe] pushed " + registry.host() + "/signed/soe@sha256:",
            "[app] pushed " + registry.host() + "/signed/app@sha256:",
            "signed, SBOM and provenance attached");
    String soe = build.out().lines().filter(l -> l.startsWith("[soe] pushed")).findFirst().get();
    // base's two layers (rootfs, motd) come from the base repository; soe's config and its own
    // two layers are new.
    assertThat(soe).contains("3 uploaded, 2 mounted");
  }

  @Test
  void verifyOnTheLeafWalksTheLineageWithEachSbomsPackageCount() throws Exception {
    CliProcess verify =
        CliProcess.run(
            chain.project(),
            Map.of(),
            "verify",
            "--json",
            "--insecure-registry",
            registry.host(),
            "--key",
            "cosign.pub",
            ref("app"));
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    JsonNode report = JSON.readTree(verify.out());
    assertThat(report.path("verified").asBoolean()).isTrue();
    List<String> references = new ArrayList<>();
    List<Integer> packages = new ArrayList<>();
    for (JsonNode image : report.path("chain")) {
      references.add(image.path("reference").asText());
      packages.add(image.path("packages").asInt(-1));
    }
    assertThat(references).containsExactly(ref("app"), ref("soe"), ref("base"));
    assertThat(packages).containsExactly(4, 3, 2);
  }

  @Test
  void cosignAcceptsTheSignatureOfEachNode() throws Exception {
    Path cosign = Path.of("/opt/strata-tools/bin/cosign");
    assertThat(cosign).as("cosign from scripts/setup-machine.sh").isExecutable();
    for (String node : List.of("base", "soe", "app")) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  cosign.toString(),
                  "verify",
                  "--key",
                  "cosign.pub",
                  "--insecure-ignore-tlog=true",
                  "--allow-insecure-registry",
                  "--allow-http-registry",
                  ref(node))
              .directory(chain.project().toFile())
              .redirectErrorStream(true);
      pb.environment().put("TUF_ROOT", dir.resolve(".sigstore").toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("\"docker-reference\":\"" + ref(node) + "\"");
    }
  }

  @Test
  void theCatalogRecordsEachSignedBuildWithItsAttestations() {
    CliRun show = chain.strata("catalog", "show", "app");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains(
            "signed " + registry.host() + "/signed/app:sha256-",
            "https://spdx.dev/Document",
            "https://slsa.dev/provenance/v1");
  }

  @Test
  void thePrivateKeyIsNowhereInTheOutputTheStoreOrTheCatalog() throws Exception {
    String keyFile = Files.readString(chain.project().resolve("cosign.key"));
    List<String> secrets = new ArrayList<>();
    keyFile.lines().filter(l -> !l.startsWith("-----") && l.length() > 20).forEach(secrets::add);
    secrets.add(PASSWORD);
    assertThat(secrets).hasSizeGreaterThan(1);
    List<String> texts = new ArrayList<>(List.of(build.out(), build.err()));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(chain.store)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).anyMatch(f -> f.getFileName().toString().equals("catalog.db"));
    for (Path file : files) {
      texts.add(new String(contentOf(file), StandardCharsets.ISO_8859_1));
    }
    for (String text : texts) {
      assertThat(text).doesNotContain("PRIVATE KEY");
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }

  /** A file's bytes, gunzipped when it is a gzip blob (a layer). */
  private static byte[] contentOf(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      }
    }
    return bytes;
  }
}
