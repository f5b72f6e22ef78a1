package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.render.CatalogText;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata catalog history NODE}: every build of a node and why it happened. */
@Command(
    name = "history",
    description = "List every build of a node, oldest first, with the reason the plan gave for it.",
    footer = {
      "",
      "Examples:",
      "  strata catalog history soe",
      "  strata catalog history soe --json"
    },
    mixinStandardHelpOptions = true)
final class CatalogHistoryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;

  @Parameters(paramLabel = "NODE", description = "The node (NODE@N is accepted and means NODE).")
  String node;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String name = dev.strata.catalog.BuildId.parse(node).map(id -> id.node()).orElse(node);
    try (Catalog catalog = options.open()) {
      List<StoredBuild> builds = catalog.builds(name);
      if (builds.isEmpty()) {
        throw CatalogException.input(
            "no builds of node '" + name + "' are recorded (see 'strata catalog list')");
      }
      if (options.json) {
        out.println(
            JsonOutput.write(
                builds.stream()
                    .map(
                        b -> {
                          Map<String, Object> row = new LinkedHashMap<>();
                          row.put("build", b.id().toString());
                          row.put("builtAt", b.record().builtAt());
                          row.put("digest", b.digest());
                          row.put("origin", b.origin());
                          b.record().gitCommit().ifPresent(c -> row.put("gitCommit", c));
                          row.put("reasons", b.record().planReasons());
                          return row;
                        })
                    .toList()));
      } else {
        out.print(CatalogText.history(builds));
      }
    }
    out.flush();
    return 0;
  }
}
