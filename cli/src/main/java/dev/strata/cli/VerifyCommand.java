package dev.strata.cli;

import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.graph.ImageName;
import dev.strata.trust.key.VerificationKey;
import dev.strata.trust.verify.ImageVerifier;
import dev.strata.trust.verify.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata verify}: signature, attestations and lineage of an image in a registry. */
@Command(
    name = "verify",
    description = {
      "Verify an image in a registry: a cosign signature by an accepted key for this digest and",
      "this REPO:TAG (the rule a bootc host's default policy applies), its SPDX SBOM and SLSA",
      "provenance attestations, and then the same for every parent image the provenance names,",
      "up the lineage (e.g. db-server -> soe -> base).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata verify localhost:5000/corp/db-server:latest --key cosign.pub",
      "  strata verify --signature-only --json quay.io/corp/soe:1 --key old.pub --key new.pub",
      "",
      "Exit codes: 0 verified, 1 verification failed (the report says what), 2 usage error."
    },
    mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REF", description = "REGISTRY/REPO[:TAG][@sha256:...]")
  String reference;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "An accepted public key (repeatable; default: ./cosign.pub).")
  List<Path> keys = new ArrayList<>();

  @Option(
      names = "--signature-only",
      description = "Check signatures only; do not require SBOM and provenance attestations.")
  boolean signatureOnly;

  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description = "Allow plain HTTP or unverified TLS for this registry (repeatable).")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ImageName image = ImageName.parse(reference).orElse(null);
    if (image == null) {
      StrataCommand.printError(
          spec.commandLine(), "error: '" + reference + "' is not an image reference");
      return ErrorReporter.USAGE;
    }
    if (keys.isEmpty()) {
      if (!Files.exists(Path.of("cosign.pub"))) {
        StrataCommand.printError(
            spec.commandLine(), "error: no --key given and no cosign.pub in the current folder");
        return ErrorReporter.USAGE;
      }
      keys.add(Path.of("cosign.pub"));
    }
    List<VerificationKey> accepted = new ArrayList<>();
    try {
      for (Path key : keys) {
        accepted.add(VerificationKey.read(key));
      }
    } catch (java.io.IOException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    VerificationReport report;
    try (ImageVerifier verifier =
        new ImageVerifier(
            RegistryConnector.fromEnvironment(Set.copyOf(insecure)), accepted, !signatureOnly)) {
      report = verifier.verify(image);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? JsonOutput.write(report.json()) + "\n" : report.text());
    out.flush();
    return report.ok() ? 0 : ErrorReporter.FAILURE;
  }
}
