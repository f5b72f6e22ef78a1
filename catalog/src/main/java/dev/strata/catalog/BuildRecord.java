package dev.strata.catalog;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the catalog remembers about one build of one node, as the engine (native or BuildKit)
 * reports it: what was built (reference, tags, manifest digest, config), from what (parent digests
 * and node, external base, Containerfile digest, strata.yaml entry, git commit, build args), why
 * (the plan's reasons), and what became of it (signature, attestations, disk images).
 *
 * <p>{@code parentDigests} lists the manifest digests of the images the build read, the final
 * stage's FROM image first; {@code parentNode} is that image's node when it is one of the
 * project's. {@code baseReference}/{@code baseDigest} name the image the final stage starts FROM as
 * written and resolved. {@code config} is the image config's {@code config} object as JSON (Env,
 * Cmd, Entrypoint, User, …) so diffs can tell what changed in it.
 */
public record BuildRecord(
    String node,
    String reference,
    List<String> tags,
    String digest,
    Optional<String> configDigest,
    Optional<String> config,
    List<String> parentDigests,
    Optional<String> parentNode,
    Optional<String> baseReference,
    Optional<String> baseDigest,
    Optional<String> containerfileDigest,
    Optional<String> projectEntry,
    Optional<String> gitCommit,
    Map<String, String> buildArgs,
    Instant builtAt,
    long size,
    List<Layer> layers,
    Map<String, String> labels,
    Signature signature,
    List<Attestation> attestations,
    List<DiskImage> disks,
    List<String> planReasons,
    Optional<String> engine) {

  public BuildRecord {
    require(node, "node");
    require(reference, "image reference");
    require(digest, "digest");
    if (builtAt == null) {
      throw new IllegalArgumentException("a build record needs the time of the build");
    }
    if (size < 0) {
      throw new IllegalArgumentException("an image size cannot be negative: " + size);
    }
    tags = ImmutableList.copyOf(tags);
    parentDigests = ImmutableList.copyOf(parentDigests);
    buildArgs = ImmutableMap.copyOf(buildArgs);
    layers = ImmutableList.copyOf(layers);
    labels = ImmutableMap.copyOf(labels);
    signature = signature == null ? Signature.UNSIGNED : signature;
    attestations = ImmutableList.copyOf(attestations);
    disks = ImmutableList.copyOf(disks);
    planReasons = ImmutableList.copyOf(planReasons);
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a build record needs a " + what);
    }
  }

  /** The first parent digest: the image the final stage was built FROM. */
  public Optional<String> parentDigest() {
    return parentDigests.isEmpty() ? Optional.empty() : Optional.of(parentDigests.get(0));
  }

  /** {@code reference:tag} for the first tag, or the bare reference when there is none. */
  public String taggedReference() {
    return tags.isEmpty() ? reference : reference + ":" + tags.get(0);
  }

  /** A builder with the required fields; everything else defaults to empty. */
  public static Builder builder(String node, String reference, String digest, Instant builtAt) {
    return new Builder(node, reference, digest, builtAt);
  }

  /** A builder holding this record's values, to change a few. */
  public Builder toBuilder() {
    Builder b = new Builder(node, reference, digest, builtAt);
    b.tags.addAll(tags);
    b.configDigest = configDigest;
    b.config = config;
    b.parentDigests.addAll(parentDigests);
    b.parentNode = parentNode;
    b.baseReference = baseReference;
    b.baseDigest = baseDigest;
    b.containerfileDigest = containerfileDigest;
    b.projectEntry = projectEntry;
    b.gitCommit = gitCommit;
    b.buildArgs.putAll(buildArgs);
    b.size = size;
    b.layers.addAll(layers);
    b.labels.putAll(labels);
    b.signature = signature;
    b.attestations.addAll(attestations);
    b.disks.addAll(disks);
    b.planReasons.addAll(planReasons);
    b.engine = engine;
    return b;
  }

  /** Builds a {@link BuildRecord} field by field. */
  public static final class Builder {
    private String node;
    private String reference;
    private String digest;
    private Instant builtAt;
    private final List<String> tags = new ArrayList<>();
    private Optional<String> configDigest = Optional.empty();
    private Optional<String> config = Optional.empty();
    private final List<String> parentDigests = new ArrayList<>();
    private Optional<String> parentNode = Optional.empty();
    private Optional<String> baseReference = Optional.empty();
    private Optional<String> baseDigest = Optional.empty();
    private Optional<String> containerfileDigest = Optional.empty();
    private Optional<String> projectEntry = Optional.empty();
    private Optional<String> gitCommit = Optional.empty();
    private final Map<String, String> buildArgs = new LinkedHashMap<>();
    private long size;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Signature signature = Signature.UNSIGNED;
    private final List<Attestation> attestations = new ArrayList<>();
    private final List<DiskImage> disks = new ArrayList<>();
    private final List<String> planReasons = new ArrayList<>();
    private Optional<String> engine = Optional.empty();

    private Builder(String node, String reference, String digest, Instant builtAt) {
      this.node = node;
      this.reference = reference;
      this.digest = digest;
      this.builtAt = builtAt;
    }

    public Builder node(String value) {
      node = value;
      return this;
    }

    public Builder digest(String value) {
      digest = value;
      return this;
    }

    public Builder builtAt(Instant value) {
      builtAt = value;
      return this;
    }

    public Builder tags(List<String> values) {
      tags.clear();
      tags.addAll(values);
      return this;
    }

    public Builder configDigest(String value) {
      configDigest = Optional.ofNullable(value);
      return this;
    }

    /** The image config's {@code config} object as JSON. */
    public Builder config(String json) {
      config = Optional.ofNullable(json);
      return this;
    }

    public Builder parentDigests(List<String> values) {
      parentDigests.clear();
      parentDigests.addAll(values);
      return this;
    }

    public Builder parentNode(String value) {
      parentNode = Optional.ofNullable(value);
      return this;
    }

    public Builder base(String reference, String digest) {
      baseReference = Optional.ofNullable(reference);
      baseDigest = Optional.ofNullable(digest);
      return this;
    }

    public Builder containerfileDigest(String value) {
      containerfileDigest = Optional.ofNullable(value);
      return this;
    }

    /** The node's strata.yaml entry, as text. */
    public Builder projectEntry(String value) {
      projectEntry = Optional.ofNullable(value);
      return this;
    }

    public Builder gitCommit(String value) {
      gitCommit = Optional.ofNullable(value);
      return this;
    }

    public Builder buildArgs(Map<String, String> values) {
      buildArgs.clear();
      buildArgs.putAll(values);
      return this;
    }

    public Builder size(long value) {
      size = value;
      return this;
    }

    public Builder layers(List<Layer> values) {
      layers.clear();
      layers.addAll(values);
      return this;
    }

    public Builder labels(Map<String, String> values) {
      labels.clear();
      labels.putAll(values);
      return this;
    }

    public Builder signature(Signature value) {
      signature = value;
      return this;
    }

    public Builder attestations(List<Attestation> values) {
      attestations.clear();
      attestations.addAll(values);
      return this;
    }

    public Builder disks(List<DiskImage> values) {
      disks.clear();
      disks.addAll(values);
      return this;
    }

    /** The plan's reasons for this build, one line each ({@code Reason.describe()}). */
    public Builder planReasons(List<String> values) {
      planReasons.clear();
      planReasons.addAll(values);
      return this;
    }

    /** {@code native} or {@code buildkit}. */
    public Builder engine(String value) {
      engine = Optional.ofNullable(value);
      return this;
    }

    public BuildRecord build() {
      return new BuildRecord(
          node,
          reference,
          tags,
          digest,
          configDigest,
          config,
          parentDigests,
          parentNode,
          baseReference,
          baseDigest,
          containerfileDigest,
          projectEntry,
          gitCommit,
          buildArgs,
          builtAt,
          size,
          layers,
          labels,
          signature,
          attestations,
          disks,
          planReasons,
          engine);
    }
  }
}
