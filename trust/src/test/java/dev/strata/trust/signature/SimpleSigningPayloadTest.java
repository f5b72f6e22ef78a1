package dev.strata.trust.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bridge.oci.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The simple-signing payload, byte for byte, and containers/image's strict reading of it. */
class SimpleSigningPayloadTest {
  private static final Digest DIGEST = Digest.sha256("manifest");

  @Test
  void thePayloadIsCompactJsonWithTheTaggedReference() {
    var payload = new SimpleSigningPayload("localhost:5000/corp/soe:1", DIGEST, "strata 0.1", 42L);
    assertThat(new String(payload.bytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"localhost:5000/corp/soe:1\"},"
                + "\"image\":{\"docker-manifest-digest\":\""
                + DIGEST
                + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":{\"creator\":\"strata 0.1\",\"timestamp\":42}}");
  }

  @Test
  void withoutOptionalFieldsOptionalIsNullAsCosignWrites() {
    var payload = new SimpleSigningPayload("r/x", DIGEST, null, null);
    assertThat(new String(payload.bytes(), StandardCharsets.UTF_8)).endsWith("\"optional\":null}");
    assertThat(SimpleSigningPayload.parse(payload.bytes())).isEqualTo(payload);
  }

  @Test
  void aPayloadRoundTrips() {
    var payload = new SimpleSigningPayload("localhost:5000/a:b", DIGEST, "c", 7L);
    assertThat(SimpleSigningPayload.parse(payload.bytes())).isEqualTo(payload);
  }

  @Test
  void anExtraCriticalKeyIsRefusedLikeContainersImageDoes() {
    String json =
        "{\"critical\":{\"identity\":{\"docker-reference\":\"r:t\"},\"image\":{\"docker-manifest-digest\":\""
            + DIGEST
            + "\"},\"type\":\"cosign container image signature\",\"extra\":\"x\"},\"optional\":null}";
    assertThatThrownBy(() -> SimpleSigningPayload.parse(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unknown key 'extra'");
  }

  @Test
  void anotherTypeIsRefused() {
    String json =
        "{\"critical\":{\"identity\":{\"docker-reference\":\"r:t\"},\"image\":{\"docker-manifest-digest\":\""
            + DIGEST
            + "\"},\"type\":\"atomic container signature\"},\"optional\":null}";
    assertThatThrownBy(() -> SimpleSigningPayload.parse(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("type is 'atomic container signature'");
  }

  @Test
  void aNonIntegerTimestampIsRefused() {
    String json =
        "{\"critical\":{\"identity\":{\"docker-reference\":\"r:t\"},\"image\":{\"docker-manifest-digest\":\""
            + DIGEST
            + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"timestamp\":\"1\"}}";
    assertThatThrownBy(() -> SimpleSigningPayload.parse(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("timestamp is not an integer");
  }
}
