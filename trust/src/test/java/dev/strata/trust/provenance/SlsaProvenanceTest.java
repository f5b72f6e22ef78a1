package dev.strata.trust.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.oci.Digest;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SLSA provenance v1 of a node build, and reading the lineage back out of it. */
class SlsaProvenanceTest {
  static final ImageReference BASE =
      new ImageReference("docker.io/library/debian:bookworm", Digest.sha256("debian"));
  static final ImageReference PARENT =
      new ImageReference("localhost:5000/corp/soe:latest", Digest.sha256("soe"));

  static BuildProvenance build(Optional<ImageReference> parent) throws Exception {
    return new BuildProvenance(
        "https://strata.dev/builder/native",
        "0.1.0",
        "native",
        "db-server",
        "db-server/Containerfile",
        Digest.sha256("FROM corp/soe"),
        new ObjectMapper()
            .readTree("{\"containerfile\":\"db-server/Containerfile\",\"image\":\"db-server\"}"),
        Map.of("PG_VERSION", "15", "A", "1"),
        Optional.of("https://git.example/corp/soe.git"),
        Optional.of("0123456789abcdef0123456789abcdef01234567"),
        Optional.of(BASE),
        parent,
        "inv-1",
        Instant.parse("2025-01-01T00:00:00.5Z"),
        Instant.parse("2025-01-01T00:01:00Z"));
  }

  @Test
  void thePredicateNamesEveryInputOfTheBuild() throws Exception {
    JsonNode p = SlsaProvenance.predicate(build(Optional.of(PARENT)));
    JsonNode external = p.get("buildDefinition").get("externalParameters");
    assertThat(p.get("buildDefinition").get("buildType").asText())
        .isEqualTo(SlsaProvenance.BUILD_TYPE);
    assertThat(external.get("node").asText()).isEqualTo("db-server");
    assertThat(external.get("containerfile").get("digest").get("sha256").asText())
        .isEqualTo(Digest.sha256("FROM corp/soe").hex());
    assertThat(external.get("strataYaml").get("image").asText()).isEqualTo("db-server");
    assertThat(external.get("buildArgs").toString())
        .isEqualTo("{\"A\":\"1\",\"PG_VERSION\":\"15\"}");
    assertThat(p.get("buildDefinition").get("resolvedDependencies").toString())
        .contains(
            "\"name\":\"source\",\"uri\":\"git+https://git.example/corp/soe.git\",\"digest\":{\"gitCommit\":\"0123456789abcdef0123456789abcdef01234567\"}");
    assertThat(p.get("runDetails").get("builder").get("id").asText())
        .isEqualTo("https://strata.dev/builder/native");
    assertThat(p.get("runDetails").get("metadata").get("startedOn").asText())
        .isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void theParentAndBaseAreReadBackFromThePredicate() throws Exception {
    JsonNode p = SlsaProvenance.predicate(build(Optional.of(PARENT)));
    assertThat(SlsaProvenance.parent(p)).contains(PARENT);
    assertThat(SlsaProvenance.base(p)).contains(BASE);
  }

  @Test
  void aRootNodeHasNoParent() throws Exception {
    assertThat(SlsaProvenance.parent(SlsaProvenance.predicate(build(Optional.empty())))).isEmpty();
  }
}
