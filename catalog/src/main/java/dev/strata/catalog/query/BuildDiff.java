package dev.strata.catalog.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.catalog.BuildId;
import dev.strata.catalog.Layer;
import dev.strata.catalog.StoredBuild;
import dev.strata.packages.InstalledPackage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed from build A to build B: packages added, removed, upgraded and downgraded (versions
 * ordered by the package format's rules, dpkg or rpm), layers kept, dropped and added, labels and
 * image config fields changed. For builds of different nodes where B descends from A, this is what
 * B's role adds to A.
 */
public record BuildDiff(
    BuildId from,
    BuildId to,
    Relation relation,
    List<PackageChange> added,
    List<PackageChange> removed,
    List<PackageChange> upgraded,
    List<PackageChange> downgraded,
    int unchangedPackages,
    int sharedLayers,
    List<Layer> layersRemoved,
    List<Layer> layersAdded,
    List<ValueChange> labels,
    List<ValueChange> config) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the two builds relate. */
  public enum Relation {
    /** Two builds of one node. */
    SAME_NODE,
    /** B is built (through any number of steps) FROM A's node: the diff is what B adds. */
    DESCENDANT,
    /** A is built FROM B's node. */
    ANCESTOR,
    /** Neither descends from the other. */
    UNRELATED
  }

  /** The diff from {@code a} to {@code b}, given both package inventories and all builds. */
  public static BuildDiff of(
      StoredBuild a,
      List<InstalledPackage> packagesA,
      StoredBuild b,
      List<InstalledPackage> packagesB,
      List<StoredBuild> all) {
    List<PackageChange> added = new ArrayList<>();
    List<PackageChange> removed = new ArrayList<>();
    List<PackageChange> upgraded = new ArrayList<>();
    List<PackageChange> downgraded = new ArrayList<>();
    int unchanged = 0;
    Map<String, List<InstalledPackage>> before = byNameAndArch(packagesA);
    Map<String, List<InstalledPackage>> after = byNameAndArch(packagesB);
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      List<InstalledPackage> was = before.getOrDefault(key, List.of());
      List<InstalledPackage> now = after.getOrDefault(key, List.of());
      if (was.size() == 1 && now.size() == 1) {
        InstalledPackage x = was.get(0);
        InstalledPackage y = now.get(0);
        int order = x.format() == y.format() ? x.compareVersion(y) : 0;
        if (x.fullVersion().equals(y.fullVersion())) {
          unchanged++;
        } else if (order < 0) {
          upgraded.add(change(x, Optional.of(x), Optional.of(y)));
        } else if (order > 0) {
          downgraded.add(change(x, Optional.of(x), Optional.of(y)));
        } else {
          // Equal by the format's order, different text (1.0 vs 1.0-0): not a change.
          unchanged++;
        }
        continue;
      }
      // Several versions of one name (kernels under rpm): compare them as sets.
      for (InstalledPackage x : was) {
        if (now.stream().noneMatch(y -> y.fullVersion().equals(x.fullVersion()))) {
          removed.add(change(x, Optional.of(x), Optional.empty()));
        } else {
          unchanged++;
        }
      }
      for (InstalledPackage y : now) {
        if (was.stream().noneMatch(x -> x.fullVersion().equals(y.fullVersion()))) {
          added.add(change(y, Optional.empty(), Optional.of(y)));
        }
      }
    }
    List<Layer> layersA = a.record().layers();
    List<Layer> layersB = b.record().layers();
    int shared = 0;
    while (shared < layersA.size()
        && shared < layersB.size()
        && layersA.get(shared).digest().equals(layersB.get(shared).digest())) {
      shared++;
    }
    return new BuildDiff(
        a.id(),
        b.id(),
        relation(a, b, all),
        added,
        removed,
        upgraded,
        downgraded,
        unchanged,
        shared,
        layersA.subList(shared, layersA.size()),
        layersB.subList(shared, layersB.size()),
        changes(a.record().labels(), b.record().labels()),
        changes(configFields(a), configFields(b)));
  }

  /** True when nothing differs. */
  public boolean isEmpty() {
    return added.isEmpty()
        && removed.isEmpty()
        && upgraded.isEmpty()
        && downgraded.isEmpty()
        && layersRemoved.isEmpty()
        && layersAdded.isEmpty()
        && labels.isEmpty()
        && config.isEmpty();
  }

  private static Relation relation(StoredBuild a, StoredBuild b, List<StoredBuild> all) {
    if (a.node().equals(b.node())) {
      return Relation.SAME_NODE;
    }
    if (Lineage.of(b, all).builds().stream().anyMatch(x -> x.node().equals(a.node()))) {
      return Relation.DESCENDANT;
    }
    if (Lineage.of(a, all).builds().stream().anyMatch(x -> x.node().equals(b.node()))) {
      return Relation.ANCESTOR;
    }
    return Relation.UNRELATED;
  }

  private static PackageChange change(
      InstalledPackage p, Optional<InstalledPackage> before, Optional<InstalledPackage> after) {
    return new PackageChange(
        p.name(),
        p.arch(),
        before.map(InstalledPackage::fullVersion),
        after.map(InstalledPackage::fullVersion));
  }

  private static Map<String, List<InstalledPackage>> byNameAndArch(List<InstalledPackage> list) {
    Map<String, List<InstalledPackage>> map = new TreeMap<>();
    for (InstalledPackage p : list) {
      map.computeIfAbsent(p.name() + "\u0000" + p.arch(), k -> new ArrayList<>()).add(p);
    }
    return map;
  }

  private static List<ValueChange> changes(Map<String, String> a, Map<String, String> b) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    List<ValueChange> changes = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(a.get(key), b.get(key))) {
        changes.add(
            new ValueChange(key, Optional.ofNullable(a.get(key)), Optional.ofNullable(b.get(key))));
      }
    }
    return changes;
  }

  /** The image config's fields (labels aside: they are compared on their own) as JSON text. */
  private static Map<String, String> configFields(StoredBuild build) {
    Map<String, String> fields = new TreeMap<>();
    Optional<String> config = build.record().config();
    if (config.isEmpty()) {
      return fields;
    }
    try {
      JsonNode node = JSON.readTree(config.get());
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getKey().equals("Labels") && !field.getValue().isNull()) {
          fields.put(
              field.getKey(),
              field.getValue().isTextual()
                  ? field.getValue().asText()
                  : field.getValue().toString());
        }
      }
    } catch (JsonProcessingException e) {
      fields.put("(config)", "unreadable: " + e.getOriginalMessage());
    }
    return fields;
  }
}
