package dev.strata.bridge.build;

import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.dsl.eval.StageReference;
import dev.strata.graph.DerivationGraph;
import dev.strata.graph.Node;
import dev.strata.graph.ProvenanceLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one node's image comes from: the node, the parent node its final stage's FROM chain starts
 * at (if it is one of the project's), that base image as named ({@code registry/repo:tag}) and as
 * resolved (manifest digest), and the digest of the node's Containerfile. The engine writes it into
 * the image config as {@link ProvenanceLabels}, so whoever reads the image from a registry (a
 * catalog sync) recovers the lineage.
 *
 * <p>Every label depends on what was built, never on where it goes: a parent node is named by its
 * node and digest, not by its registry reference ({@code base.name} is written for an external base
 * only), so setting or moving {@code registry:} changes no digest and rebuilds nothing. For the
 * same reason the git commit is deliberately not a label: it would give every node a new digest on
 * every commit, defeating "a change to the SOE rebuilds the SOE and its children, nothing else"
 * (and every {@code disk:} image would be remade). It goes to the catalog and the SLSA provenance.
 */
public record BuildOrigin(
    String node,
    Optional<String> parentNode,
    Optional<String> baseName,
    Optional<Digest> baseDigest,
    Digest containerfileDigest) {
  public BuildOrigin {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(parentNode, "parentNode");
    Objects.requireNonNull(baseName, "baseName");
    Objects.requireNonNull(baseDigest, "baseDigest");
    Objects.requireNonNull(containerfileDigest, "containerfileDigest");
  }

  /** Finds the digest of the image a node's FROM chain starts from. */
  @FunctionalInterface
  public interface BaseDigest {
    /**
     * The digest of {@code reference} (as written in the FROM), which names {@code parentNode} when
     * that is present; empty when it is not known.
     */
    Optional<Digest> of(Optional<String> parentNode, String reference) throws IOException;
  }

  /**
   * The origin of {@code node}: where its target stage's FROM chain ends (a parent node's image, an
   * external image, or scratch), that image's name and digest, and the Containerfile's digest.
   */
  public static BuildOrigin of(DerivationGraph graph, Node node, BaseDigest digests)
      throws IOException {
    Digest containerfile = Digest.sha256(Files.readAllBytes(node.config().containerfile()));
    StageReference base = node.target().base();
    while (base instanceof StageReference.StageRef ref) {
      base = node.file().stages().get(ref.index()).base();
    }
    if (!(base instanceof StageReference.ImageRef image)) {
      return new BuildOrigin(
          node.name(), Optional.empty(), Optional.empty(), Optional.empty(), containerfile);
    }
    Optional<String> parent = Optional.ofNullable(node.nodeReferences().get(image.reference()));
    String name =
        parent.isPresent()
            ? graph.node(parent.get()).orElseThrow().imageReference()
            : ImageLookup.canonical(image.reference());
    return new BuildOrigin(
        node.name(),
        parent,
        Optional.of(name),
        digests.of(parent, image.reference()),
        containerfile);
  }

  /** The parent node's image digest, when the base is a node of the project. */
  public Optional<Digest> parentDigest() {
    return parentNode.isPresent() ? baseDigest : Optional.empty();
  }

  /**
   * {@code config} with the provenance labels set; those an ancestor wrote and that do not hold for
   * this image (a parent node, when this one starts from an external base) are removed.
   */
  public ImageConfig labelled(ImageConfig config) {
    Map<String, String> labels = otherLabels(config);
    labels.putAll(labels());
    return config.withLabels(labels);
  }

  /**
   * {@code config} without provenance labels: the image itself, apart from where it was built from.
   * Its digest stands for a parent node's result in its children's cache keys ({@link
   * StoreBuildState#resultOf}), so a change that moves only these labels (a comment in the parent's
   * Containerfile changes its digest label; a grandparent rebuilt to the same content under another
   * manifest digest) runs none of the children's steps: they are only labelled again, with the
   * parent's new digest.
   */
  public static ImageConfig withoutProvenance(ImageConfig config) {
    return config.withLabels(otherLabels(config));
  }

  /** The labels of {@code config} that are not provenance labels. */
  private static Map<String, String> otherLabels(ImageConfig config) {
    Map<String, String> labels = new LinkedHashMap<>();
    config
        .configField("Labels")
        .ifPresent(n -> n.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText())));
    labels.keySet().removeAll(ProvenanceLabels.WRITTEN);
    return labels;
  }

  /** The provenance labels themselves, as {@link #labelled} writes them. */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ProvenanceLabels.NODE, node);
    parentNode.ifPresent(p -> labels.put(ProvenanceLabels.PARENT_NODE, p));
    parentDigest().ifPresent(d -> labels.put(ProvenanceLabels.PARENT_DIGEST, d.toString()));
    if (parentNode.isEmpty()) {
      baseName.ifPresent(b -> labels.put(ProvenanceLabels.BASE_NAME, b));
      baseDigest.ifPresent(d -> labels.put(ProvenanceLabels.BASE_DIGEST, d.toString()));
    }
    labels.put(ProvenanceLabels.CONTAINERFILE_DIGEST, containerfileDigest.toString());
    return labels;
  }
}
