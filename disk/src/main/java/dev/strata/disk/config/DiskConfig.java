package dev.strata.disk.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of bootc-image-builder's {@code config.toml} / {@code config.json} (a blueprint) that
 * disk images use: users, {@code [customizations.kernel] append}, and filesystem minimum sizes.
 * Unknown customizations are rejected, naming the key, rather than silently ignored (a BIB
 * complaint). Secrets stay inside {@link DiskUser}, whose {@code toString} redacts them.
 */
public record DiskConfig(
    List<DiskUser> users, Optional<String> kernelAppend, List<FilesystemMinSize> filesystems) {
  private static final Set<String> KNOWN_TOP =
      Set.of("customizations", "name", "description", "version");
  private static final Set<String> KNOWN_CUSTOMIZATIONS = Set.of("user", "kernel", "filesystem");

  /** A config with nothing in it. */
  public static final DiskConfig EMPTY = new DiskConfig(List.of(), Optional.empty(), List.of());

  public DiskConfig {
    users = List.copyOf(users);
    filesystems = List.copyOf(filesystems);
  }

  /** Reads {@code file}: TOML, or JSON when it ends in {@code .json}. */
  public static DiskConfig read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("disk config " + file + " does not exist or is not a file");
    }
    String text = Files.readString(file);
    return parse(text, file.getFileName().toString().endsWith(".json"), file.toString());
  }

  /** Parses config text; {@code where} names its source in errors. */
  public static DiskConfig parse(String text, boolean json, String where) {
    JsonNode root;
    try {
      root = (json ? new ObjectMapper() : new TomlMapper()).readTree(text);
    } catch (JsonProcessingException e) {
      // the parser's message quotes the offending text, which may be a password: say only where
      String location =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new IllegalArgumentException(
          where + ": not valid " + (json ? "JSON" : "TOML") + location);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return EMPTY;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(where + ": the config must be a table/object");
    }
    rejectUnknown(root, KNOWN_TOP, where, "");
    JsonNode customizations = root.path("customizations");
    if (customizations.isMissingNode()) {
      return EMPTY;
    }
    rejectUnknown(customizations, KNOWN_CUSTOMIZATIONS, where, "customizations.");
    List<DiskUser> users = new ArrayList<>();
    for (JsonNode user : array(customizations.path("user"), where, "customizations.user")) {
      String name =
          text(user, "name", where, "customizations.user")
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + ": a [[customizations.user]] has no name"));
      String at = "customizations.user '" + name + "'";
      rejectUnknown(user, Set.of("name", "password", "key", "groups"), where, at + ".");
      List<String> groups = new ArrayList<>();
      for (JsonNode g : array(user.path("groups"), where, at + ".groups")) {
        groups.add(g.asText());
      }
      try {
        users.add(
            new DiskUser(
                name, text(user, "password", where, at), text(user, "key", where, at), groups));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    Optional<String> append = Optional.empty();
    JsonNode kernel = customizations.path("kernel");
    if (!kernel.isMissingNode()) {
      rejectUnknown(kernel, Set.of("append"), where, "customizations.kernel.");
      append = text(kernel, "append", where, "customizations.kernel").filter(s -> !s.isBlank());
    }
    List<FilesystemMinSize> filesystems = new ArrayList<>();
    for (JsonNode fs :
        array(customizations.path("filesystem"), where, "customizations.filesystem")) {
      rejectUnknown(fs, Set.of("mountpoint", "minsize"), where, "customizations.filesystem.");
      String mountpoint =
          text(fs, "mountpoint", where, "customizations.filesystem")
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + ": a [[customizations.filesystem]] has no mountpoint"));
      JsonNode min = fs.path("minsize");
      long bytes =
          min.isNumber()
              ? min.asLong()
              : ByteSize.parse(min.asText(""), where + ": minsize of " + mountpoint);
      try {
        filesystems.add(new FilesystemMinSize(mountpoint, bytes));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return new DiskConfig(users, append, filesystems);
  }

  /** The least size the root filesystem needs by this config: / plus every folder below it. */
  public long rootMinBytes() {
    return filesystems.stream().mapToLong(FilesystemMinSize::minBytes).sum();
  }

  private static Optional<String> text(JsonNode node, String field, String where, String at) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + ": " + at + "." + field + " must be a string");
    }
    return Optional.of(value.asText());
  }

  private static Iterable<JsonNode> array(JsonNode node, String where, String at) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          where + ": " + at + " must be an array (in TOML, [[" + at + "]] tables)");
    }
    return node;
  }

  private static void rejectUnknown(JsonNode node, Set<String> known, String where, String prefix) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": " + prefix + " must be a table/object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            where
                + ": "
                + prefix
                + name
                + " is not supported by Strata's disk images (supported: "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }
}
