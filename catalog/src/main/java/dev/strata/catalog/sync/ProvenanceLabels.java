package dev.strata.catalog.sync;

/**
 * The labels a Strata build writes into an image's config so that a catalog synced from a registry
 * recovers the lineage: the node, its parent node and the parent's digest, the base image (OCI's
 * {@code base.name}/{@code base.digest}), the git commit and the Containerfile digest.
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
}
