package dev.strata.catalog.render;

import dev.strata.catalog.Attestation;
import dev.strata.catalog.BuildId;
import dev.strata.catalog.BuildRecord;
import dev.strata.catalog.DiskImage;
import dev.strata.catalog.Layer;
import dev.strata.catalog.StoredBuild;
import dev.strata.catalog.query.BuildDiff;
import dev.strata.catalog.query.CatalogTree;
import dev.strata.catalog.query.Lineage;
import dev.strata.catalog.query.PackageChange;
import dev.strata.catalog.query.SearchHit;
import dev.strata.catalog.query.ValueChange;
import dev.strata.packages.InstalledPackage;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The catalog's answers as text a person reads: tables and trees within 100 columns. */
public final class CatalogText {
  static final int WIDTH = 100;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private CatalogText() {}

  /** One row per node: its latest build. */
  public static String list(List<StoredBuild> latest, Map<BuildId, Integer> packageCounts) {
    if (latest.isEmpty()) {
      return "No builds recorded yet: 'strata build' records each build here.\n";
    }
    TextTable table =
        new TextTable("IMAGE", "BUILD", "DIGEST", "BUILT (UTC)", "SIZE", "SIGNED", "PKGS");
    for (StoredBuild b : latest) {
      table.row(
          b.record().taggedReference(),
          b.id().toString(),
          shortDigest(b.digest()),
          TIME.format(b.record().builtAt()),
          size(b.record().size()),
          b.record().signature().state().id(),
          String.valueOf(packageCounts.getOrDefault(b.id(), 0)));
    }
    return table.render(WIDTH, 0);
  }

  /** A build with its lineage, children, layers, labels, signature, attestations and disks. */
  public static String show(
      StoredBuild build, Lineage lineage, List<StoredBuild> children, int packages) {
    BuildRecord r = build.record();
    StringBuilder out = new StringBuilder();
    out.append(build.id()).append("  ").append(r.reference()).append('\n');
    field(out, "digest", r.digest());
    field(out, "tags", String.join(", ", r.tags()));
    field(
        out,
        "built",
        TIME.format(r.builtAt()) + " UTC" + r.engine().map(e -> " (" + e + " engine)").orElse(""));
    field(out, "size", size(r.size()) + ", " + packages + " packages");
    r.gitCommit().ifPresent(c -> field(out, "git commit", c));
    r.containerfileDigest().ifPresent(c -> field(out, "Containerfile", c));
    if (!r.buildArgs().isEmpty()) {
      field(out, "build args", joinMap(r.buildArgs()));
    }
    if (!r.planReasons().isEmpty()) {
      field(out, "reason", String.join("; ", r.planReasons()));
    }
    field(
        out,
        "signature",
        r.signature().state().id() + r.signature().reference().map(s -> " " + s).orElse(""));
    out.append("lineage:\n");
    for (StoredBuild b : lineage.builds()) {
      out.append("  ")
          .append(b.id())
          .append("  ")
          .append(shortDigest(b.digest()))
          .append("  ")
          .append(b.record().taggedReference())
          .append('\n');
    }
    out.append("  ")
        .append(lineage.externalReference().orElse("(no base recorded)"))
        .append(lineage.externalDigest().map(d -> "  " + shortDigest(d)).orElse(""))
        .append("  (external base)\n");
    out.append("children:").append(children.isEmpty() ? " none\n" : "\n");
    for (StoredBuild c : children) {
      out.append("  ").append(c.id()).append("  ").append(shortDigest(c.digest())).append('\n');
    }
    out.append("layers:\n");
    TextTable layers = new TextTable("#", "DIGEST", "SIZE", "CREATED BY");
    int i = 1;
    for (Layer l : r.layers()) {
      layers.row(
          String.valueOf(i++), shortDigest(l.digest()), size(l.size()), oneLine(l.createdBy()));
    }
    out.append(layers.render(WIDTH, 2));
    out.append("labels:").append(r.labels().isEmpty() ? " none\n" : "\n");
    r.labels().forEach((k, v) -> out.append(clip("  " + k + "=" + v)).append('\n'));
    out.append("attestations:").append(r.attestations().isEmpty() ? " none\n" : "\n");
    for (Attestation a : r.attestations()) {
      out.append(clip("  " + a.predicateType() + a.reference().map(x -> "  " + x).orElse("")))
          .append('\n');
    }
    out.append("disks:").append(r.disks().isEmpty() ? " none\n" : "\n");
    for (DiskImage d : r.disks()) {
      out.append(
              clip(
                  "  "
                      + d.type()
                      + "  "
                      + size(d.size())
                      + "  "
                      + d.path()
                      + "  "
                      + TIME.format(d.madeAt())))
          .append('\n');
    }
    return out.toString();
  }

  /** The hierarchy, each node with its current build and digest. */
  public static String tree(CatalogTree tree, Map<String, StoredBuild> latest) {
    if (tree.roots().isEmpty()) {
      return "No builds recorded yet.\n";
    }
    StringBuilder out = new StringBuilder();
    for (CatalogTree.Root root : tree.roots()) {
      out.append(root.base())
          .append(root.digest().map(d -> "  " + shortDigest(d)).orElse(""))
          .append("  (external)\n");
      branches(out, root.nodes(), "", latest);
    }
    return out.toString();
  }

