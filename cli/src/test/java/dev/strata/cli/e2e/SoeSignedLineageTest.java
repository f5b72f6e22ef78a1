package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.Main;
import dev.strata.trust.LocalRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, must-show 3: examples/soe pushed to a local registry with {@code --sign}; {@code strata
 * verify} on db-server walks db-server → soe → base and reports each signature and each SBOM's
 * package count (the Debian packages each image really carries, more at each level).
 */
class SoeSignedLineageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static LocalRegistry registry;
  static SoeExample soe;
  static SoeExample.Build pushed;

  @BeforeAll
  static void buildPushAndSign() throws Exception {
    registry = LocalRegistry.start();
    soe = SoeExample.copyTo(tmp.resolve("soe"));
    soe.ensureBuilt();
    Path yaml = soe.file("strata.yaml");
    Files.writeString(
        yaml,
        Files.readString(yaml)
            .replace(
                "# registry: localhost:5000/corp",
                "registry: "
                    + registry.host()
                    + "/corp\ninsecure-registries: ["
                    + registry.host()
                    + "]"));
    // A plain PKCS#8 key (accepted like cosign's), so the in-process build needs no password.
    exec(
        tmp,
        "openssl",
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        "signing.pem");
    exec(tmp, "openssl", "pkey", "-in", "signing.pem", "-pubout", "-out", "signing.pub");
    pushed = soe.build("--push", "--sign", "--key", tmp.resolve("signing.pem").toString());
    assertThat(pushed.exitCode()).as(pushed.tail()).isZero();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void verifyOnDbServerWalksTheLineageWithEachSignatureAndSbom() throws Exception {
    // verify reads the registry only: no --store, so not SoeExample.strata.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "verify",
            "--json",
            "--insecure-registry",
            registry.host(),
            "--key",
            tmp.resolve("signing.pub").toString(),
            registry.host() + "/corp/db-server:latest");
    SoeExample.Run verify = new SoeExample.Run(code, out.toString(), err.toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    JsonNode report = JSON.readTree(verify.out());
    List<String> names = new ArrayList<>();
    List<Integer> packages = new ArrayList<>();
    for (JsonNode image : report.path("chain")) {
      names.add(image.path("reference").asText());
      packages.add(image.path("packages").asInt(-1));
      assertThat(image.path("passed").toString()).contains("signature");
    }
    String corp = registry.host() + "/corp/";
    assertThat(names)
        .containsExactly(corp + "db-server:latest", corp + "soe:latest", corp + "base:latest");
    assertThat(packages.get(2)).as("base carries Debian packages").isGreaterThan(50);
    assertThat(packages.get(1)).as("soe adds agents").isGreaterThan(packages.get(2));
    assertThat(packages.get(0)).as("db-server adds postgresql").isGreaterThan(packages.get(1));
  }

  private static void exec(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
