package dev.strata.trust.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.Digest;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * SLSA provenance v1 ({@code https://slsa.dev/provenance/v1}) for a Strata build. The lineage is in
 * {@code resolvedDependencies}: the dependency named {@code parent} is the parent node's image,
 * {@code base} the external base image, both as {@code oci://reference} with their manifest
 * digests; {@code strata verify} follows {@code parent} upwards.
 */
public final class SlsaProvenance {
  /** The build type URI of a Strata Containerfile node build. */
  public static final String BUILD_TYPE = "https://strata.dev/buildtypes/containerfile/v1";

  static final String PARENT = "parent";
  static final String BASE = "base";
  private static final String OCI = "oci://";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlsaProvenance() {}

  /** The predicate. */
  public static ObjectNode predicate(BuildProvenance build) {
    ObjectNode predicate = JSON.createObjectNode();
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    external.put("node", build.node());
    ObjectNode containerfile = external.putObject("containerfile");
    containerfile.put("path", build.containerfilePath());
    containerfile.putObject("digest").put("sha256", build.containerfileDigest().hex());
    external.set("strataYaml", build.strataYamlEntry());
    ObjectNode args = external.putObject("buildArgs");
    build.buildArgs().forEach(args::put);
    definition.putObject("internalParameters").put("engine", build.engine());
    ArrayNode dependencies = definition.putArray("resolvedDependencies");
    ObjectNode file = dependencies.addObject();
    file.put("name", "containerfile");
    file.put("uri", build.containerfilePath());
    file.putObject("digest").put("sha256", build.containerfileDigest().hex());
    build.base().ifPresent(b -> image(dependencies, BASE, b));
    build.parent().ifPresent(p -> image(dependencies, PARENT, p));
    build
        .gitCommit()
        .ifPresent(
            commit -> {
              ObjectNode source = dependencies.addObject();
              source.put("name", "source");
              build.gitRepository().ifPresent(r -> source.put("uri", "git+" + r));
              source.putObject("digest").put("gitCommit", commit);
            });
    ObjectNode run = predicate.putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", build.builderId());
    builder.putObject("version").put("strata", build.builderVersion());
    ObjectNode metadata = run.putObject("metadata");
    metadata.put("invocationId", build.invocationId());
    metadata.put("startedOn", build.startedOn().truncatedTo(ChronoUnit.SECONDS).toString());
    metadata.put("finishedOn", build.finishedOn().truncatedTo(ChronoUnit.SECONDS).toString());
    return predicate;
  }

  /** The parent node's image named by a provenance predicate, if it has one. */
  public static Optional<ImageReference> parent(JsonNode predicate) {
    return dependency(predicate, PARENT);
  }

  /** The external base image named by a provenance predicate, if it has one. */
  public static Optional<ImageReference> base(JsonNode predicate) {
    return dependency(predicate, BASE);
  }

  /** The builder id of a provenance predicate. */
  public static String builderId(JsonNode predicate) {
    return predicate.path("runDetails").path("builder").path("id").asText("");
  }

  private static void image(ArrayNode dependencies, String name, ImageReference image) {
    ObjectNode node = dependencies.addObject();
    node.put("name", name);
    node.put("uri", OCI + image.reference());
    node.putObject("digest").put(image.digest().algorithm(), image.digest().hex());
  }

  private static Optional<ImageReference> dependency(JsonNode predicate, String name) {
    for (JsonNode d : predicate.path("buildDefinition").path("resolvedDependencies")) {
      String uri = d.path("uri").asText("");
      if (name.equals(d.path("name").asText()) && uri.startsWith(OCI)) {
        try {
          return Optional.of(
              new ImageReference(
                  uri.substring(OCI.length()),
                  new Digest("sha256", d.path("digest").path("sha256").asText())));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "the provenance's '" + name + "' dependency has no valid sha256 digest");
        }
      }
    }
    return Optional.empty();
  }
}
