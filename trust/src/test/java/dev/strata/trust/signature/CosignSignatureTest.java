package dev.strata.trust.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.bridge.oci.Digest;
import dev.strata.trust.CosignCli;
import dev.strata.trust.attachment.AttachedBlob;
import dev.strata.trust.key.KeyPairFiles;
import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A signature layer: what cosign writes, what cosign verifies, what is refused. */
class CosignSignatureTest {
  private static final SimpleSigningPayload PAYLOAD =
      new SimpleSigningPayload(
          "localhost:5000/corp/soe:latest", Digest.sha256("manifest"), "strata", 1L);

  @TempDir Path dir;

  @Test
  void theLayerCarriesThePayloadAndABase64DerSignature() {
    AttachedBlob layer = CosignSignature.sign(PAYLOAD, SigningKey.generate());
    assertThat(layer.descriptor().mediaType())
        .isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
    assertThat(layer.bytes()).isEqualTo(PAYLOAD.bytes());
    String signature = layer.descriptor().annotations().get("dev.cosignproject.cosign/signature");
    assertThat(java.util.Base64.getDecoder().decode(signature)[0]).isEqualTo((byte) 0x30);
  }

  @Test
  void cosignVerifyBlobAcceptsThePayloadAndSignature() throws Exception {
    CosignCli cosign = CosignCli.require();
    SigningKey key =
        KeyPairFiles.of(dir, "k")
            .generate(PasswordSource.fromEnvironment(Map.of("STRATA_PASSWORD", ""), null));
    AttachedBlob layer = CosignSignature.sign(PAYLOAD, key);
    Files.write(dir.resolve("payload.json"), layer.bytes());
    Files.writeString(
        dir.resolve("payload.sig"),
        layer.descriptor().annotations().get(CosignSignature.SIGNATURE_ANNOTATION));

    CosignCli.Result result =
        cosign.run(
            dir,
            Map.of(),
            "verify-blob",
            "--key",
            "k.pub",
            "--signature",
            "payload.sig",
            "--insecure-ignore-tlog=true",
            "payload.json");

    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  void theRightKeyVerifiesAndReturnsThePayload() {
    SigningKey key = SigningKey.generate();
    assertThat(CosignSignature.verify(CosignSignature.sign(PAYLOAD, key), key.publicKey()))
        .contains(PAYLOAD);
  }

  @Test
  void aWrongKeyIsRefused() {
    AttachedBlob layer = CosignSignature.sign(PAYLOAD, SigningKey.generate());
    assertThat(CosignSignature.verify(layer, SigningKey.generate().publicKey())).isEmpty();
  }

  @Test
  void aTamperedPayloadIsRefused() {
    SigningKey key = SigningKey.generate();
    AttachedBlob layer = CosignSignature.sign(PAYLOAD, key);
    byte[] tampered =
        new SimpleSigningPayload(
                "localhost:5000/evil:latest", PAYLOAD.manifestDigest(), "strata", 1L)
            .bytes();
    AttachedBlob forged =
        AttachedBlob.of(CosignSignature.MEDIA_TYPE, tampered, layer.descriptor().annotations());
    assertThat(CosignSignature.verify(forged, key.publicKey())).isEmpty();
  }
}
