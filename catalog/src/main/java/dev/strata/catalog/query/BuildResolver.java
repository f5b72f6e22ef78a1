package dev.strata.catalog.query;

import dev.strata.catalog.BuildId;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.StoredBuild;
import dev.strata.graph.ImageName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the build a user names, in this order: {@code NODE@N} (the N-th build of NODE), a node name
 * (its latest build), a digest or digest prefix ({@code sha256:ab12…} or {@code ab12…}, at least 4
 * hex digits; the latest build with that digest), an image reference ({@code reference:tag} as
 * recorded, normalised like docker does, or {@code reference@digest}).
 */
public final class BuildResolver {
  private static final Pattern DIGEST_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{4,64}");

  private final List<StoredBuild> builds;

  public BuildResolver(List<StoredBuild> builds) {
    this.builds = List.copyOf(builds);
  }

  /** The latest build of each node, in the order the nodes were first recorded. */
  public static Map<String, StoredBuild> latestByNode(List<StoredBuild> builds) {
    Map<String, StoredBuild> latest = new LinkedHashMap<>();
    for (StoredBuild b : builds) {
      latest.merge(b.node(), b, (old, now) -> now.id().number() > old.id().number() ? now : old);
    }
    return latest;
  }

  /**
   * The build {@code ref} names.
   *
   * @throws CatalogException (input) when it names none, or a digest prefix names several images
   */
  public StoredBuild resolve(String ref) throws CatalogException {
    String text = ref.strip();
    Optional<BuildId> id = BuildId.parse(text);
    if (id.isPresent()) {
      Optional<StoredBuild> build =
          builds.stream().filter(b -> b.id().equals(id.get())).findFirst();
      if (build.isPresent()) {
        return build.get();
      }
      if (builds.stream().anyMatch(b -> b.node().equals(id.get().node()))) {
        int last = latestByNode(builds).get(id.get().node()).id().number();
        throw CatalogException.input(
            "no build " + text + ": " + id.get().node() + " has builds 1 to " + last);
      }
    }
    StoredBuild latestOfNode = latestByNode(builds).get(text);
    if (latestOfNode != null) {
      return latestOfNode;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (DIGEST_PREFIX.matcher(lower).matches()) {
      String prefix = lower.startsWith("sha256:") ? lower : "sha256:" + lower;
      List<StoredBuild> matches =
          builds.stream().filter(b -> b.digest().startsWith(prefix)).toList();
      long digests = matches.stream().map(StoredBuild::digest).distinct().count();
      if (digests > 1) {
        throw CatalogException.input(
            "digest prefix " + text + " matches " + digests + " images; give more digits");
      }
      if (!matches.isEmpty()) {
        return newest(matches);
      }
    }
    List<StoredBuild> byReference = byReference(text);
    if (!byReference.isEmpty()) {
      return newest(byReference);
    }
    throw CatalogException.input(
        "no recorded build matches '"
            + text
            + "': give a node, NODE@N, a digest (prefix) or an image reference"
            + " (see 'strata catalog list')");
  }

  private List<StoredBuild> byReference(String text) {
    Optional<ImageName> wanted = ImageName.parse(text);
    List<StoredBuild> matches = new ArrayList<>();
    for (StoredBuild b : builds) {
      if (wanted.isPresent() && wanted.get().digest().isPresent()) {
        if (b.digest().equals(wanted.get().digest().get())
            && sameRepository(b.record().reference(), wanted.get())) {
          matches.add(b);
        }
        continue;
      }
      for (String tag : b.record().tags()) {
        String recorded = b.record().reference() + ":" + tag;
        if (recorded.equals(text)
            || (wanted.isPresent()
                && ImageName.parse(recorded)
                    .map(n -> n.canonical().equals(wanted.get().canonical()))
                    .orElse(false))) {
          matches.add(b);
        }
      }
    }
    return matches;
  }

  private static boolean sameRepository(String reference, ImageName wanted) {
    return ImageName.parse(reference)
        .map(n -> n.repository().equals(wanted.repository()))
        .orElse(false);
  }

  private static StoredBuild newest(List<StoredBuild> matches) {
    // Builds are listed in the order they were recorded: the last is the newest.
    return matches.stream().max(Comparator.comparingInt(b -> matches.indexOf(b))).orElseThrow();
  }
}
