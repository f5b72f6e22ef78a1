package dev.strata.cli;

import dev.strata.bridge.registry.Registry;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.graph.ImageName;
import dev.strata.trust.ImageSigner;
import dev.strata.trust.key.PasswordSource;
import dev.strata.trust.key.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata sign}: a cosign signature on an image already in a registry. */
@Command(
    name = "sign",
    description = {
      "Sign an image in a registry, in cosign's format: the tag is resolved to its digest on the",
      "registry and a signature whose identity is REGISTRY/REPO:TAG is added to the image's",
      "sha256-<hex>.sig (other signatures are kept). REF@sha256:... signs only if the tag still",
      "resolves to that digest. `strata build --push --sign` signs and attests what it pushes.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata sign localhost:5000/corp/soe:latest --key cosign.key",
      "  STRATA_PASSWORD=... strata sign --insecure-registry reg.lan:5000 reg.lan:5000/corp/base:1 --key keys/release.key",
      "",
      "Verify with: strata verify REF --key cosign.pub --signature-only, or",
      "cosign verify --key cosign.pub --insecure-ignore-tlog=true REF.",
      "Exit codes: 0 signed, 1 registry failure, 2 usage error, bad key or wrong password."
    },
    mixinStandardHelpOptions = true)
final class SignCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REF", description = "REGISTRY/REPO:TAG[@sha256:...]")
  String reference;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "The private key.")
  Path key;

  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description = "Allow plain HTTP or unverified TLS for this registry (repeatable).")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--json", description = "Print what was signed as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ImageName image = ImageName.parse(reference).orElse(null);
    if (image == null) {
      StrataCommand.printError(
          spec.commandLine(), "error: '" + reference + "' is not an image reference");
      return ErrorReporter.USAGE;
    }
    SigningKey signingKey;
    try {
      signingKey = SigningKey.read(key, PasswordSource.fromEnvironment());
    } catch (java.io.IOException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    ImageSigner signer =
        new ImageSigner(
            signingKey,
            "strata " + new StrataCommand.Version().getVersion()[0].replace("strata ", ""),
            Clock.systemUTC());
    ImageSigner.Signed signed;
    try (Registry registry =
        RegistryConnector.fromEnvironment(Set.copyOf(insecure)).connect(image.domain())) {
      signed = signer.signTag(registry, image);
    } catch (IllegalArgumentException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("image", signed.image().repository());
      result.put("digest", signed.digest().toString());
      result.put("identities", signed.identities());
      result.put("key", signingKey.publicKey().fingerprint());
      out.println(JsonOutput.write(result));
    } else {
      out.println(
          "signed "
              + signed.image().repository()
              + "@"
              + signed.digest()
              + " as "
              + String.join(", ", signed.identities()));
    }
    out.flush();
    return 0;
  }
}
