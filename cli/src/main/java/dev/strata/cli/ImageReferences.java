package dev.strata.cli;

import dev.strata.graph.ImageName;
import picocli.CommandLine;

/** Image references given on the command line: parsed once, a usage error when invalid. */
final class ImageReferences {
  private ImageReferences() {}

  static ImageName parse(CommandLine.Model.CommandSpec spec, String text, String label) {
    return ImageName.parse(text)
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    label
                        + " '"
                        + text
                        + "' is not an image reference (e.g. registry.corp/corp/base:1 or"
                        + " localhost:5000/soe@sha256:<digest>)"));
  }
}
