package dev.strata.catalog.query;

import dev.strata.catalog.BuildId;
import dev.strata.catalog.StoredBuild;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hierarchy of the catalog's nodes as their latest builds record it: each external base, the
 * nodes built FROM it, their children, and so on. A node whose latest build was made from an older
 * build of its parent says which ({@code builtFrom}).
 */
public record CatalogTree(List<Root> roots) {

  /** An external base (reference and digest as recorded) and the nodes built directly on it. */
  public record Root(String base, Optional<String> digest, List<Branch> nodes) {}

  /** A node, its latest build, the parent build it was made from, and its child nodes. */
  public record Branch(
      String node, StoredBuild current, Optional<BuildId> builtFrom, List<Branch> children) {

    /** True when the parent has a newer build than the one this node was made from. */
    public boolean parentMovedOn(Map<String, StoredBuild> latest) {
      return builtFrom.isPresent()
          && latest.containsKey(builtFrom.get().node())
          && !latest.get(builtFrom.get().node()).id().equals(builtFrom.get());
    }
  }

  /** The tree of {@code builds}. */
  public static CatalogTree of(List<StoredBuild> builds) {
    Map<String, StoredBuild> latest = BuildResolver.latestByNode(builds);
    Map<String, List<String>> childrenOf = new LinkedHashMap<>();
    Map<String, List<String>> rootsByBase = new LinkedHashMap<>();
    Map<String, Optional<String>> baseDigests = new LinkedHashMap<>();
    for (StoredBuild b : latest.values()) {
      Optional<String> parent = b.record().parentNode().filter(latest::containsKey);
      if (parent.isPresent() && !parent.get().equals(b.node())) {
        childrenOf.computeIfAbsent(parent.get(), k -> new ArrayList<>()).add(b.node());
      } else {
        String base =
            b.record().baseReference().or(() -> b.record().parentNode()).orElse("(no base)");
        rootsByBase.computeIfAbsent(base, k -> new ArrayList<>()).add(b.node());
        baseDigests.merge(
            base, b.record().baseDigest(), (x, y) -> x.equals(y) ? x : Optional.empty());
      }
    }
    List<Root> roots = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : rootsByBase.entrySet()) {
      List<Branch> branches = new ArrayList<>();
      for (String node : e.getValue()) {
        branches.add(branch(node, latest, builds, childrenOf, new ArrayList<>()));
      }
      roots.add(new Root(e.getKey(), baseDigests.get(e.getKey()), branches));
    }
    return new CatalogTree(roots);
  }

  private static Branch branch(
      String node,
      Map<String, StoredBuild> latest,
      List<StoredBuild> builds,
      Map<String, List<String>> childrenOf,
      List<String> path) {
    StoredBuild current = latest.get(node);
    path.add(node);
    List<Branch> children = new ArrayList<>();
    for (String child : childrenOf.getOrDefault(node, List.of())) {
      if (!path.contains(child)) {
        children.add(branch(child, latest, builds, childrenOf, path));
      }
    }
    path.remove(path.size() - 1);
    Optional<BuildId> builtFrom = Lineage.parent(current, builds).map(StoredBuild::id);
    return new Branch(node, current, builtFrom, children);
  }
}
