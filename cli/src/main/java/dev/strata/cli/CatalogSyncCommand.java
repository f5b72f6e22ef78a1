package dev.strata.cli;

import dev.strata.bridge.registry.Registry;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.catalog.BuildId;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.sync.CatalogSync;
import dev.strata.catalog.sync.SyncReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata catalog sync}: records a registry's images, with their Strata lineage. */
@Command(
    name = "sync",
    description = {
      "Read the images of a registry (or of the repositories under REGISTRY/PREFIX) into the",
      "catalog: tags, layers, labels, the lineage Strata's provenance labels name",
      "(dev.strata.node, dev.strata.parent.*, org.opencontainers.image.base.*) and each image's",
      "package inventory. Images the catalog already has are left alone, so sync can run again.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata catalog sync localhost:5000/corp --insecure-registry localhost:5000",
      "  strata catalog sync registry.example.com/platform/soe --json",
      "",
      "Exit codes: 0 synced (problems with single images are listed), 1 the registry failed,",
      "2 usage error."
    },
    mixinStandardHelpOptions = true)
final class CatalogSyncCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;
  @CommandLine.Mixin InsecureRegistryOption insecure;

  @Parameters(
      index = "0",
      paramLabel = "REGISTRY[/REPO]",
      description = "A registry host, optionally with a repository or a prefix of repositories.")
  String target;

  @Override
  public Integer call() throws Exception {
    int slash = target.indexOf('/');
    String host = slash < 0 ? target : target.substring(0, slash);
    String prefix = slash < 0 ? "" : target.substring(slash + 1).replaceAll("/+$", "");
    if (host.isEmpty() || host.contains("@")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "'" + target + "' is not REGISTRY[/REPO] (e.g. localhost:5000/corp)");
    }
    SyncReport report;
    try (Registry registry = RegistryConnector.fromEnvironment(insecure.asSet()).connect(host);
        RegistryImages source = new RegistryImages(registry);
        Catalog catalog = options.open()) {
      report = CatalogSync.run(catalog, source, prefix);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (options.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("recorded", report.recorded().stream().map(BuildId::toString).toList());
      doc.put("alreadyKnown", report.alreadyKnown());
      doc.put("problems", report.problems());
      out.println(JsonOutput.write(doc));
    } else {
      for (BuildId id : report.recorded()) {
        out.println("recorded " + id);
      }
      for (String problem : report.problems()) {
        out.println("problem: " + problem);
      }
      out.println(
          "synced "
              + target
              + ": "
              + report.recorded().size()
              + " recorded, "
              + report.alreadyKnown()
              + " already known, "
              + report.problems().size()
              + " problem(s)");
    }
    out.flush();
    return 0;
  }
}
