package dev.strata.cli;

import dev.strata.trust.key.VerificationKey;
import dev.strata.trust.policy.ContainersPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata policy}: the host files that make podman and bootc require Strata's signatures. */
@Command(
    name = "policy",
    description = {
      "Print the containers policy.json and registries.d snippets a host (podman, skopeo, bootc",
      "with --enforce-container-sigpolicy) needs to accept only images from the given registries",
      "or repositories that are signed with this key. The default stays 'reject'.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata policy --key cosign.pub localhost:5000/corp",
      "  strata policy --key cosign.pub --embed-key quay.io/corp/soe quay.io/corp/db-server",
      "",
      "Install: policy.json as /etc/containers/policy.json, the registries.d snippet as",
      "/etc/containers/registries.d/strata.yaml, and the public key at the keyPath shown.",
      "Exit codes: 0 ok, 2 usage error or unreadable key."
    },
    mixinStandardHelpOptions = true)
final class PolicyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "FILE",
      description = "The public key (PEM, e.g. cosign.pub) images are signed with.")
  Path key;

  @Option(
      names = "--key-path",
      paramLabel = "PATH",
      description = "Where the host keeps the key (default: /etc/pki/containers/<key file name>).")
  String keyPath;

  @Option(
      names = "--embed-key",
      description = "Put the key into policy.json (keyData) instead of naming a path.")
  boolean embed;

  @Option(names = "--json", description = "Print both files as one JSON object.")
  boolean json;

  @Parameters(
      paramLabel = "REGISTRY[/REPO]",
      arity = "1..*",
      description = "Scopes to protect, e.g. localhost:5000/corp or quay.io/corp/soe.")
  List<String> scopes;

  @Override
  public Integer call() throws Exception {
    VerificationKey publicKey;
    ContainersPolicy policy;
    String hostKeyPath = keyPath != null ? keyPath : "/etc/pki/containers/" + key.getFileName();
    try {
      publicKey = VerificationKey.read(key);
      policy =
          embed
              ? ContainersPolicy.withKeyData(scopes, publicKey)
              : ContainersPolicy.withKeyPath(scopes, hostKeyPath);
    } catch (java.io.IOException | IllegalArgumentException e) {
      StrataCommand.printError(spec.commandLine(), "error: " + e.getMessage());
      return ErrorReporter.USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put(
          "policy.json",
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(policy.policyJson()));
      result.put("registries.d/strata.yaml", policy.registriesD());
      if (!embed) {
        result.put("keyPath", hostKeyPath);
      }
      result.put("fingerprint", publicKey.fingerprint());
      out.println(JsonOutput.write(result));
    } else {
      out.println("# /etc/containers/policy.json");
      out.print(policy.policyJson());
      out.println();
      out.println("# /etc/containers/registries.d/strata.yaml");
      out.print(policy.registriesD());
      if (!embed) {
        out.println();
        out.println("# copy " + key + " to " + hostKeyPath + " (" + publicKey.fingerprint() + ")");
      }
    }
    out.flush();
    return 0;
  }
}
