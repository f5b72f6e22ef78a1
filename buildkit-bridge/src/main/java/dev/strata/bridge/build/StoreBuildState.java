package dev.strata.bridge.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.fs.AtomicFile;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.plan.BuildState;
import dev.strata.graph.plan.NodeKeys;
import dev.strata.graph.plan.StepKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What was last built, as the store remembers it: the step keys of each node's last successful
 * build, per project folder ({@code <store>/cache/nodes/}), so {@code strata plan} can tell what is
 * up to date; and the config digest of the image that build made and its identity (the config
 * without provenance labels), so a child whose parent was rebuilt to the same image keeps its keys
 * (early cut-off).
 */
public final class StoreBuildState implements BuildState {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String project;

  /** The state of the project in {@code projectDirectory} as recorded in {@code store}. */
  public StoreBuildState(OciLayoutStore store, Path projectDirectory) {
    this.dir = store.root().resolve("cache").resolve("nodes");
    this.project =
        Digest.sha256(projectDirectory.toAbsolutePath().normalize().toString())
            .hex()
            .substring(0, 16);
  }

  @Override
  public Optional<NodeKeys> lastBuild(String node) {
    return read(node).map(StoreBuildState::keys);
  }

  @Override
  public Optional<String> resultOf(String node, String finalKey) {
    return read(node).flatMap(tree -> result(tree, finalKey));
  }

  /** Records the keys of a node that was just built (its image unknown: no early cut-off). */
  public void record(NodeKeys keys) throws IOException {
    write(keys, tree(keys));
  }

  /**
   * Records the keys of a node that was just built and the config digest of its image, which is
   * also its identity; a record that says exactly that already (a node taken whole from the cache)
   * is left as it is.
   */
  public void record(NodeKeys keys, Digest config) throws IOException {
    record(keys, config, config, Map.of());
  }

  /**
   * As {@link #record(NodeKeys, Digest)}, with the image's identity for its children's keys ({@code
   * identity}: the digest of its config without provenance labels, {@link
   * BuildOrigin#withoutProvenance}) and how long each step that ran took ({@code ran}, by step
   * key); a step taken from the cache keeps the time the record gave it before, if its key is the
   * same. These times order the nodes at the locked cache mounts they share ({@link #lastSeconds}).
   */
  public void record(NodeKeys keys, Digest config, Digest identity, Map<String, Duration> ran)
      throws IOException {
    ObjectNode tree = tree(keys);
    ObjectNode result = tree.putObject("result");
    result.put("key", keys.finalKey());
    result.put("config", config.toString());
    result.put("identity", identity.toString());
    Optional<JsonNode> before = read(keys.node());
    Map<String, JsonNode> earlier = new HashMap<>();
    for (JsonNode step : before.map(b -> b.path("steps")).orElse(MissingNode.getInstance())) {
      if (step.path("seconds").isNumber()) {
        earlier.put(step.path("key").asText(), step.get("seconds"));
      }
    }
    for (JsonNode step : tree.path("steps")) {
      String key = step.path("key").asText();
      if (ran.containsKey(key)) {
        ((ObjectNode) step).put("seconds", ran.get(key).toMillis() / 1000.0);
      } else if (earlier.containsKey(key)) {
        ((ObjectNode) step).set("seconds", earlier.get(key));
      }
    }
    // Compared as JSON trees: the records' own equals would cost their first use in the process.
    if (before.filter(tree::equals).isPresent()) {
      return;
    }
    write(keys, tree);
  }

  /**
   * How long building {@code node}'s steps took when each last ran, in seconds (the sum over its
   * steps), if any time is recorded.
   */
  public Optional<Double> lastSeconds(String node) {
    return read(node)
        .flatMap(
            tree -> {
              double sum = 0;
              boolean any = false;
              for (JsonNode step : tree.path("steps")) {
                if (step.path("seconds").isNumber()) {
                  sum += step.get("seconds").asDouble();
                  any = true;
                }
              }
              return any ? Optional.of(sum) : Optional.empty();
            });
  }

  /** The record of {@code node}, if there is one. */
  private Optional<JsonNode> read(String node) {
    Path file = file(node);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode tree = JSON.readTree(file.toFile());
      keys(tree); // a record that is not one fails here, whatever is asked of it
      return Optional.of(tree);
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          "unreadable build record " + file,
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
  }

  /**
   * The identity of the image recorded for {@code finalKey}: its config digest without provenance
   * labels; a record written before identities were recorded gives its config digest.
   */
  private static Optional<String> result(JsonNode tree, String finalKey) {
    JsonNode result = tree.path("result");
    if (!finalKey.equals(result.path("key").asText(null))) {
      return Optional.empty();
    }
    String identity = result.path("identity").asText(null);
    return Optional.ofNullable(identity != null ? identity : result.path("config").asText(null));
  }

  // The record's JSON is mapped by hand, field for field as Jackson would map the records: on its
  // first use in a process Jackson spends ~10 ms introspecting a record type, in each direction,
  // and a build reads and writes these records once per node.

  private static ObjectNode tree(NodeKeys keys) {
    ObjectNode tree = JSON.createObjectNode();
    tree.put("node", keys.node());
    ArrayNode steps = tree.putArray("steps");
    for (StepKey step : keys.steps()) {
      ObjectNode s = steps.addObject();
      s.put("number", step.number());
      s.put("stage", step.stage());
      s.put("text", step.text());
      s.put("canonical", step.canonical());
      ObjectNode inputs = s.putObject("inputs");
      step.inputs().forEach(inputs::put);
      s.put("key", step.key());
    }
    return tree;
  }

  /** The keys a record holds; a document that is not a record is an IllegalArgumentException. */
  private static NodeKeys keys(JsonNode tree) {
    List<StepKey> steps = new ArrayList<>();
    for (JsonNode s : array(tree, "steps")) {
      SortedMap<String, String> inputs = new TreeMap<>();
      for (Map.Entry<String, JsonNode> input : object(s, "inputs").properties()) {
        inputs.put(input.getKey(), string(input.getValue(), input.getKey()));
      }
      JsonNode number = s.get("number");
      if (number == null || !number.canConvertToInt()) {
        throw new IllegalArgumentException("a step has no number");
      }
      steps.add(
          new StepKey(
              number.asInt(),
              text(s, "stage"),
              text(s, "text"),
              text(s, "canonical"),
              inputs,
              text(s, "key")));
    }
    return new NodeKeys(text(tree, "node"), steps);
  }

  private static String text(JsonNode node, String field) {
    return string(node.get(field), field);
  }

  private static String string(JsonNode value, String what) {
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(what + " is not a string");
    }
    return value.asText();
  }

  private static JsonNode array(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException(field + " is not an array");
    }
    return value;
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new IllegalArgumentException(field + " is not an object");
    }
    return value;
  }

  private void write(NodeKeys keys, JsonNode tree) throws IOException {
    AtomicFile.write(file(keys.node()), JSON.writeValueAsBytes(tree));
  }

  private Path file(String node) {
    return dir.resolve(project + "-" + node + ".json");
  }
}
