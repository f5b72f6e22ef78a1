package dev.strata.graph.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.dsl.SourcePosition;
import dev.strata.graph.GraphException;
import dev.strata.graph.ImageName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads strata.yaml strictly: an unknown key, a value of the wrong kind, a bad name or disk type is
 * a {@link GraphException} at the key's file:line:col.
 */
final class ProjectFileReader {
  private static final Set<String> TOP_KEYS =
      Set.of("registry", "mirrors", "sign", "insecure-registries", "compression", "images");
  private static final Set<String> IMAGE_KEYS =
      Set.of("containerfile", "context", "image", "tags", "aliases", "args", "target", "disk");
  private static final Set<String> DISK_TYPES = Set.of("qcow2", "raw", "vmdk", "vhd", "ami", "iso");
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  private final YamlDocument doc;
  private final Path directory;

  private ProjectFileReader(YamlDocument doc, Path directory) {
    this.doc = doc;
    this.directory = directory;
  }

  static ProjectConfig read(Path file, String displayName, String text) {
    YamlDocument doc = YamlDocument.parse(displayName, text);
    Path directory = file.toAbsolutePath().normalize().getParent();
    return new ProjectFileReader(doc, directory).project(file);
  }

  private ProjectConfig project(Path file) {
    JsonNode root = doc.root();
    if (root.isMissingNode() || root.isNull()) {
      throw doc.error("", "strata.yaml is empty: it needs an images: map");
    }
    if (!root.isObject()) {
      throw doc.error("", "strata.yaml must be a map with an images: entry");
    }
    checkKeys("", root, TOP_KEYS);
    Optional<String> registry = optionalString("", root, "registry");
    Map<String, String> mirrors = stringMap("", root, "mirrors");
    Optional<String> signingKey = Optional.empty();
    if (root.has("sign")) {
      JsonNode sign = root.get("sign");
      String pointer = YamlDocument.child("", "sign");
      if (!sign.isObject()) {
        throw doc.error(pointer, "sign must be a map such as { key: keys/cosign.key }");
      }
      checkKeys(pointer, sign, Set.of("key"));
      signingKey = optionalString(pointer, sign, "key");
    }
    List<String> insecure = stringList("", root, "insecure-registries");
    LayerCompression compression = LayerCompression.GZIP;
    Optional<String> compressionName = optionalString("", root, "compression");
    if (compressionName.isPresent()) {
      try {
        compression = LayerCompression.parse(compressionName.get());
      } catch (IllegalArgumentException e) {
        throw doc.error(YamlDocument.child("", "compression"), e.getMessage());
      }
    }
    if (!root.has("images")) {
      throw doc.error("", "strata.yaml has no images: map (name each image to build)");
    }
    JsonNode images = root.get("images");
    String imagesPointer = YamlDocument.child("", "images");
    if (!images.isObject() || images.isEmpty()) {
      throw doc.error(imagesPointer, "images must be a map of node name to image entry");
    }
    Map<String, ImageConfig> configs = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = images.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      configs.put(entry.getKey(), image(imagesPointer, entry.getKey(), entry.getValue()));
    }
    return new ProjectConfig(
        directory,
        Optional.of(file),
        registry,
        mirrors,
        signingKey,
        insecure,
        configs,
        compression);
  }

  private ImageConfig image(String imagesPointer, String name, JsonNode node) {
    String pointer = YamlDocument.child(imagesPointer, name);
    if (!NODE_NAME.matcher(name).matches()) {
      throw doc.error(
          pointer,
          "invalid image name '"
              + name
              + "': use lower-case letters, digits, '.', '_' and '-', starting with a letter or"
              + " digit");
    }
    if (!node.isObject()) {
      throw doc.error(pointer, "image '" + name + "' must be a map with at least containerfile:");
    }
    checkKeys(pointer, node, IMAGE_KEYS);
    String containerfile =
        optionalString(pointer, node, "containerfile")
            .orElseThrow(
                () -> doc.error(pointer, "image '" + name + "' needs containerfile: PATH"));
    Path file = directory.resolve(containerfile).normalize();
    Path context =
        optionalString(pointer, node, "context")
            .map(c -> directory.resolve(c).normalize())
            .orElse(file.getParent());
    String image = optionalString(pointer, node, "image").orElse(name);
    String imagePointer = YamlDocument.child(pointer, "image");
    if (ImageName.parse(image).isEmpty() || image.contains(":") || image.contains("@")) {
      throw doc.error(
          imagePointer,
          "invalid image '" + image + "': a repository name without tag (e.g. corp/soe)");
    }
    List<String> tags = stringList(pointer, node, "tags");
    for (int i = 0; i < tags.size(); i++) {
      if (!TAG.matcher(tags.get(i)).matches()) {
        throw doc.error(
            YamlDocument.child(YamlDocument.child(pointer, "tags"), Integer.toString(i)),
            "invalid tag '" + tags.get(i) + "'");
      }
    }
    if (tags.isEmpty()) {
      tags = List.of("latest");
    }
    List<String> aliases = stringList(pointer, node, "aliases");
    for (int i = 0; i < aliases.size(); i++) {
      Optional<ImageName> alias = ImageName.parse(aliases.get(i));
      if (alias.isEmpty() || alias.get().digest().isPresent()) {
        throw doc.error(
            YamlDocument.child(YamlDocument.child(pointer, "aliases"), Integer.toString(i)),
            "invalid alias '" + aliases.get(i) + "': an image reference such as corp-repo/soe");
      }
    }
    Map<String, String> args = stringMap(pointer, node, "args");
    Optional<String> target = optionalString(pointer, node, "target");
    List<String> disks = stringList(pointer, node, "disk");
    for (int i = 0; i < disks.size(); i++) {
      if (!DISK_TYPES.contains(disks.get(i))) {
        throw doc.error(
            YamlDocument.child(YamlDocument.child(pointer, "disk"), Integer.toString(i)),
            "unknown disk type '" + disks.get(i) + "' (one of ami, iso, qcow2, raw, vhd, vmdk)");
      }
    }
    SourcePosition declaredAt = doc.position(pointer);
    return new ImageConfig(
        name, file, context, image, tags, aliases, args, target, disks, declaredAt);
  }

  private void checkKeys(String pointer, JsonNode node, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw doc.error(
            YamlDocument.child(pointer, key),
            "unknown key '"
                + key
                + "' (allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private Optional<String> optionalString(String pointer, JsonNode node, String key) {
    if (!node.has(key) || node.get(key).isNull()) {
      return Optional.empty();
    }
    JsonNode value = node.get(key);
    if (!value.isValueNode() || value.asText().isEmpty()) {
      throw doc.error(YamlDocument.child(pointer, key), key + " must be a non-empty string");
    }
    return Optional.of(value.asText());
  }

  private List<String> stringList(String pointer, JsonNode node, String key) {
    if (!node.has(key) || node.get(key).isNull()) {
      return List.of();
    }
    JsonNode value = node.get(key);
    String at = YamlDocument.child(pointer, key);
    if (!value.isArray()) {
      throw doc.error(at, key + " must be a list, e.g. " + key + ": [a, b]");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isValueNode() || item.isNull() || item.asText().isEmpty()) {
        throw doc.error(
            YamlDocument.child(at, Integer.toString(i)), key + " items must be non-empty strings");
      }
      out.add(item.asText());
    }
    return out;
  }

  private Map<String, String> stringMap(String pointer, JsonNode node, String key) {
    if (!node.has(key) || node.get(key).isNull()) {
      return Map.of();
    }
    JsonNode value = node.get(key);
    String at = YamlDocument.child(pointer, key);
    if (!value.isObject()) {
      throw doc.error(at, key + " must be a map, e.g. " + key + ": { NAME: value }");
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
        throw doc.error(
            YamlDocument.child(at, entry.getKey()), key + " values must be strings or numbers");
      }
      out.put(entry.getKey(), entry.getValue().asText());
    }
    return out;
  }
}
