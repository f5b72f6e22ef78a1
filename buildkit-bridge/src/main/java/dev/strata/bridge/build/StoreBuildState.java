package dev.strata.bridge.build;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.plan.BuildState;
import dev.strata.graph.plan.NodeKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What was last built, as the store remembers it: the step keys of each node's last successful
 * build, per project folder ({@code <store>/cache/nodes/}), so {@code strata plan} can tell what is
 * up to date; and the config digest of the image that build made, so a child whose parent was
 * rebuilt to the same image keeps its keys (early cut-off).
 */
public final class StoreBuildState implements BuildState {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
    Path file = file(node);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), NodeKeys.class));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable build record " + file, e);
    }
  }

  @Override
  public Optional<String> resultOf(String node, String finalKey) {
    Path file = file(node);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode result = JSON.readTree(file.toFile()).path("result");
      return finalKey.equals(result.path("key").asText(null))
          ? Optional.ofNullable(result.path("config").asText(null))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable build record " + file, e);
    }
  }

  /** Records the keys of a node that was just built (its image unknown: no early cut-off). */
  public void record(NodeKeys keys) throws IOException {
    write(keys, JSON.valueToTree(keys));
  }

  /**
   * Records the keys of a node that was just built and the config digest of its image; a record
   * that says exactly that already (a node taken whole from the cache) is left as it is.
   */
  public void record(NodeKeys keys, Digest config) throws IOException {
    if (lastBuild(keys.node()).equals(Optional.of(keys))
        && resultOf(keys.node(), keys.finalKey()).equals(Optional.of(config.toString()))) {
      return;
    }
    ObjectNode tree = JSON.valueToTree(keys);
    ObjectNode result = tree.putObject("result");
    result.put("key", keys.finalKey());
    result.put("config", config.toString());
    write(keys, tree);
  }

  private void write(NodeKeys keys, JsonNode tree) throws IOException {
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".incoming-", ".tmp");
    try {
      JSON.writeValue(temp.toFile(), tree);
      Files.move(
          temp,
          file(keys.node()),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private Path file(String node) {
    return dir.resolve(project + "-" + node + ".json");
  }
}
