package dev.strata.trust.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.trust.key.SigningKey;
import dev.strata.trust.key.VerificationKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy.json and registries.d a host needs to enforce Strata's signatures. */
class ContainersPolicyTest {
  @Test
  void eachScopeRequiresASigstoreSignatureWithTheDefaultIdentityRule() throws Exception {
    ContainersPolicy policy =
        ContainersPolicy.withKeyPath(
            List.of("localhost:5000/corp", "quay.io/corp/soe"), "/etc/pki/containers/strata.pub");
    JsonNode json = new ObjectMapper().readTree(policy.policyJson());

    assertThat(json.get("default").toString()).isEqualTo("[{\"type\":\"reject\"}]");
    JsonNode rule = json.get("transports").get("docker").get("quay.io/corp/soe").get(0);
    assertThat(rule.toString())
        .isEqualTo(
            "{\"type\":\"sigstoreSigned\",\"keyPath\":\"/etc/pki/containers/strata.pub\","
                + "\"signedIdentity\":{\"type\":\"matchRepoDigestOrExact\"}}");
    assertThat(json.get("transports").get("docker").has("localhost:5000/corp")).isTrue();
  }

  @Test
  void theDefaultIsNeverInsecureAcceptAnythingWhichBootcRefuses() throws Exception {
    String json = ContainersPolicy.withKeyPath(List.of("r.example/x"), "/k.pub").policyJson();
    assertThat(new ObjectMapper().readTree(json).get("default").toString())
        .doesNotContain("insecureAcceptAnything");
  }

  @Test
  void keyDataEmbedsTheBase64OfThePem() throws Exception {
    VerificationKey key = SigningKey.generate().publicKey();
    JsonNode json =
        new ObjectMapper()
            .readTree(ContainersPolicy.withKeyData(List.of("r.example/x"), key).policyJson());
    String data =
        json.get("transports").get("docker").get("r.example/x").get(0).get("keyData").asText();
    assertThat(new String(Base64.getDecoder().decode(data))).isEqualTo(key.pem());
  }

  @Test
  void registriesDTurnsOnSigstoreAttachmentsPerScope() {
    assertThat(ContainersPolicy.withKeyPath(List.of("localhost:5000/corp"), "/k").registriesD())
        .isEqualTo("docker:\n  localhost:5000/corp:\n    use-sigstore-attachments: true\n");
  }

  @Test
  void aScopeWithATagOrSchemeIsRefused() {
    assertThatThrownBy(() -> ContainersPolicy.withKeyPath(List.of("https://r.example/x"), "/k"))
        .hasMessageContaining("not a REGISTRY[:PORT][/REPO] scope");
    assertThatThrownBy(() -> ContainersPolicy.withKeyPath(List.of("r.example/x:1"), "/k"))
        .hasMessageContaining("not a REGISTRY[:PORT][/REPO] scope");
    assertThatThrownBy(() -> ContainersPolicy.withKeyPath(List.of(), "/k"))
        .hasMessageContaining("at least one");
  }
}
