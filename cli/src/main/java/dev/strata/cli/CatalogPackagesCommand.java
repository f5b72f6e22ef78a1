package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.render.CatalogText;
import dev.strata.packages.InstalledPackage;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata catalog packages REF}: a build's package inventory. */
@Command(
    name = "packages",
    description =
        "List the packages installed in a build: name, version, architecture, source"
            + " and license where known.",
    footer = {
      "",
      "Examples:",
      "  strata catalog packages db-server",
      "  strata catalog packages soe@1 --json"
    },
    mixinStandardHelpOptions = true)
final class CatalogPackagesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;

  @Parameters(
      paramLabel = "REF",
      description = "NODE, NODE@N, a digest prefix or an image reference.")
  String ref;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Catalog catalog = options.open()) {
      StoredBuild build = new BuildResolver(catalog.builds()).resolve(ref);
      List<InstalledPackage> packages = catalog.packages(build.id());
      out.print(options.json ? JsonOutput.write(packages) + "\n" : CatalogText.packages(packages));
    }
    out.flush();
    return 0;
  }
}
