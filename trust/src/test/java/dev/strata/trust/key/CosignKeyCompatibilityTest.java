package dev.strata.trust.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.trust.CosignCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys move both ways between Strata and the real cosign 2.5. */
class CosignKeyCompatibilityTest {
  private static final Map<String, String> PASSWORD = Map.of("COSIGN_PASSWORD", "s3cret pw");

  @TempDir Path dir;

  @Test
  void aStrataKeySignsBlobsThatCosignVerifies() throws Exception {
    CosignCli cosign = CosignCli.require();
    KeyPairFiles.of(dir, "strata").generate(PasswordSource.fromEnvironment(PASSWORD, null));
    Files.writeString(dir.resolve("blob.txt"), "hello from strata\n");

    CosignCli.Result signed =
        cosign.run(
            dir,
            PASSWORD,
            "sign-blob",
            "--key",
            "strata.key",
            "--tlog-upload=false",
            "--output-signature",
            "blob.sig",
            "blob.txt");
    assertThat(signed.ok()).as(signed.toString()).isTrue();
    CosignCli.Result verified =
        cosign.run(
            dir,
            Map.of(),
            "verify-blob",
            "--key",
            "strata.pub",
            "--signature",
            "blob.sig",
            "--insecure-ignore-tlog=true",
            "blob.txt");
    assertThat(verified.ok()).as(verified.toString()).isTrue();
    assertThat(verified.stderr()).contains("Verified OK");
  }

  @Test
  void cosignDerivesTheSamePublicKeyFromAStrataKey() throws Exception {
    CosignCli cosign = CosignCli.require();
    SigningKey key =
        KeyPairFiles.of(dir, "strata").generate(PasswordSource.fromEnvironment(PASSWORD, null));

    CosignCli.Result result = cosign.run(dir, PASSWORD, "public-key", "--key", "strata.key");

    assertThat(result.ok()).as(result.toString()).isTrue();
    assertThat(VerificationKey.fromPem(result.stdout(), "cosign public-key"))
        .isEqualTo(key.publicKey());
  }

  @Test
  void aCosignKeyIsReadByStrataAndItsSignaturesVerifyInCosign() throws Exception {
    CosignCli cosign = CosignCli.require();
    CosignCli.Result generated = cosign.run(dir, PASSWORD, "generate-key-pair");
    assertThat(generated.ok()).as(generated.toString()).isTrue();

    SigningKey key =
        SigningKey.read(dir.resolve("cosign.key"), PasswordSource.fromEnvironment(PASSWORD, null));
    assertThat(key.publicKey()).isEqualTo(VerificationKey.read(dir.resolve("cosign.pub")));

    byte[] blob = "signed by strata with a cosign key".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("blob"), blob);
    Files.writeString(dir.resolve("blob.sig"), Base64.getEncoder().encodeToString(key.sign(blob)));
    CosignCli.Result verified =
        cosign.run(
            dir,
            Map.of(),
            "verify-blob",
            "--key",
            "cosign.pub",
            "--signature",
            "blob.sig",
            "--insecure-ignore-tlog=true",
            "blob");
    assertThat(verified.ok()).as(verified.toString()).isTrue();
  }

  @Test
  void aCosignKeyWithTheWrongPasswordIsRefused() throws Exception {
    CosignCli cosign = CosignCli.require();
    assertThat(cosign.run(dir, PASSWORD, "generate-key-pair").ok()).isTrue();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                SigningKey.read(
                    dir.resolve("cosign.key"),
                    PasswordSource.fromEnvironment(Map.of("COSIGN_PASSWORD", "nope"), null)))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("wrong password");
  }
}
