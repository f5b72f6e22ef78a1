package dev.strata.cli;

import dev.strata.bridge.build.BuildClock;
import dev.strata.bridge.build.ImageImporter;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.graph.project.LayerCompression;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata import}: a root filesystem tarball becomes a one-layer image in the store. */
@Command(
    name = "import",
    description = {
      "Import a root filesystem tarball (plain, gzip or zstd; '-' reads stdin) as a one-layer",
      "linux/amd64 image in the local store, like podman import. Every attribute is kept",
      "(owners, modes, links, devices, xattrs); SOURCE_DATE_EPOCH clamps timestamps. The layer",
      "is gzipped unless --compression zstd is given.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata import rootfs.tar.gz corp/base:1.0",
      "  mmdebstrap bookworm - | strata import - docker.io/library/debian:bookworm",
      "  strata import --compression zstd rootfs.tar.zst corp/base:1.0",
      "",
      "Exit codes: 0 ok, 1 unreadable or unsafe tarball, 2 bad arguments."
    },
    mixinStandardHelpOptions = true)
final class ImportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TAR", description = "The tarball, or - for stdin.")
  String tarball;

  @Parameters(index = "1", paramLabel = "REF", description = "The image reference to store it as.")
  String reference;

  @CommandLine.Mixin StoreOption store;

  @CommandLine.Mixin CompressionOption compression;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LayerCompression layers = compression.choice().orElse(LayerCompression.GZIP);
    String stored;
    try {
      stored = ImageImporter.storedReference(reference);
    } catch (dev.strata.bridge.build.BuildException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!tarball.equals("-") && !Files.isRegularFile(Path.of(tarball))) {
      throw new NoSuchFileException(tarball);
    }
    OciLayoutStore opened = store.open();
    ImageImporter importer =
        new ImageImporter(
            opened, new BuildClock(LayerWriter.sourceDateEpochFromEnvironment()), layers);
    Descriptor manifest;
    try (InputStream in =
        tarball.equals("-") ? System.in : Files.newInputStream(Path.of(tarball))) {
      manifest = importer.importRootfs(in, reference);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("reference", stored);
      doc.put("manifest", manifest.digest().toString());
      doc.put("store", opened.root().toString());
      out.println(JsonOutput.write(doc));
    } else {
      out.println("imported " + stored + " " + manifest.digest());
    }
    out.flush();
    return 0;
  }
}
