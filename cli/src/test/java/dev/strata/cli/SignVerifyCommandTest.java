package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.registry.BlobSource;
import dev.strata.bridge.registry.Registry;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.trust.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata keygen, sign and verify end to end against a real registry, as a user runs them. */
class SignVerifyCommandTest {
  private static final Map<String, String> PASSWORD = Map.of("STRATA_PASSWORD", "pw");

  @TempDir static Path dir;
  static LocalRegistry registry;
  static String host;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
    host = registry.host();
    image = host + "/corp/app:latest";
    try (Registry client = RegistryConnector.fromEnvironment(Set.of(host)).connect(host)) {
      ContentBlob config =
          ContentBlob.of(
              MediaTypes.IMAGE_CONFIG,
              "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{}}"
                  .getBytes(StandardCharsets.UTF_8));
      client.pushBlob("corp/app", config.digest(), BlobSource.of(config.bytes()), List.of());
      client.pushManifest(
          "corp/app",
          "latest",
          new ImageManifest(config.descriptor(), List.of(), Map.of()).render());
    }
    assertThat(CliProcess.run(dir, PASSWORD, "keygen").exitCode()).isZero();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aSignedImageVerifiesAndNoOutputShowsThePrivateKey() throws Exception {
    CliProcess sign =
        CliProcess.run(
            dir, PASSWORD, "sign", "--insecure-registry", host, "--key", "cosign.key", image);
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(sign.out()).contains("signed " + host + "/corp/app@sha256:", "as " + image);

    CliProcess verify =
        CliProcess.run(
            dir, Map.of(), "verify", "--signature-only", "--insecure-registry", host, image);
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("ok   signature: " + image, "verified: 1 image (app)");

    String encryptedBody =
        Files.readString(dir.resolve("cosign.key")).lines().skip(1).findFirst().orElseThrow();
    for (String output : List.of(sign.out(), sign.err(), verify.out(), verify.err())) {
      assertThat(output).doesNotContain("PRIVATE KEY").doesNotContain(encryptedBody);
    }
  }

  @Test
  void withoutAttestationsTheFullCheckFailsWithExitCode1AndSaysWhy() throws Exception {
    CliProcess.run(
        dir, PASSWORD, "sign", "--insecure-registry", host, "--key", "cosign.key", image);
    CliProcess verify = CliProcess.run(dir, Map.of(), "verify", "--insecure-registry", host, image);
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("FAIL sbom: no SPDX attestation", "verification FAILED");
  }

  @Test
  void anotherKeyIsRefusedWithExitCode1() throws Exception {
    CliProcess.run(
        dir, PASSWORD, "sign", "--insecure-registry", host, "--key", "cosign.key", image);
    Files.createDirectories(dir.resolve("other"));
    assertThat(CliProcess.run(dir, PASSWORD, "keygen", "--output-key-prefix", "other/k").exitCode())
        .isZero();
    CliProcess verify =
        CliProcess.run(
            dir,
            Map.of(),
            "verify",
            "--signature-only",
            "--insecure-registry",
            host,
            "--key",
            "other/k.pub",
            image);
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("not made by an accepted key");
  }

  @Test
  void aWrongPasswordIsAUsageErrorAndSignsNothing() throws Exception {
    CliProcess sign =
        CliProcess.run(
            dir,
            Map.of("STRATA_PASSWORD", "nope"),
            "sign",
            "--insecure-registry",
            host,
            "--key",
            "cosign.key",
            host + "/corp/app:latest");
    assertThat(sign.exitCode()).isEqualTo(2);
    assertThat(sign.err()).contains("wrong password");
  }

  @Test
  void aDigestThatTheTagNoLongerNamesIsNotSigned() throws Exception {
    CliProcess sign =
        CliProcess.run(
            dir,
            PASSWORD,
            "sign",
            "--insecure-registry",
            host,
            "--key",
            "cosign.key",
            image + "@" + Digest.sha256("other"));
    assertThat(sign.exitCode()).isEqualTo(1);
    assertThat(sign.err()).contains("nothing signed");
  }
}
