package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.render.CatalogText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata catalog list}: each image's latest build. */
@Command(
    name = "list",
    description =
        "List each image's latest build: tag, build number, digest, time, size, signed,"
            + " packages.",
    footer = {"", "Examples:", "  strata catalog list", "  strata catalog list --json"},
    mixinStandardHelpOptions = true)
final class CatalogListCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Catalog catalog = options.open()) {
      List<StoredBuild> latest =
          new ArrayList<>(BuildResolver.latestByNode(catalog.builds()).values());
      var counts = catalog.packageCounts();
      if (options.json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StoredBuild b : latest) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("build", b.id().toString());
          row.put("packages", counts.getOrDefault(b.id(), 0));
          row.put("origin", b.origin());
          row.put("record", b.record());
          rows.add(row);
        }
        out.println(JsonOutput.write(rows));
      } else {
        out.print(CatalogText.list(latest, counts));
      }
    }
    out.flush();
    return 0;
  }
}
