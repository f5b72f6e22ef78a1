package dev.strata.trust.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.oci.Digest;
import dev.strata.trust.CosignCli;
import dev.strata.trust.attachment.AttachedBlob;
import dev.strata.trust.key.KeyPairFiles;
import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSSE envelopes of in-toto statements: the PAE, signatures, cosign's acceptance. */
class DsseEnvelopeTest {
  @TempDir Path dir;

  private static InTotoStatement statement(Digest subject) throws Exception {
    return new InTotoStatement(
        "localhost:5000/corp/soe",
        subject,
        PredicateType.SPDX.uri(),
        new ObjectMapper().readTree("{\"spdxVersion\":\"SPDX-2.3\"}"));
  }

  @Test
  void thePaeIsTheDsseV1EncodingWithByteLengths() {
    byte[] pae =
        DsseEnvelope.pae(
            "application/vnd.in-toto+json", "{\"é\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 28 application/vnd.in-toto+json 8 {\"é\":1}");
  }

  @Test
  void theStatementNamesTheSubjectDigestWithoutItsAlgorithmPrefix() throws Exception {
    Digest d = Digest.sha256("image");
    String json = new String(statement(d).bytes(), StandardCharsets.UTF_8);
    assertThat(json)
        .startsWith(
            "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"localhost:5000/corp/soe\",\"digest\":{\"sha256\":\""
                + d.hex()
                + "\"}}]");
  }

  @Test
  void anEnvelopeVerifiesUnderItsKeyAndNotAnother() throws Exception {
    SigningKey key = SigningKey.generate();
    Digest d = Digest.sha256("image");
    AttachedBlob layer = CosignAttestation.sign(statement(d), key);

    assertThat(CosignAttestation.verify(layer, key.publicKey(), d))
        .hasValueSatisfying(s -> assertThat(s.predicateType()).isEqualTo(PredicateType.SPDX.uri()));
    assertThat(CosignAttestation.verify(layer, SigningKey.generate().publicKey(), d)).isEmpty();
    assertThat(CosignAttestation.verify(layer, key.publicKey(), Digest.sha256("other image")))
        .isEmpty();
  }

  @Test
  void aTamperedStatementIsRefused() throws Exception {
    SigningKey key = SigningKey.generate();
    Digest d = Digest.sha256("image");
    DsseEnvelope envelope = DsseEnvelope.parse(CosignAttestation.sign(statement(d), key).bytes());
    byte[] payload = envelope.payload();
    payload[payload.length - 3] ^= 1;
    DsseEnvelope tampered =
        new DsseEnvelope(envelope.payloadType(), payload, envelope.signatures());
    assertThat(tampered.verifiedBy(key.publicKey())).isFalse();
    assertThat(envelope.verifiedBy(key.publicKey())).isTrue();
  }

  @Test
  void theLayerIsAnnotatedAsCosignAttestWritesIt() throws Exception {
    AttachedBlob layer =
        CosignAttestation.sign(statement(Digest.sha256("i")), SigningKey.generate());
    assertThat(layer.descriptor().mediaType()).isEqualTo("application/vnd.dsse.envelope.v1+json");
    assertThat(layer.descriptor().annotations())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "dev.cosignproject.cosign/signature",
                "",
                "predicateType",
                "https://spdx.dev/Document"));
  }

  @Test
  void cosignVerifyBlobAttestationAcceptsTheEnvelope() throws Exception {
    CosignCli cosign = CosignCli.require();
    SigningKey key =
        KeyPairFiles.of(dir, "k")
            .generate(PasswordSource.fromEnvironment(Map.of("STRATA_PASSWORD", ""), null));
    byte[] subject = "the attested blob".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("blob"), subject);
    Files.write(
        dir.resolve("envelope.json"),
        CosignAttestation.sign(statement(Digest.sha256(subject)), key).bytes());

    CosignCli.Result ok =
        cosign.run(
            dir,
            Map.of(),
            "verify-blob-attestation",
            "--key",
            "k.pub",
            "--signature",
            "envelope.json",
            "--type",
            "spdxjson",
            "--insecure-ignore-tlog=true",
            "blob");
    assertThat(ok.ok()).as(ok.toString()).isTrue();

    Files.writeString(dir.resolve("blob"), "another blob");
    CosignCli.Result refused =
        cosign.run(
            dir,
            Map.of(),
            "verify-blob-attestation",
            "--key",
            "k.pub",
            "--signature",
            "envelope.json",
            "--type",
            "spdxjson",
            "--insecure-ignore-tlog=true",
            "blob");
    assertThat(refused.ok()).as(refused.toString()).isFalse();
  }
}
