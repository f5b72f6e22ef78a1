package dev.strata.cli;

import dev.strata.graph.project.LayerCompression;
import java.util.Optional;
import picocli.CommandLine;

/**
 * {@code --compression gzip|zstd}, shared by the commands that write layers: how they are
 * compressed. An unknown name is a usage error (exit 2).
 */
final class CompressionOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--compression",
      paramLabel = "gzip|zstd",
      description =
          "Compress the layers written with gzip (read everywhere) or zstd (several times less"
              + " CPU, smaller; containers-storage, containerd 1.5+ and Docker 23+ read it).")
  String value;

  /** The compression named, if the option was given. */
  Optional<LayerCompression> choice() {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LayerCompression.parse(value));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--compression: " + e.getMessage());
    }
  }
}
