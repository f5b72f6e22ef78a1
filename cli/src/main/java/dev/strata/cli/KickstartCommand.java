package dev.strata.cli;

import dev.strata.disk.config.DiskConfig;
import dev.strata.disk.image.StoredImage;
import dev.strata.disk.kickstart.Kickstart;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata kickstart}: an Anaconda kickstart installing an image by its digest. */
@Command(
    name = "kickstart",
    description = {
      "Write an Anaconda kickstart that installs the image by digest",
      "(ostreecontainer --url REGISTRY/REPO@sha256:...), with the config's users, SSH keys and",
      "kernel arguments. The digest is the stored image's, which 'strata build --push' pushed.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata kickstart db-server --config config.toml > db-server.ks",
      "  strata kickstart localhost:5000/corp/web-server:latest --output web.ks",
      "",
      "Exit codes: 0 ok, 1 the image is not stored, 2 no registry in the reference or a bad config."
    },
    mixinStandardHelpOptions = true)
final class KickstartCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "NODE|REF",
      description = "The image: a node of strata.yaml or a stored reference with a registry.")
  String image;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "bootc-image-builder's config.toml or config.json (users, kernel append).")
  Path config;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the kickstart here instead of standard output (mode 0600).")
  Path output;

  @CommandLine.Mixin ImageArgument images;

  @Override
  public Integer call() throws Exception {
    String text;
    try {
      DiskConfig diskConfig = config == null ? DiskConfig.EMPTY : DiskConfig.read(config);
      StoredImage stored = images.open(image);
      String ref = stored.ref();
      String repository = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : stripTag(ref);
      text =
          Kickstart.render(repository, stored.manifestDescriptor().digest().toString(), diskConfig);
    } catch (IllegalArgumentException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    if (output != null) {
      Files.writeString(output, text);
      Files.setPosixFilePermissions(
          output, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
    return 0;
  }

  private static String stripTag(String ref) {
    int colon = ref.lastIndexOf(':');
    return colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
  }
}
