package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.query.CatalogSearch;
import dev.strata.catalog.query.SearchHit;
import dev.strata.catalog.render.CatalogText;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata catalog search TERM…}: images by package, label or base. */
@Command(
    name = "search",
    description = {
      "Find images by package (pkg=NAME, pkg=NAME<VERSION with < <= = >= >), label",
      "(label=KEY or label=KEY=VALUE) or base image (base=REF). Several terms must all match.",
      "Searches each node's latest build unless --all is given."
    },
    footer = {
      "",
      "Examples:",
      "  strata catalog search pkg=postgresql",
      "  strata catalog search 'pkg=libssl3<3.0.13-1~deb12u1'",
      "  strata catalog search label=com.example.soe.version=2025.06 --all",
      "  strata catalog search base=docker.io/library/debian:bookworm"
    },
    mixinStandardHelpOptions = true)
final class CatalogSearchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;

  @Option(names = "--all", description = "Search every recorded build, not only the latest.")
  boolean all;

  @Parameters(paramLabel = "TERM", arity = "1..*", description = "pkg=…, label=… or base=….")
  List<String> terms;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Catalog catalog = options.open()) {
      List<SearchHit> hits = CatalogSearch.run(catalog, terms, all);
      if (options.json) {
        out.println(
            JsonOutput.write(
                hits.stream()
                    .map(
                        h -> {
                          Map<String, Object> row = new LinkedHashMap<>();
                          row.put("build", h.build().id().toString());
                          row.put("reference", h.build().record().taggedReference());
                          row.put("digest", h.build().digest());
                          row.put("matched", h.matched());
                          return row;
                        })
                    .toList()));
      } else {
        out.print(CatalogText.search(hits));
      }
    }
    out.flush();
    return 0;
  }
}
