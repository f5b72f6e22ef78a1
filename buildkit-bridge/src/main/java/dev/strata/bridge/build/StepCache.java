package dev.strata.bridge.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.fs.AtomicFile;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.store.OciLayoutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The per-instruction build cache: for each step key, the image state the step produced (its config
 * blob and its layer blobs), kept in {@code <store>/cache/steps/<key>.json}. A record whose blobs
 * are gone (after {@code strata store gc}) is a miss, never an error.
 */
public final class StepCache {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OciLayoutStore store;
  private final Path dir;

  public StepCache(OciLayoutStore store) {
    this.store = store;
    this.dir = store.root().resolve("cache").resolve("steps");
  }

  /** What one step produced. */
  public record Entry(Descriptor config, List<Descriptor> layers) {
    public Entry {
      layers = List.copyOf(layers);
    }
  }

  /** The state recorded for {@code key}, if all its blobs are still stored. */
  public Optional<Entry> lookup(String key) throws IOException {
    Path file = file(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode node = JSON.readTree(Files.readAllBytes(file));
    Descriptor config = descriptor(node.path("config"));
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode l : node.path("layers")) {
      layers.add(descriptor(l));
    }
    if (!store.hasBlob(config.digest())) {
      return Optional.empty();
    }
    for (Descriptor l : layers) {
      if (!store.hasBlob(l.digest())) {
        return Optional.empty();
      }
    }
    return Optional.of(new Entry(config, layers));
  }

  /** Records what the step {@code key} produced (its blobs must already be stored). */
  public void save(String key, Entry entry) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.set("config", json(entry.config()));
    ArrayNode layers = node.putArray("layers");
    entry.layers().forEach(l -> layers.add(json(l)));
    AtomicFile.write(file(key), JSON.writeValueAsBytes(node));
  }

  /** The outcome of {@link #prune}. */
  record Pruned(Set<Digest> keptConfigs, int removed) {}

  /**
   * Keeps the records whose layers are all in {@code reachable} (and whose blobs exist) and deletes
   * the others; returns the config blobs the kept records need.
   */
  Pruned prune(Set<Digest> reachable) throws IOException {
    Set<Digest> kept = new HashSet<>();
    int removed = 0;
    if (!Files.isDirectory(dir)) {
      return new Pruned(kept, 0);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".json")) {
          continue;
        }
        Optional<Entry> entry = lookup("sha256:" + name.substring(0, name.length() - 5));
        if (entry.isPresent()
            && entry.get().layers().stream().allMatch(l -> reachable.contains(l.digest()))) {
          kept.add(entry.get().config().digest());
        } else {
          Files.deleteIfExists(f);
          removed++;
        }
      }
    }
    return new Pruned(kept, removed);
  }

  private Path file(String key) {
    String hex = key.startsWith("sha256:") ? key.substring(7) : Digest.sha256(key).hex();
    return dir.resolve(hex + ".json");
  }

  private static ObjectNode json(Descriptor d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mediaType", d.mediaType()).put("digest", d.digest().toString()).put("size", d.size());
    return node;
  }

  private static Descriptor descriptor(JsonNode node) {
    return new Descriptor(
        node.path("mediaType").asText(),
        Digest.parse(node.path("digest").asText()),
        node.path("size").asLong(),
        null,
        Map.of());
  }
}
