package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildResolver;
import dev.strata.catalog.query.CatalogTree;
import dev.strata.catalog.render.CatalogText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata catalog tree}: the hierarchy with each node's current build. */
@Command(
    name = "tree",
    description =
        "Show the hierarchy of recorded nodes from each external base, with each node's"
            + " current build number and digest.",
    footer = {"", "Examples:", "  strata catalog tree", "  strata catalog tree --json"},
    mixinStandardHelpOptions = true)
final class CatalogTreeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin CatalogOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Catalog catalog = options.open()) {
      List<StoredBuild> all = catalog.builds();
      CatalogTree tree = CatalogTree.of(all);
      Map<String, StoredBuild> latest = BuildResolver.latestByNode(all);
      if (options.json) {
        List<Map<String, Object>> roots = new ArrayList<>();
        for (CatalogTree.Root root : tree.roots()) {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("base", root.base());
          root.digest().ifPresent(d -> json.put("digest", d));
          json.put("nodes", branches(root.nodes(), latest));
          roots.add(json);
        }
        out.println(JsonOutput.write(roots));
      } else {
        out.print(CatalogText.tree(tree, latest));
      }
    }
    out.flush();
    return 0;
  }

  private static List<Map<String, Object>> branches(
      List<CatalogTree.Branch> branches, Map<String, StoredBuild> latest) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (CatalogTree.Branch b : branches) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("node", b.node());
      json.put("build", b.current().id().toString());
      json.put("digest", b.current().digest());
      b.builtFrom().ifPresent(f -> json.put("builtFrom", f.toString()));
      json.put("parentMovedOn", b.parentMovedOn(latest));
      json.put("children", branches(b.children(), latest));
      list.add(json);
    }
    return list;
  }
}
