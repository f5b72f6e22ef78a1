package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.trust.key.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata policy: the host snippets for a key and scopes. */
class PolicyCommandTest {
  @TempDir Path dir;

  @Test
  void printsPolicyJsonAndRegistriesDForTheScopes() throws Exception {
    Path pub = dir.resolve("cosign.pub");
    Files.writeString(pub, SigningKey.generate().publicKey().pem());

    CliRun run = CliRun.of("policy", "--key", pub.toString(), "--json", "localhost:5000/corp");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    JsonNode rule =
        json.get("policy.json").get("transports").get("docker").get("localhost:5000/corp").get(0);
    assertThat(rule.get("type").asText()).isEqualTo("sigstoreSigned");
    assertThat(rule.get("keyPath").asText()).isEqualTo("/etc/pki/containers/cosign.pub");
    assertThat(rule.get("signedIdentity").get("type").asText()).isEqualTo("matchRepoDigestOrExact");
    assertThat(json.get("registries.d/strata.yaml").asText())
        .contains("localhost:5000/corp:\n    use-sigstore-attachments: true");
  }

  @Test
  void aPrivateKeyInsteadOfAPublicOneIsAUsageError() throws Exception {
    Path key = dir.resolve("cosign.key");
    Files.writeString(key, SigningKey.generate().encryptedPem(new char[0]));
    CliRun run = CliRun.of("policy", "--key", key.toString(), "localhost:5000/corp");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("is not a public key");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void noScopeIsAUsageError() throws Exception {
    Path pub = dir.resolve("cosign.pub");
    Files.writeString(pub, SigningKey.generate().publicKey().pem());
    assertThat(CliRun.of("policy", "--key", pub.toString()).exitCode()).isEqualTo(2);
  }
}