  private static void branches(
      StringBuilder out,
      List<CatalogTree.Branch> branches,
      String indent,
      Map<String, StoredBuild> latest) {
    for (int i = 0; i < branches.size(); i++) {
      CatalogTree.Branch b = branches.get(i);
      boolean last = i == branches.size() - 1;
      String line =
          indent
              + (last ? "└── " : "├── ")
              + b.node()
              + "  "
              + b.current().id()
              + "  "
              + shortDigest(b.current().digest())
              + "  "
              + TIME.format(b.current().record().builtAt())
              + (b.parentMovedOn(latest) ? "  (built from " + b.builtFrom().get() + ")" : "");
      out.append(clip(line)).append('\n');
      branches(out, b.children(), indent + (last ? "    " : "│   "), latest);
    }
  }

  /** The builds of a node, oldest first, each with the reason it happened. */
  public static String history(List<StoredBuild> builds) {
    TextTable table = new TextTable("BUILD", "BUILT (UTC)", "DIGEST", "COMMIT", "REASON");
    for (StoredBuild b : builds) {
      table.row(
          b.id().toString(),
          TIME.format(b.record().builtAt()),
          shortDigest(b.digest()),
          b.record().gitCommit().map(c -> c.substring(0, Math.min(8, c.length()))).orElse("-"),
          b.origin().equals("sync")
              ? "synced from registry"
              : String.join("; ", b.record().planReasons()));
    }
    return table.render(WIDTH, 0);
  }

  /** Packages, layers, labels and config that differ between two builds. */
  public static String diff(BuildDiff d) {
    StringBuilder out = new StringBuilder();
    out.append(
        switch (d.relation()) {
          case SAME_NODE -> d.from() + " → " + d.to() + "\n";
          case DESCENDANT -> "What " + d.to() + " adds over " + d.from() + "\n";
          case ANCESTOR -> d.to() + " is an ancestor of " + d.from() + ": what it lacks\n";
          case UNRELATED -> d.from() + " → " + d.to() + " (unrelated nodes)\n";
        });
    if (d.isEmpty()) {
      return out.append("no differences\n").toString();
    }
    packages(out, "added", d.added(), '+');
    packages(out, "removed", d.removed(), '-');
    packages(out, "upgraded", d.upgraded(), '^');
    packages(out, "downgraded", d.downgraded(), 'v');
    out.append("packages unchanged: ").append(d.unchangedPackages()).append('\n');
    out.append("layers: ").append(d.sharedLayers()).append(" shared");
    out.append(", ").append(d.layersRemoved().size()).append(" removed");
    out.append(", ").append(d.layersAdded().size()).append(" added\n");
    for (Layer l : d.layersRemoved()) {
      out.append(clip("  - " + shortDigest(l.digest()) + "  " + oneLine(l.createdBy())))
          .append('\n');
    }
    for (Layer l : d.layersAdded()) {
      out.append(clip("  + " + shortDigest(l.digest()) + "  " + oneLine(l.createdBy())))
          .append('\n');
    }
    values(out, "labels changed", d.labels());
    values(out, "config changed", d.config());
    return out.toString();
  }

  private static void packages(
      StringBuilder out, String title, List<PackageChange> changes, char mark) {
    if (changes.isEmpty()) {
      return;
    }
    out.append("packages ").append(title).append(" (").append(changes.size()).append("):\n");
    for (PackageChange c : changes) {
      String versions =
          c.before().isPresent() && c.after().isPresent()
              ? c.before().get() + " → " + c.after().get()
              : c.after().or(c::before).orElse("");
      out.append(clip("  " + mark + " " + c.name() + " " + versions + " (" + c.arch() + ")"))
          .append('\n');
    }
  }

  private static void values(StringBuilder out, String title, List<ValueChange> changes) {
    if (changes.isEmpty()) {
      return;
    }
    out.append(title).append(":\n");
    for (ValueChange c : changes) {
      out.append(
              clip(
                  "  "
                      + c.key()
                      + ": "
                      + c.before().orElse("(none)")
                      + " → "
                      + c.after().orElse("(none)")))
          .append('\n');
    }
  }

  /** The builds a search found and what matched. */
  public static String search(List<SearchHit> hits) {
    if (hits.isEmpty()) {
      return "No build matches.\n";
    }
    TextTable table = new TextTable("IMAGE", "BUILD", "DIGEST", "MATCHED");
    for (SearchHit h : hits) {
      table.row(
          h.build().record().taggedReference(),
          h.build().id().toString(),
          shortDigest(h.build().digest()),
          h.matched());
    }
    return table.render(WIDTH, 0);
  }

  /** A build's package inventory. */
  public static String packages(List<InstalledPackage> packages) {
    if (packages.isEmpty()) {
      return "No packages recorded (no package database in the image).\n";
    }
    TextTable table = new TextTable("NAME", "VERSION", "ARCH", "SOURCE", "LICENSE");
    for (InstalledPackage p : packages) {
      table.row(p.name(), p.fullVersion(), p.arch(), p.source().orElse(""), p.license().orElse(""));
    }
    return table.render(WIDTH, 0);
  }

  /** {@code sha256:} and the first 12 hex digits. */
  public static String shortDigest(String digest) {
    int colon = digest.indexOf(':');
    String hex = digest.substring(colon + 1);
    return hex.substring(0, Math.min(12, hex.length()));
  }

  /** Bytes as B, kB, MB, GB (powers of 1000, like registries show). */
  public static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(
        java.util.Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(clip(String.format("  %-14s%s", name + ":", value))).append('\n');
  }

  private static String joinMap(Map<String, String> map) {
    StringBuilder s = new StringBuilder();
    map.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  static String clip(String line) {
    return line.length() <= WIDTH ? line : line.substring(0, WIDTH - 1) + "…";
  }
}
