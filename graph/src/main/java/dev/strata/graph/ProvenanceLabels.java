package dev.strata.graph;

import java.util.Set;

/**
 * The labels a Strata build writes into each node's image config so that a catalog synced from a
 * registry recovers the lineage: the node, its parent node and the parent's digest, the base image
 * (OCI's {@code base.name}/{@code base.digest}) and the Containerfile digest. {@link #REVISION} is
 * read when present (CI systems set it) but not written: a label that changes with every commit
 * would change every image's digest.
 */
public final class ProvenanceLabels {
  private ProvenanceLabels() {}

  public static final String NODE = "dev.strata.node";
  public static final String PARENT_NODE = "dev.strata.parent.node";
  public static final String PARENT_DIGEST = "dev.strata.parent.digest";
  public static final String CONTAINERFILE_DIGEST = "dev.strata.containerfile.digest";
  public static final String BASE_NAME = "org.opencontainers.image.base.name";
  public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
  public static final String REVISION = "org.opencontainers.image.revision";

  /** The labels the engine owns: set or removed on every node it builds. */
  public static final Set<String> WRITTEN =
      Set.of(NODE, PARENT_NODE, PARENT_DIGEST, CONTAINERFILE_DIGEST, BASE_NAME, BASE_DIGEST);
}
