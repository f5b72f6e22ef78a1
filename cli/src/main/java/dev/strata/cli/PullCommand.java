package dev.strata.cli;

import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.ImageTransfer;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.PulledImage;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.registry.TransferEvent;
import dev.strata.graph.ImageName;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata pull}: an image from a registry into the local store, for linux/amd64. */
@Command(
    name = "pull",
    description = {
      "Pull an image from a registry into the local OCI store (for linux/amd64; a multi-platform",
      "index is resolved to it). Manifest, index and config bytes are kept exactly as served, every",
      "blob is digest-verified, and the store ref (the fully qualified name, e.g.",
      "docker.io/library/debian:bookworm) is set only once everything is stored.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata pull quay.io/centos-bootc/centos-bootc:stream9",
      "  strata pull --insecure-registry localhost:5000 localhost:5000/corp/base:1",
      "  strata pull --store ./store registry.corp/soe@sha256:<digest> --json",
      "",
      "Credentials come from $REGISTRY_AUTH_FILE, podman's auth.json, or docker's config.json",
      "($DOCKER_CONFIG), as written by 'podman login' or 'docker login'.",
      "Exit codes: 0 ok, 1 pull failed (not found, unauthorized, TLS, unreachable), 2 usage error."
    },
    mixinStandardHelpOptions = true)
final class PullCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "REF", description = "The image, e.g. registry.corp/corp/base:1.")
  String reference;

  @CommandLine.Mixin StoreOption store;
  @CommandLine.Mixin InsecureRegistryOption insecure;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ImageName name = ImageReferences.parse(spec, reference, "REF");
    PrintWriter out = spec.commandLine().getOut();
    PulledImage pulled;
    try (ImageTransfer transfer =
        new ImageTransfer(
            store.open(),
            RegistryConnector.fromEnvironment(insecure.asSet()),
            Mirrors.NONE,
            event -> progress(event))) {
      pulled = transfer.pull(name, Platform.LINUX_AMD64);
    }
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("reference", pulled.reference().canonical());
      result.put("source", pulled.source().canonical());
      result.put("manifest", pulled.manifest().digest().toString());
      result.put("mediaType", pulled.manifest().mediaType());
      pulled.index().ifPresent(d -> result.put("index", d.toString()));
      out.println(JsonOutput.write(result));
    } else {
      out.println(pulled.reference().canonical() + " " + pulled.manifest().digest());
    }
    out.flush();
    return 0;
  }

  private void progress(TransferEvent event) {
    if (!json && event.digest() != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(event.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + event.digest());
      err.flush();
    }
  }
}
