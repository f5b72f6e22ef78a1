package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An OCI image config kept as its JSON tree, so every field of a base image survives, including
 * ones Strata does not model (jib's typed config drops {@code StopSignal}, {@code Shell}, {@code
 * OnBuild}). Immutable: each {@code with…} returns a changed copy. {@link #render()} gives the
 * canonical bytes to store and digest.
 */
public final class ImageConfig {
  private final ObjectNode root;

  private ImageConfig(ObjectNode root) {
    this.root = root;
  }

  /** Parses a config blob as it was pulled or stored, losing no field. */
  public static ImageConfig parse(byte[] bytes) {
    JsonNode node = CanonicalJson.parse(bytes, "image config");
    if (!node.isObject()) {
      throw new IllegalArgumentException("image config must be a JSON object");
    }
    return new ImageConfig((ObjectNode) node);
  }

  /** The config of {@code FROM scratch}: a platform, an empty rootfs and nothing else. */
  public static ImageConfig scratch(Platform platform) {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    node.put("architecture", platform.architecture()).put("os", platform.os());
    if (platform.variant() != null) {
      node.put("variant", platform.variant());
    }
    if (platform.osVersion() != null) {
      node.put("os.version", platform.osVersion());
    }
    node.putObject("config");
    ObjectNode rootfs = node.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    return new ImageConfig(node);
  }

  /** The canonical bytes of this config, digested once. */
  public ContentBlob render() {
    return ContentBlob.of(MediaTypes.IMAGE_CONFIG, CanonicalJson.render(root));
  }

  /** The platform the config declares. */
  public Platform platform() {
    return Platform.fromJson(root);
  }

  /** The {@code created} time, if any. */
  public Optional<Instant> created() {
    return root.hasNonNull("created")
        ? Optional.of(Instant.parse(root.get("created").asText()))
        : Optional.empty();
  }

  /** The layer diffIDs, bottom first. */
  public List<Digest> diffIds() {
    List<Digest> out = new ArrayList<>();
    root.path("rootfs").path("diff_ids").forEach(d -> out.add(Digest.parse(d.asText())));
    return out;
  }

  /** The history, oldest first. */
  public List<HistoryEntry> history() {
    List<HistoryEntry> out = new ArrayList<>();
    root.path("history").forEach(h -> out.add(HistoryEntry.fromJson(h)));
    return out;
  }

  /** A field of {@code config} ({@code Env}, {@code StopSignal}…) as raw JSON, if set. */
  public Optional<JsonNode> configField(String name) {
    JsonNode value = root.path("config").get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.deepCopy());
  }

  public ImageConfig withCreated(Instant created) {
    return edit(n -> n.put("created", created.toString()));
  }

  public ImageConfig withAuthor(String author) {
    return edit(n -> n.put("author", author));
  }

  public ImageConfig withEnv(List<String> env) {
    return withConfigField("Env", strings(env));
  }

  public ImageConfig withEntrypoint(List<String> entrypoint) {
    return withConfigField("Entrypoint", strings(entrypoint));
  }

  public ImageConfig withCmd(List<String> cmd) {
    return withConfigField("Cmd", strings(cmd));
  }

  public ImageConfig withShell(List<String> shell) {
    return withConfigField("Shell", strings(shell));
  }

  public ImageConfig withOnBuild(List<String> triggers) {
    return withConfigField("OnBuild", strings(triggers));
  }

  public ImageConfig withUser(String user) {
    return withConfigField("User", CanonicalJson.MAPPER.getNodeFactory().textNode(user));
  }

  public ImageConfig withWorkingDir(String dir) {
    return withConfigField("WorkingDir", CanonicalJson.MAPPER.getNodeFactory().textNode(dir));
  }

  public ImageConfig withStopSignal(String signal) {
    return withConfigField("StopSignal", CanonicalJson.MAPPER.getNodeFactory().textNode(signal));
  }

  public ImageConfig withHealthcheck(Healthcheck healthcheck) {
    return withConfigField("Healthcheck", healthcheck.toJson());
  }

  /** Replaces the labels (callers merge with the base's labels first). */
  public ImageConfig withLabels(Map<String, String> labels) {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    new TreeMap<>(labels).forEach(node::put);
    return withConfigField("Labels", node);
  }

  /** Replaces the exposed ports, e.g. {@code 80/tcp}. */
  public ImageConfig withExposedPorts(Collection<String> ports) {
    return withConfigField("ExposedPorts", emptyObjects(ports));
  }

  /** Replaces the volumes. */
  public ImageConfig withVolumes(Collection<String> volumes) {
    return withConfigField("Volumes", emptyObjects(volumes));
  }

  /** Sets any {@code config} field; for fields without a typed wither. */
  public ImageConfig withConfigField(String name, JsonNode value) {
    return edit(n -> n.withObjectProperty("config").set(name, value.deepCopy()));
  }

  /** Appends a layer and the history entry that made it. */
  public ImageConfig withLayer(Digest diffId, HistoryEntry history) {
    if (history.emptyLayer()) {
      throw new IllegalArgumentException("a layer's history entry cannot be empty_layer");
    }
    return edit(
        n -> {
          ObjectNode rootfs = n.withObjectProperty("rootfs");
          rootfs.put("type", "layers");
          rootfs.withArrayProperty("diff_ids").add(diffId.toString());
          n.withArrayProperty("history").add(history.toJson());
        });
  }

  /** Appends a history entry of an instruction that made no layer ({@code empty_layer}). */
  public ImageConfig withEmptyLayerHistory(HistoryEntry history) {
    if (!history.emptyLayer()) {
      throw new IllegalArgumentException("history without a layer must be empty_layer");
    }
    return edit(n -> n.withArrayProperty("history").add(history.toJson()));
  }

  private ImageConfig edit(java.util.function.Consumer<ObjectNode> change) {
    ObjectNode copy = root.deepCopy();
    change.accept(copy);
    return new ImageConfig(copy);
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = CanonicalJson.MAPPER.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private static ObjectNode emptyObjects(Collection<String> keys) {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    new java.util.TreeSet<>(keys).forEach(k -> node.putObject(k));
    return node;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageConfig c && root.equals(c.root);
  }

  @Override
  public int hashCode() {
    return root.hashCode();
  }

  @Override
  public String toString() {
    return new String(render().bytes(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
