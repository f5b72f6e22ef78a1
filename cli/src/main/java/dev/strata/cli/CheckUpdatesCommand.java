package dev.strata.cli;

import dev.strata.bridge.build.BaseDigests;
import dev.strata.bridge.build.PullPolicy;
import dev.strata.bridge.registry.DigestResolver;
import dev.strata.bridge.registry.Mirrors;
import dev.strata.bridge.registry.RegistryConnector;
import dev.strata.bridge.store.OciLayoutStore;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.GraphBuilder;
import dev.strata.graph.plan.BaseUpdates;
import dev.strata.graph.plan.LockFile;
import dev.strata.graph.plan.NodePlan;
import dev.strata.graph.plan.Plan;
import dev.strata.graph.project.ProjectConfig;
import dev.strata.graph.project.ProjectLoader;
import dev.strata.graph.render.PlanRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata check-updates}: which external bases moved since strata.lock pinned them. */
@Command(
    name = "check-updates",
    description = {
      "Check every external image the project reads (each FROM, COPY --from and RUN --mount=from",
      "outside the graph) against the digest strata.lock pins: on its registry (strata.yaml's",
      "mirrors first) for linux/amd64, or in the local store for a store-only base (one the",
      "registry does not have, e.g. imported with 'strata import', or named localhost/...).",
      "Prints which bases moved and which nodes that rebuilds; --pin writes the new digests into",
      "strata.lock, so the next 'strata build' rebuilds everything below them.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  strata check-updates examples/soe",
      "  strata check-updates --pin --insecure-registry localhost:5000 examples/soe",
      "  strata check-updates --offline --json .   # compare with the local store only",
      "",
      "strata.lock pins the linux/amd64 manifest digest (what a build uses); for a multi-platform",
      "tag the index digest is shown beside it. A registry that cannot be reached is an error for",
      "that base, never replaced by the store's older answer (use --offline for that).",
      "JSON: { lockFile, pinned, bases: [ { reference, status: up-to-date|moved|unpinned|error,",
      "pinned, current, index, source: registry|mirror|store, location, readBy, rebuilds, error } ],",
      "rebuild: [NODE], plan: <as strata plan --json> }",
      "Exit codes: 0 checked (moved or not), 1 a base could not be checked, 2 invalid project."
    },
    mixinStandardHelpOptions = true)
