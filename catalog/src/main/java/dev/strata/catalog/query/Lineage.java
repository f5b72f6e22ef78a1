package dev.strata.catalog.query;

import dev.strata.catalog.StoredBuild;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a build comes from: the build itself, the recorded build it was made FROM (matched by
 * manifest digest), that build's parent, and so on up to the first image the catalog did not build
 * — the external base, named by reference and digest.
 */
public record Lineage(
    List<StoredBuild> builds, Optional<String> externalReference, Optional<String> externalDigest) {

  public Lineage {
    builds = List.copyOf(builds);
  }

  /** The lineage of {@code build} among {@code all} recorded builds. */
  public static Lineage of(StoredBuild build, List<StoredBuild> all) {
    List<StoredBuild> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    StoredBuild current = build;
    while (current != null && seen.add(current.digest())) {
      chain.add(current);
      Optional<StoredBuild> parent = parent(current, all);
      if (parent.isEmpty()) {
        break;
      }
      current = parent.get();
    }
    StoredBuild top = chain.get(chain.size() - 1);
    return new Lineage(chain, top.record().baseReference(), top.record().baseDigest());
  }

  /**
   * The recorded build {@code build} was made FROM: a build with its first parent digest, of its
   * parent node when one is named, the latest such.
   */
  public static Optional<StoredBuild> parent(StoredBuild build, List<StoredBuild> all) {
    Optional<String> digest = build.record().parentDigest();
    if (digest.isEmpty()) {
      return Optional.empty();
    }
    List<StoredBuild> candidates =
        all.stream().filter(c -> c != build && c.digest().equals(digest.get())).toList();
    List<StoredBuild> ofParentNode =
        candidates.stream()
            .filter(c -> build.record().parentNode().map(c.node()::equals).orElse(false))
            .toList();
    List<StoredBuild> pick = ofParentNode.isEmpty() ? candidates : ofParentNode;
    return pick.isEmpty() ? Optional.empty() : Optional.of(pick.get(pick.size() - 1));
  }

  /** The builds made FROM {@code build}'s digest, oldest first. */
  public static List<StoredBuild> children(StoredBuild build, List<StoredBuild> all) {
    return all.stream()
        .filter(b -> b.record().parentDigest().map(d -> d.equals(build.digest())).orElse(false))
        .toList();
  }
}
