package dev.strata.graph.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.graph.project.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * strata.lock: the digest each external base resolved to, beside strata.yaml, so a plan is
 * reproducible until {@code strata check-updates} moves a pin. Format:
 *
 * <pre>
 * bases:
 *   docker.io/library/debian:bookworm: sha256:…
 * </pre>
 */
public final class LockFile {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final Path path;
  private final TreeMap<String, String> pins;
  private boolean changed;

  private LockFile(Path path, Map<String, String> pins) {
    this.path = path;
    this.pins = new TreeMap<>(pins);
  }

  /** Reads {@code path}; a missing file is an empty lock. Bad content is a GraphException. */
  public static LockFile read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return new LockFile(path, Map.of());
    }
    return parse(path, Files.readString(path, StandardCharsets.UTF_8));
  }

  /** Reads {@code text} as the content of {@code path} (e.g. an older version from git). */
  public static LockFile parse(Path path, String text) {
    YamlDocument doc = YamlDocument.parse(ProjectLoader.display(path), text);
    JsonNode root = doc.root();
    Map<String, String> pins = new TreeMap<>();
    if (root.isMissingNode() || root.isNull()) {
      return new LockFile(path, pins);
    }
    if (!root.isObject()) {
      throw doc.error("", "strata.lock must be a map with a bases: entry");
    }
    Iterator<String> keys = root.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!key.equals("bases")) {
        throw doc.error(YamlDocument.child("", key), "unknown key '" + key + "' (allowed: bases)");
      }
    }
    JsonNode bases = root.path("bases");
    if (!bases.isMissingNode() && !bases.isNull()) {
      if (!bases.isObject()) {
        throw doc.error("/bases", "bases must be a map of image reference to digest");
      }
      Iterator<Map.Entry<String, JsonNode>> fields = bases.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        String value = e.getValue().asText();
        if (!e.getValue().isTextual() || !DIGEST.matcher(value).matches()) {
          throw doc.error(
              YamlDocument.child("/bases", e.getKey()),
              "the pin of " + e.getKey() + " must be a digest sha256:<64 hex>");
        }
        pins.put(e.getKey(), value);
      }
    }
    return new LockFile(path, pins);
  }

  public Path path() {
    return path;
  }

  /** The pinned digest of {@code reference} (canonical form). */
  public Optional<String> digest(String reference) {
    return Optional.ofNullable(pins.get(reference));
  }

  /** Pins {@code reference} to {@code digest}. */
  public void pin(String reference, String digest) {
    if (!digest.equals(pins.put(reference, digest))) {
      changed = true;
    }
  }

  /** Every pin, sorted by reference. */
  public Map<String, String> pins() {
    return Map.copyOf(pins);
  }

  /** Whether a pin was added or moved since the file was read. */
  public boolean changed() {
    return changed;
  }

  /** Writes the lock file (sorted, so diffs stay small). */
  public void write() throws IOException {
    StringBuilder out =
        new StringBuilder(
            "# strata.lock: the digests the external bases were resolved to. Plans use these pins\n"
                + "# until `strata check-updates` moves them. Commit this file.\n"
                + "bases:\n");
    pins.forEach(
        (ref, digest) -> out.append("  \"").append(ref).append("\": ").append(digest).append('\n'));
    Files.writeString(path, out.toString(), StandardCharsets.UTF_8);
    changed = false;
  }
}
