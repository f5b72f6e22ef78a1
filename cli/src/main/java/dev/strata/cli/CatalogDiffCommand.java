package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildDiff;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.render.CatalogText;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata catalog diff A B}: what changed from A to B. */
@Command(
    name = "diff",
    description = {
      "Show what changed from build A to build B: packages added, removed, upgraded and",
      "downgraded (dpkg or rpm version order), layers and config. For a role and its parent",
      "(diff soe db-server) it is what the role adds."
    },
    footer = {
      "",
      "Examples:",
      "  strata catalog diff soe@1 soe@2",
      "  strata catalog diff soe db-server",
      "  strata catalog diff --json sha256:3f2a db-server@4"
    },
    mixinStandardHelpOptions = true)
final class CatalogDiffCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;

  @Parameters(index = "0", paramLabel = "A", description = "The build to compare from.")
  String a;

  @Parameters(index = "1", paramLabel = "B", description = "The build to compare to.")
  String b;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Catalog catalog = options.open()) {
      List<StoredBuild> all = catalog.builds();
      BuildResolver resolver = new BuildResolver(all);
      StoredBuild from = resolver.resolve(a);
      StoredBuild to = resolver.resolve(b);
      BuildDiff diff =
          BuildDiff.of(from, catalog.packages(from.id()), to, catalog.packages(to.id()), all);
      out.print(options.json ? JsonOutput.write(diff) + "\n" : CatalogText.diff(diff));
    }
    out.flush();
    return 0;
  }
}
