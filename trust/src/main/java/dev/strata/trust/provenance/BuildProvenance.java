package dev.strata.trust.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.bridge.oci.Digest;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one node's build was made from, as the build knows it: the builder, the node and its
 * Containerfile (path and digest of its bytes), the node's {@code strata.yaml} entry, the build
 * args, the git commit of the project, the resolved external base and the parent node's image.
 * {@link SlsaProvenance} turns it into a SLSA provenance v1 predicate.
 */
public record BuildProvenance(
    String builderId,
    String builderVersion,
    String engine,
    String node,
    String containerfilePath,
    Digest containerfileDigest,
    JsonNode strataYamlEntry,
    Map<String, String> buildArgs,
    Optional<String> gitRepository,
    Optional<String> gitCommit,
    Optional<ImageReference> base,
    Optional<ImageReference> parent,
    String invocationId,
    Instant startedOn,
    Instant finishedOn) {
  public BuildProvenance {
    Objects.requireNonNull(builderId, "builderId");
    Objects.requireNonNull(builderVersion, "builderVersion");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(containerfilePath, "containerfilePath");
    Objects.requireNonNull(containerfileDigest, "containerfileDigest");
    Objects.requireNonNull(strataYamlEntry, "strataYamlEntry");
    buildArgs = Collections.unmodifiableSortedMap(new TreeMap<>(buildArgs));
    Objects.requireNonNull(gitRepository, "gitRepository");
    Objects.requireNonNull(gitCommit, "gitCommit");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(invocationId, "invocationId");
    Objects.requireNonNull(startedOn, "startedOn");
    Objects.requireNonNull(finishedOn, "finishedOn");
  }
}
