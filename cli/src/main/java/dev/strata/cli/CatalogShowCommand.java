package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.query.Lineage;
import dev.strata.catalog.render.CatalogText;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata catalog show REF}: one build in full. */
@Command(
    name = "show",
    description =
        "Show a build: lineage up to the external base, children, layers, labels,"
            + " signature, attestations and disk images.",
    footer = {
      "",
      "Examples:",
      "  strata catalog show db-server",
      "  strata catalog show soe@1 --json",
      "  strata catalog show localhost:5000/corp/soe:latest"
    },
    mixinStandardHelpOptions = true)
final class CatalogShowCommand implements Callable<Integer> {
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
      List<StoredBuild> all = catalog.builds();
      StoredBuild build = new BuildResolver(all).resolve(ref);
      Lineage lineage = Lineage.of(build, all);
      List<StoredBuild> children = Lineage.children(build, all);
      int packages = catalog.packages(build.id()).size();
      if (options.json) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("build", build.id().toString());
        json.put("origin", build.origin());
        json.put("record", build.record());
        json.put("packages", packages);
        json.put("lineage", lineage.builds().stream().map(b -> b.id().toString()).toList());
        lineage.externalReference().ifPresent(r -> json.put("externalBase", r));
        lineage.externalDigest().ifPresent(d -> json.put("externalBaseDigest", d));
        json.put("children", children.stream().map(b -> b.id().toString()).toList());
        out.println(JsonOutput.write(json));
      } else {
        out.print(CatalogText.show(build, lineage, children, packages));
      }
    }
    out.flush();
    return 0;
  }
}
