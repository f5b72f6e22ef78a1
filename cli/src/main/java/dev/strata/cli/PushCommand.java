package dev.strata.cli;

import dev.strata.bridge.registry.BlobPush;
import dev.strata.bridge.registry.ImageTransfer;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.PushedImage;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.registry.TransferEvent;
import dev.strata.graph.ImageName;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata push}: an image from the local store to a registry. */
@Command(
    name = "push",
    description = {
      "Push an image from the local OCI store to a registry: blobs first (skipped when the",
      "repository has them, mounted when another repository of that registry does), then the",
      "manifest by digest, then the tag, so the tag never names an incomplete image.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata push corp/base:1 registry.corp/corp/base:1",
      "  strata push --insecure-registry localhost:5000 corp/soe:1 localhost:5000/corp/soe:1",
      "  strata push --store ./store corp/web:1 registry.corp/corp/web:1 --json",
      "",
      "LOCALREF is a ref in the store exactly as 'strata build' or 'strata pull' stored it.",
      "Exit codes: 0 ok, 1 push failed (unauthorized, TLS, unreachable, missing blob), 2 usage error."
    },
    mixinStandardHelpOptions = true)
final class PushCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOCALREF", description = "The image in the store.")
  String local;

  @Parameters(index = "1", paramLabel = "REMOTEREF", description = "Where to push it.")
  String remote;

  @CommandLine.Mixin StoreOption store;
  @CommandLine.Mixin InsecureRegistryOption insecure;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ImageName target = ImageReferences.parse(spec, remote, "REMOTEREF");
    PrintWriter out = spec.commandLine().getOut();
    PushedImage pushed;
    try (ImageTransfer transfer =
        new ImageTransfer(
            store.open(),
            RegistryConnector.fromEnvironment(insecure.asSet()),
            Mirrors.NONE,
            this::progress)) {
      pushed = transfer.push(local, target);
    }
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("reference", pushed.remote().canonical());
      result.put("digest", pushed.digest().toString());
      Map<String, Long> blobs = new LinkedHashMap<>();
      for (BlobPush outcome : BlobPush.values()) {
        blobs.put(outcome.name().toLowerCase(Locale.ROOT), pushed.count(outcome));
      }
      result.put("blobs", blobs);
      out.println(JsonOutput.write(result));
    } else {
      out.println(pushed.remote().canonical() + " " + pushed.digest());
    }
    out.flush();
    return 0;
  }

  private void progress(TransferEvent event) {
    if (!json && event.digest() != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(event.kind().name().toLowerCase(Locale.ROOT) + " " + event.digest());
      err.flush();
    }
  }
}