final class CheckUpdatesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "The project folder (default: .).")
  java.nio.file.Path directory = java.nio.file.Path.of(".");

  @Option(names = "--pin", description = "Write the moved and new digests into strata.lock.")
  boolean pin;

  @Option(
      names = "--offline",
      description = "Ask no registry: check every base against the local store.")
  boolean offline;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @CommandLine.Mixin BuildArgs buildArgs;
  @CommandLine.Mixin StoreOption store;
  @CommandLine.Mixin InsecureRegistryOption insecure;

  /** One base's outcome. */
  private record Row(
      String reference,
      String status,
      Optional<String> pinned,
      Optional<BaseDigests.Current> current,
      List<String> readBy,
      Optional<String> error) {}

  @Override
  public Integer call() throws Exception {
    ProjectConfig project = ProjectLoader.load(directory);
    DerivationGraph graph = GraphBuilder.build(project, buildArgs.asMap());
    LockFile lock = LockFile.read(project.lockFile());
    SortedMap<String, List<String>> images = BaseUpdates.externalImages(graph);
    Set<String> insecureHosts = new LinkedHashSet<>(insecure.asSet());
    insecureHosts.addAll(project.insecureRegistries());
    Optional<OciLayoutStore> opened = store.openIfPresent();

    List<Row> rows = new ArrayList<>();
    Map<String, String> moved = new TreeMap<>();
    try (DigestResolver registries =
        new DigestResolver(
            RegistryConnector.fromEnvironment(insecureHosts), new Mirrors(project.mirrors()))) {
      BaseDigests digests =
          new BaseDigests(
              opened, offline ? Optional.empty() : Optional.of(registries), PullPolicy.MISSING);
      for (Map.Entry<String, List<String>> image : images.entrySet()) {
        String reference = image.getKey();
        Optional<String> pinned = lock.digest(reference);
        try {
          BaseDigests.Current current = digests.current(reference, pinned, offline);
          String status =
              pinned.isEmpty()
                  ? "unpinned"
                  : pinned.get().equals(current.digest()) ? "up-to-date" : "moved";
          if (!status.equals("up-to-date")) {
            moved.put(reference, current.digest());
          }
          rows.add(
              new Row(
                  reference,
                  status,
                  pinned,
                  Optional.of(current),
                  image.getValue(),
                  Optional.empty()));
        } catch (IOException e) {
          rows.add(
              new Row(
                  reference,
                  "error",
                  pinned,
                  Optional.empty(),
                  image.getValue(),
                  Optional.of(e.getMessage())));
        }
      }
    }

    Plan plan = BaseUpdates.rebuilds(graph, lock, moved);
    boolean written = false;
    if (pin && !moved.isEmpty()) {
      moved.forEach(lock::pin);
      lock.write();
      written = true;
    }
    boolean failed = rows.stream().anyMatch(r -> r.error().isPresent());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonOutput.write(document(project, graph, images, rows, plan, written)));
    } else {
      out.print(text(project, graph, images, rows, plan, written));
    }
    out.flush();
    return failed ? ErrorReporter.FAILURE : 0;
  }

  private String text(
      ProjectConfig project,
      DerivationGraph graph,
      SortedMap<String, List<String>> images,
      List<Row> rows,
      Plan plan,
      boolean written) {
    StringBuilder out = new StringBuilder();
    if (rows.isEmpty()) {
      return "no external bases to check (every FROM is a node, scratch, or pinned by digest)\n";
    }
    for (Row row : rows) {
      out.append(row.reference()).append(": ");
      switch (row.status()) {
        case "error" -> out.append("error: ").append(row.error().orElse(""));
        case "up-to-date" -> out.append("up to date ").append(row.pinned().orElseThrow());
        case "unpinned" ->
            out.append("not pinned in strata.lock; now ").append(row.current().get().digest());
        default ->
            out.append("moved ")
                .append(row.pinned().orElseThrow())
                .append(" → ")
                .append(row.current().get().digest());
      }
      row.current().ifPresent(c -> out.append(" (").append(where(c)).append(')'));
      out.append('\n');
      if (row.status().equals("moved") || row.status().equals("unpinned")) {
        out.append("  rebuilds: ")
            .append(String.join(", ", BaseUpdates.affected(graph, images, row.reference())))
            .append('\n');
      }
    }
    long changed =
        rows.stream()
            .filter(r -> r.status().equals("moved") || r.status().equals("unpinned"))
            .count();
    long errors = rows.stream().filter(r -> r.error().isPresent()).count();
    List<String> rebuild = plan.rebuilds().stream().map(NodePlan::node).toList();
    if (changed == 0) {
      out.append(
          errors == 0
              ? "all " + rows.size() + plural(rows.size(), " base", " bases") + " up to date\n"
              : errors + " of " + rows.size() + " bases could not be checked\n");
      return out.toString();
    }
    out.append(changed)
        .append(" of ")
        .append(rows.size())
        .append(plural(rows.size(), " base", " bases"))
        .append(" moved or unpinned; ")
        .append(rebuild.size())
        .append(plural(rebuild.size(), " node", " nodes"))
        .append(" to rebuild: ")
        .append(String.join(", ", rebuild))
        .append('\n');
    for (NodePlan node : plan.rebuilds()) {
      out.append("  ").append(node.node()).append(": ").append(node.summary()).append('\n');
      node.reasons().forEach(r -> out.append("    - ").append(r.describe()).append('\n'));
    }
    if (written) {
      out.append("pinned in ")
          .append(ProjectLoader.display(project.lockFile()))
          .append(": the next 'strata build' rebuilds ")
          .append(String.join(", ", rebuild))
          .append('\n');
    } else {
      out.append("run 'strata check-updates --pin' to write the new digests into strata.lock\n");
    }
    return out.toString();
  }

  private Map<String, Object> document(
      ProjectConfig project,
      DerivationGraph graph,
      SortedMap<String, List<String>> images,
      List<Row> rows,
      Plan plan,
      boolean written) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("lockFile", project.lockFile().toString());
    doc.put("pinned", written);
    List<Object> bases = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("reference", row.reference());
      b.put("status", row.status());
      b.put("pinned", row.pinned().orElse(null));
      b.put("current", row.current().map(BaseDigests.Current::digest).orElse(null));
      b.put("index", row.current().flatMap(BaseDigests.Current::index).orElse(null));
      b.put(
          "source",
          row.current()
              .map(c -> c.source().name().toLowerCase(java.util.Locale.ROOT))
              .orElse(null));
      b.put("location", row.current().map(BaseDigests.Current::location).orElse(null));
      b.put("readBy", row.readBy());
      b.put(
          "rebuilds",
          row.status().equals("moved") || row.status().equals("unpinned")
              ? BaseUpdates.affected(graph, images, row.reference())
              : List.of());
      b.put("error", row.error().orElse(null));
      bases.add(b);
    }
    doc.put("bases", bases);
    doc.put("rebuild", plan.rebuilds().stream().map(NodePlan::node).toList());
    doc.put("plan", PlanRenderer.toMap(plan));
    return doc;
  }

  private static String where(BaseDigests.Current current) {
    String index = current.index().map(i -> ", index " + i).orElse("");
    return switch (current.source()) {
      case REGISTRY -> "registry" + index;
      case MIRROR -> "mirror " + current.location() + index;
      case STORE -> "local store";
    };
  }

  private static String plural(long n, String one, String many) {
    return n == 1 ? one : many;
  }
}
