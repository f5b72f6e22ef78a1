package dev.strata.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * {@code --insecure-registry HOST[:PORT]}, repeatable, shared by the commands that talk to
 * registries: only the registries named here may be reached over plain HTTP or unverified TLS
 * ({@code localhost} included).
 */
final class InsecureRegistryOption {
  @CommandLine.Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description =
          "Allow plain HTTP or unverified TLS for this registry (repeatable; without a port it"
              + " covers every port of the host). Never implied, not even for localhost.")
  List<String> hosts = new ArrayList<>();

  Set<String> asSet() {
    return Set.copyOf(hosts);
  }
}
