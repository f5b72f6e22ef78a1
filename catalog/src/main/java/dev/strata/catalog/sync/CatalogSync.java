package dev.strata.catalog.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.catalog.BuildRecord;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.Layer;
import dev.strata.catalog.StoredBuild;
import dev.strata.graph.ProvenanceLabels;
import dev.strata.packages.PackageInventory;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the images of a registry (or of one repository in it) into the catalog: each distinct
 * manifest digest becomes one build, with all its tags, its layers and their history, its labels,
 * the lineage its {@link ProvenanceLabels} state, and the package inventory read from its file
 * system. Images the catalog already has (same node, same digest) are left alone, so a sync can run
 * again; new ones are recorded oldest first, so build numbers follow build time.
 */
public final class CatalogSync {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogSync() {}

  /**
   * Syncs the repositories whose name is {@code repository} or lies under it ({@code ""} for the
   * whole registry).
   */
  public static SyncReport run(Catalog catalog, RegistryImageSource source, String repository)
      throws CatalogException, IOException {
    String prefix = repository.replaceAll("/+$", "");
    List<StoredBuild> known = catalog.builds();
    Map<String, Pending> byDigest = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String repo : source.repositories(prefix)) {
      if (!prefix.isEmpty() && !repo.equals(prefix) && !repo.startsWith(prefix + "/")) {
        continue;
      }
      for (String tag : source.tags(repo)) {
        if (tag.startsWith("sha256-")) {
          continue; // cosign's .sig/.att/.sbom tags are not images of their own.
        }
        RemoteImage image;
        try {
          image = source.image(repo, tag);
        } catch (IOException e) {
          problems.add(repo + ":" + tag + ": " + e.getMessage());
          continue;
        }
        byDigest
            .computeIfAbsent(repo + "@" + image.digest(), k -> new Pending(image))
            .tags
            .add(tag);
      }
    }
    List<BuildRecord> records = new ArrayList<>();
    Map<BuildRecord, RemoteImage> images = new LinkedHashMap<>();
    int alreadyKnown = 0;
    for (Pending pending : byDigest.values()) {
      BuildRecord record;
      try {
        record = toRecord(pending.image, pending.tags);
      } catch (IOException e) {
        problems.add(
            pending.image.repository() + "@" + pending.image.digest() + ": " + e.getMessage());
        continue;
      }
      boolean exists =
          known.stream()
              .anyMatch(b -> b.node().equals(record.node()) && b.digest().equals(record.digest()));
      if (exists) {
        alreadyKnown++;
        continue;
      }
      records.add(record);
      images.put(record, pending.image);
    }
    records.sort(Comparator.comparing(BuildRecord::builtAt));
    List<dev.strata.catalog.BuildId> recorded = new ArrayList<>();
    for (BuildRecord record : records) {
      PackageInventory packages;
      try {
        packages = inventory(source, images.get(record));
      } catch (IOException | IllegalArgumentException e) {
        problems.add(record.taggedReference() + ": package database unreadable: " + e.getMessage());
        packages = PackageInventory.EMPTY;
      }
      recorded.add(catalog.recordSynced(record, packages));
    }
    return new SyncReport(recorded, alreadyKnown, problems);
  }

  private static final class Pending {
    final RemoteImage image;
    final List<String> tags = new ArrayList<>();

    Pending(RemoteImage image) {
      this.image = image;
    }
  }

  /**
   * The build record an image's manifest and config describe (its {@code ProvenanceLabels} give the
   * lineage), for an image read from a registry or from a local store.
   */
  public static BuildRecord toRecord(RemoteImage image, List<String> tags) throws IOException {
    JsonNode config = JSON.readTree(image.configJson());
    if (config == null || !config.isObject()) {
      throw new IOException("the image config is not a JSON object");
    }
    JsonNode inner = config.path("config");
    Map<String, String> labels = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = inner.path("Labels").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      labels.put(label.getKey(), label.getValue().asText());
    }
    String repository = image.repository();
    String node =
        Optional.ofNullable(labels.get(ProvenanceLabels.NODE))
            .orElse(repository.substring(repository.lastIndexOf('/') + 1));
    Instant created;
    try {
      created =
          config.hasNonNull("created")
              ? Instant.parse(config.get("created").asText())
              : Instant.EPOCH;
    } catch (DateTimeParseException e) {
      created = Instant.EPOCH;
    }
    List<String> history = new ArrayList<>();
    for (JsonNode step : config.path("history")) {
      if (!step.path("empty_layer").asBoolean(false)) {
        history.add(step.path("created_by").asText(""));
      }
    }
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < image.layers().size(); i++) {
      RemoteImage.RemoteLayer layer = image.layers().get(i);
      layers.add(new Layer(layer.digest(), layer.size(), i < history.size() ? history.get(i) : ""));
    }
    Optional<String> parentDigest = Optional.ofNullable(labels.get(ProvenanceLabels.PARENT_DIGEST));
    return BuildRecord.builder(node, repository, image.digest(), created)
        .tags(tags)
        .config(inner.isMissingNode() ? null : inner.toString())
        .parentDigests(parentDigest.map(List::of).orElse(List.of()))
        .parentNode(labels.get(ProvenanceLabels.PARENT_NODE))
        .base(labels.get(ProvenanceLabels.BASE_NAME), labels.get(ProvenanceLabels.BASE_DIGEST))
        .containerfileDigest(labels.get(ProvenanceLabels.CONTAINERFILE_DIGEST))
        .gitCommit(labels.get(ProvenanceLabels.REVISION))
        .size(image.size())
        .layers(layers)
        .labels(labels)
        .planReasons(List.of("synced from " + repository))
        .build();
  }

  private static PackageInventory inventory(RegistryImageSource source, RemoteImage image)
      throws IOException {
    return PackageInventory.read(path -> source.file(image, path));
  }
}
