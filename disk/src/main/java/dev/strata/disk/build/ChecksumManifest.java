package dev.strata.disk.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The record of a disk build beside its outputs: {@code SHA256SUMS} (checkable with {@code
 * sha256sum -c}) and {@code manifest-strata.json} (image, kernel, command line, identifiers,
 * layout, and each output's path, size and SHA-256). It holds no secret from the config.
 */
final class ChecksumManifest {
  static final String SUMS = "SHA256SUMS";
  static final String JSON = "manifest-strata.json";

  private ChecksumManifest() {}

  /**
   * SHA-256 of a finished file, sparse-aware: {@link DiskDigest} reads only where {@code SEEK_DATA}
   * finds data and hashes the holes as zeros from memory (reading the holes of a freshly written
   * disk file through the page cache costs the kernel about 2 s for 1.3 GiB). The digest is of
   * every byte, exactly what {@code sha256sum} prints.
   */
  static String sha256(Path file) throws IOException {
    try (DiskDigest digest = DiskDigest.start(file)) {
      return digest.finish(Files.size(file));
    }
  }

  static Path write(
      Path outputDir,
      String imageRef,
      List<DiskOutput> outputs,
      DiskIdentity ids,
      DiskLayout layout,
      KernelImage kernel,
      String cmdline,
      String loader)
      throws IOException {
    StringBuilder sums = new StringBuilder();
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("image", imageRef);
    root.put("kernel", kernel.version());
    root.put("kernelCommandLine", cmdline);
    root.put("bootloader", loader);
    ObjectNode idNode = root.putObject("identifiers");
    idNode.put("diskGuid", ids.diskGuid().toString());
    idNode.put("espPartUuid", ids.espPartUuid().toString());
    idNode.put("rootPartUuid", ids.rootPartUuid().toString());
    idNode.put("rootFsUuid", ids.rootFsUuid().toString());
    idNode.put("espVolumeId", ids.espVolumeUuid());
    ObjectNode layoutNode = root.putObject("layout");
    layoutNode.put("sizeBytes", layout.totalBytes());
    layoutNode.put("espStartSector", layout.espStart());
    layoutNode.put("espSectors", layout.espSectors());
    layoutNode.put("rootStartSector", layout.rootStart());
    layoutNode.put("rootSectors", layout.rootSectors());
    ArrayNode files = root.putArray("outputs");
    for (DiskOutput o : outputs) {
      String rel = outputDir.relativize(o.file()).toString();
      ObjectNode f = files.addObject();
      f.put("type", o.type().typeName());
      f.put("path", rel);
      f.put("size", o.size());
      f.put("sha256", o.sha256());
      if (sums.indexOf("  " + rel + "\n") < 0) {
        sums.append(o.sha256()).append("  ").append(rel).append('\n');
      }
    }
    Files.writeString(outputDir.resolve(SUMS), sums.toString(), StandardCharsets.UTF_8);
    Path json = outputDir.resolve(JSON);
    Files.write(json, mapper.writeValueAsBytes(root));
    return json;
  }
}
