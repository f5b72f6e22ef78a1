package dev.strata.disk.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.strata.bridge.rootfs.RootfsView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel command line of a disk image: the root partition, the defaults bootc-image-builder
 * uses ({@code rw console=tty0 console=ttyS0}), the image's own {@code
 * /usr/lib/bootc/kargs.d/*.toml} (in file-name order, honouring {@code match-architectures}), then
 * the config's {@code [customizations.kernel] append}.
 */
public final class KernelArguments {
  /** Where bootc images keep their kernel arguments. */
  public static final String KARGS_D = "/usr/lib/bootc/kargs.d";

  static final List<String> DEFAULTS = List.of("rw", "console=tty0", "console=ttyS0,115200n8");

  private KernelArguments() {}

  /**
   * The arguments {@code kargs.d} in the image's merged rootfs adds for {@code arch} (Rust's names:
   * x86_64, aarch64); symlinked files are followed inside the image only, anything but a regular
   * file is skipped. Throws {@link IllegalArgumentException} naming the file when one does not
   * parse.
   */
  public static List<String> fromImage(RootfsView rootfs, String arch) throws IOException {
    Optional<Path> dir = rootfs.lookup(KARGS_D);
    if (dir.isEmpty() || !Files.isDirectory(dir.get(), LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> files = rootfs.list(KARGS_D).stream().filter(n -> n.endsWith(".toml")).toList();
    TomlMapper toml = new TomlMapper();
    List<String> out = new ArrayList<>();
    for (String file : files) {
      String where = KARGS_D + "/" + file;
      Optional<byte[]> content = rootfs.read(where);
      if (content.isEmpty()) {
        continue;
      }
      JsonNode node;
      try {
        node = toml.readTree(new String(content.get(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(where + " is not valid TOML: " + e.getOriginalMessage());
      }
      JsonNode kargs = node.path("kargs");
      if (!kargs.isArray()) {
        throw new IllegalArgumentException(where + " has no 'kargs = [...]' array");
      }
      JsonNode arches = node.path("match-architectures");
      if (arches.isArray()) {
        boolean match = false;
        for (JsonNode a : arches) {
          match |= a.asText().equals(arch);
        }
        if (!match) {
          continue;
        }
      }
      for (JsonNode k : kargs) {
        if (!k.isTextual()) {
          throw new IllegalArgumentException(where + ": every karg must be a string");
        }
        out.add(k.asText());
      }
    }
    return out;
  }

  /** The whole command line for a root partition {@code rootPartUuid}. */
  static String commandLine(String rootPartUuid, List<String> imageArgs, String append) {
    List<String> all = new ArrayList<>();
    all.add("root=PARTUUID=" + rootPartUuid);
    all.addAll(DEFAULTS);
    all.addAll(imageArgs);
    if (append != null && !append.isBlank()) {
      all.add(append.strip());
    }
    return String.join(" ", all);
  }
}
